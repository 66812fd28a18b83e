"""`seqops validate` through the real entry point: exit codes, error lines, JSON, bad input."""

from __future__ import annotations

import json
import os
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
    assert result.output.strip().endswith("10 files, 10 resources: valid")


def test_the_path_defaults_to_the_current_directory(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    result = validate()
    assert result.exit_code == 0, result.output
    assert "10 resources: valid" in result.output


def test_json_output_when_valid():
    result = validate(EXAMPLES, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    notes = document.pop("notes")
    assert document == {"valid": True, "files": 10, "resources": 10, "errors": []}
    assert {Path(n["file"]).parent.name for n in notes} == {"ci"}  # the workflows beside them


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
        ("c.yaml", 6),
        ("c.yaml", 7),
    ]
    assert "did you mean 'Template'?" in lines[0]["rest"]
    assert "tabs" in lines[1]["rest"]
    # the schema error and the semantic errors of one document, all at once
    assert [m["rest"] for m in lines[2:]] == [
        "Sequence/s: spec.steps[1].wait: '2 days' is not a duration: write 0, 90m, 2d or 1w "
        "(seconds, or a whole number with s, m, h, d or w)",
        "Sequence/s: spec.steps[1].template: no Template named 'missing'",
        "Sequence/s: spec.steps[2].template: a call step sends no email",
    ]
    assert result.output.strip().endswith("5 errors in 3 files")


def test_semantic_errors_come_with_the_schema_errors_of_the_same_document(tmp_path):
    (tmp_path / "s.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec:\n"
        "  sequenceType: date\n  bogus: 1\n  steps:\n"
        "    - {type: auto_email, wait: 1d, template: intro}\n"
        "    - {type: emial, date: 2027-01-01}\n"
        "    - {type: manual_email, date: 2027-01-02, template: intor}\n"
    )
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert [m["rest"] for m in error_lines(result.output)] == [
        "Sequence/s: spec.bogus: unknown key 'bogus'",
        "Sequence/s: spec.steps[1]: needs a `date`: this is a date sequence",
        "Sequence/s: spec.steps[1].wait: `wait` is for interval sequences: use `date`",
        "Sequence/s: spec.steps[2].type: 'emial' is not one of 'auto_email', 'manual_email', "
        "'call', 'task'",
        "Sequence/s: spec.steps[3].template: no Template named 'intor' (did you mean 'intro'?)",
    ]


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
        "Sequence/s: spec.steps[1]: needs a `date`: this is a date sequence",
        "Sequence/s: spec.steps[1].wait: `wait` is for interval sequences: use `date`",
    ]


BAD_INPUTS = {
    "non-UTF-8": ("subject: caf\u00e9\n".encode("latin-1"), 1, "not UTF-8"),
    "tabs": (b"apiVersion: seqops/v1\nkind: Template\nmetadata:\n\tname: x\n", 4, "tabs"),
    "invalid YAML": (b"apiVersion: [seqops/v1\n", 2, "invalid YAML"),
    "a list": (b"- apiVersion: seqops/v1\n", 1, "not a list"),
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
    result = validate(tmp_path / "nowhere", template_file(tmp_path))
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[0] == f"error: {tmp_path / 'nowhere'}: no such file or directory"
    )


def template_file(tmp_path: Path) -> Path:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    return tmp_path / "t.yaml"


def test_an_empty_manifest_set_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = validate(tmp_path / "empty")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"error: no manifests under {tmp_path / 'empty'}"


def test_only_foreign_yaml_is_no_manifest_set_either(tmp_path):
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n")
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f"{tmp_path / 'workflow.yml'}:1:1: note: not a seqops manifest, skipped",
        f"error: no manifests under {tmp_path}",
    ]


def test_non_seqops_yaml_is_skipped_with_a_note(tmp_path):
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "k8s.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n- a\n- b\n---\njust text\n"
    )
    result = validate(tmp_path, "--no-color")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{tmp_path / 'k8s.yaml'}:1:1: note: not a seqops manifest, skipped",
        f"{tmp_path / 'k8s.yaml'}:5:1: note: not a seqops manifest, skipped",
        f"{tmp_path / 'k8s.yaml'}:8:1: note: not a seqops manifest, skipped",
        f"{tmp_path / 'workflow.yml'}:1:1: note: not a seqops manifest, skipped",
        "1 file, 1 resource: valid",
    ]
    assert "\x1b[" not in result.output
    document = json.loads(validate(tmp_path, "--format", "json").output)
    assert (document["valid"], document["files"], len(document["notes"])) == (True, 1, 4)
    assert document["notes"][0] == {
        "file": str(tmp_path / "k8s.yaml"),
        "line": 1,
        "column": 1,
        "message": "not a seqops manifest, skipped",
    }


def test_a_fifo_is_refused_and_never_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    named = subprocess.run(
        [SEQOPS, "validate", tmp_path / "pipe.yaml"], capture_output=True, text=True, timeout=60
    )
    assert named.returncode == 1
    assert named.stdout.splitlines()[0] == (
        f"error: {tmp_path / 'pipe.yaml'}: is a named pipe (FIFO), not a regular file: "
        "give a manifest file or a directory"
    )
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    walked = subprocess.run(
        [SEQOPS, "validate", tmp_path], capture_output=True, text=True, timeout=60
    )
    assert walked.returncode == 1 and "Traceback" not in walked.stderr
    assert f"error: {tmp_path / 'pipe.yaml'}: is a named pipe (FIFO)" in walked.stdout


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


def test_seqops_yaml_in_the_working_directory_is_checked_with_the_manifests(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "seqops.yaml").write_text(
        "default: stagin\ntargets:\n  staging:\n    tokn: env:X\n    provider: outreah\n"
    )
    result = validate("--no-color")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "seqops.yaml:1:10: default: unknown target 'stagin' (did you mean 'staging'?)",
        "seqops.yaml:4:5: targets.staging.tokn: unknown key 'tokn' (did you mean 'token'?)",
        "seqops.yaml:5:15: targets.staging.provider: 'outreah' is not one of 'outreach', "
        "'coefficy' (did you mean 'outreach'?)",
        "3 errors in 1 file",
    ]
    (tmp_path / "seqops.yaml").write_text("targets:\n  staging: {token: env:X}\n")
    assert validate().exit_code == 0


def test_an_unknown_target_gets_a_suggestion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "seqops.yaml").write_text("targets:\n  staging: {token: env:X}\n")
    result = subprocess.run(
        [SEQOPS, "plan", "t.yaml", "--target", "stagin"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "unknown target 'stagin' (did you mean 'staging'?)" in result.stderr
