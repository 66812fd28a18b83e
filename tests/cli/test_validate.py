"""`seqops validate` through the real entry point: exit codes, error lines, JSON, bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEQOPS = Path(sys.executable).parent / "seqops"
ERROR_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<rest>.+)$")
TEMPLATE = "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: intro}\nspec: {subject: Hi}\n"
BILLION_LAUGHS = "\n".join(
    [
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        *(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)

runner = CliRunner()


def validate(*args: str | Path):
    return runner.invoke(app, ["validate", *map(str, args)])


def error_lines(output: str) -> list[re.Match[str]]:
    return [m for line in output.splitlines() if (m := ERROR_LINE.match(line))]


def test_the_examples_are_valid():
    result = validate(EXAMPLES)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("9 files, 10 resources: valid")


def test_the_path_defaults_to_the_current_directory(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    result = validate()
    assert result.exit_code == 0, result.output
    assert "10 resources: valid" in result.output


def test_json_output_when_valid():
    result = validate(EXAMPLES, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"valid": True, "files": 9, "resources": 10, "errors": []}


def test_json_output_when_invalid(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(TEMPLATE.replace("subject", "subjcet"))
    result = validate(path, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["valid"] is False and document["files"] == 1
    assert document["errors"] == [
        {
            "file": str(path),
            "line": 4,
            "column": 8,
            "path": "spec.subjcet",
            "kind": "Template",
            "name": "intro",
            "message": "unknown key 'subjcet' (did you mean 'subject'?)",
        }
    ]


def test_all_errors_at_once_one_line_each_then_a_summary(tmp_path):
    (tmp_path / "a.yaml").write_text(TEMPLATE.replace("Template", "Tempalte"))
    (tmp_path / "b.yaml").write_text("a:\n\tb: 1\n")
    (tmp_path / "c.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec:\n"
        "  steps:\n    - {type: auto_email, wait: 2 days, template: missing}\n"
        "    - {type: call, wait: 1d, template: intro}\n"
    )
    result = validate(tmp_path)
    assert result.exit_code == 1
    lines = error_lines(result.output)
    assert [(Path(m["file"]).name, int(m["line"])) for m in lines] == [
        ("a.yaml", 2),
        ("b.yaml", 2),
        ("c.yaml", 6),
    ]
    assert "did you mean 'Template'?" in lines[0]["rest"]
    assert "tabs" in lines[1]["rest"]
    assert lines[2]["rest"].startswith("Sequence/s: spec.steps[0].wait: '2 days' is not a dura")
    assert result.output.strip().endswith("3 errors in 3 files")


def test_semantic_errors_come_once_the_schema_passes(tmp_path):
    (tmp_path / "s.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec:\n"
        "  sequenceType: date\n  steps:\n    - {type: auto_email, wait: 1d, template: intro}\n"
    )
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    result = validate(tmp_path)
    assert result.exit_code == 1
    rests = [m["rest"] for m in error_lines(result.output)]
    assert rests == [
        "Sequence/s: spec.steps[0]: step 1 needs a `date`: this is a date sequence",
        "Sequence/s: spec.steps[0].wait: `wait` is for interval sequences: use `date`",
    ]


BAD_INPUTS = {
    "empty file": (b"", 1, "no documents"),
    "non-UTF-8": ("subject: caf\u00e9\n".encode("latin-1"), 1, "not UTF-8"),
    "tabs": (b"apiVersion: seqops/v1\nkind: Template\nmetadata:\n\tname: x\n", 4, "tabs"),
    "invalid YAML": (b"apiVersion: [seqops/v1\n", 2, "invalid YAML"),
    "a list": (b"- apiVersion: seqops/v1\n", 1, "not a list"),
    "a scalar": (b"apiVersion seqops/v1\n", 1, "not text"),
    "unknown apiVersion": (
        TEMPLATE.replace("seqops/v1", "seqops/v9").encode(),
        1,
        "must be 'seqops/v1'",
    ),
    "unknown kind": (TEMPLATE.replace("Template", "Playbook").encode(), 2, "is not one of"),
    "duplicate keys": (TEMPLATE.encode() + b"kind: Sequence\n", 5, "duplicate key 'kind'"),
    "billion laughs": (BILLION_LAUGHS.encode(), 1, "alias bomb"),
    "10 MB": (b"a: 1\n" + b"#" * 10_000_000, 1, "10 MB"),
}


@pytest.mark.parametrize(("content", "line", "fragment"), BAD_INPUTS.values(), ids=list(BAD_INPUTS))
def test_bad_input_is_a_located_error_never_a_traceback(tmp_path, content, line, fragment):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = validate(path)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [error] = error_lines(result.output)
    assert (error["file"], int(error["line"])) == (str(path), line)
    assert fragment in error["rest"]


def test_a_missing_path(tmp_path):
    result = validate(tmp_path / "nowhere")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}:1:1: no such file or directory" in result.output


def test_verbose_names_skipped_files(tmp_path):
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n")
    result = validate(tmp_path, "-v", "--no-color")
    assert result.exit_code == 0
    assert "workflow.yml: skipped, not a seqops manifest" in result.output
    assert "\x1b[" not in result.output


def test_the_installed_console_script(tmp_path):
    ok = subprocess.run([SEQOPS, "validate", EXAMPLES], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("10 resources: valid")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe" + "kind: x".encode("utf-16-le"))
    failed = subprocess.run(
        [SEQOPS, "validate", bad, "--format", "json"], capture_output=True, text=True, timeout=60
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    [error] = json.loads(failed.stdout)["errors"]
    assert error["message"].startswith("not UTF-8 text")
