"""`seqops lint` through the real CLI: exit codes, the line format, JSON, SARIF (validated
against the SARIF 2.1.0 schema), seqops.yaml settings and their errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from seqops.cli import app

from .conftest import CASES, EXAMPLES, RULESET

runner = CliRunner()
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<rule>[\w/-]+) (?P<severity>error|warning|info): .+$"
)


def lint(*args: str | Path):
    return runner.invoke(app, ["lint", *map(str, args)])


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working directory holding one planted case (an unknown merge field, an error)."""
    monkeypatch.chdir(tmp_path)
    text = (CASES / "planted" / "merge-field-unknown.yaml").read_text() + RULESET
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "intro.yaml").write_text(text)
    return tmp_path


def test_examples_lint_clean_and_exit_0():
    result = lint(EXAMPLES)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "10 files: no lint findings"


def test_an_error_exits_1_with_one_located_line_per_finding(project):
    result = lint("manifests")
    assert result.exit_code == 1
    first, summary = result.output.strip().splitlines()
    match = LINE.match(first)
    assert match, first
    assert match.group("file", "line", "column", "rule", "severity") == (
        "manifests/intro.yaml",
        "7",
        "11",
        "merge-field/unknown",
        "error",
    )
    assert summary == "1 error in 1 file"


def test_warnings_alone_exit_0(project):
    (project / "seqops.yaml").write_text("lint:\n  rules:\n    merge-field/unknown: warning\n")
    result = lint("manifests")
    assert result.exit_code == 0, result.output
    assert "merge-field/unknown warning" in result.output


def test_invalid_manifests_are_errors_of_manifest_invalid(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: t}\nspec: {subjct: x}\n"
    )
    result = lint(bad)
    assert result.exit_code == 1
    assert f"{bad}:4:8: manifest/invalid error:" in result.output
    (finding,) = json.loads(lint(bad, "--format", "json").output)["findings"]
    assert (finding["kind"], finding["name"]) == ("Template", "t")  # the resource it is in


def test_json_output(project):
    result = lint("manifests", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["ok"] is False
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}
    (finding,) = document["findings"]
    assert finding["rule"] == "merge-field/unknown"
    assert (finding["file"], finding["line"], finding["column"]) == ("manifests/intro.yaml", 7, 11)


def test_sarif_validates_against_the_schema_with_precise_relative_locations(project, reference_dir):
    result = lint("manifests", "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.output)
    schema = json.loads((reference_dir / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    run = document["runs"][0]
    (only,) = run["results"]
    location = only["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "manifests/intro.yaml", "uriBaseId": "SRCROOT"}
    assert location["region"] == {"startLine": 7, "startColumn": 11, "endLine": 7, "endColumn": 25}
    rule = run["tool"]["driver"]["rules"][only["ruleIndex"]]
    assert rule["id"] == only["ruleId"] == "merge-field/unknown"
    assert rule["help"]["text"] and rule["shortDescription"]["text"]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == project.resolve().as_uri() + "/"


def test_sarif_of_a_clean_set_validates_too(reference_dir):
    result = lint(EXAMPLES, "--format", "sarif")
    assert result.exit_code == 0
    schema = json.loads((reference_dir / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(json.loads(result.output), schema)


def test_a_typo_in_the_lint_settings_is_one_located_line(project):
    (project / "seqops.yaml").write_text("lint:\n  rules:\n    merge-field/unknwn: off\n")
    result = lint("manifests")
    assert result.exit_code == 1
    assert "seqops.yaml:2:" in result.output
    assert "did you mean 'merge-field/unknown'?" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_format_is_a_usage_error():
    result = lint(EXAMPLES, "--format", "xml")
    assert result.exit_code == 1  # 2 means "changes" under --detailed-exitcode, never usage
    assert "'xml' is not one of" in result.output


SECOND = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: call}
spec:
  subject: Call 800-555-0199 or 1-800-555-0123
  bodyHtml: "<p>Hi {{first_name}},</p>"
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: calls}
spec:
  ruleset: rs
  steps:
    - {type: auto_email, wait: 0, template: call}
"""


def test_the_summary_counts_each_severity_over_every_file(project):
    """One line per finding, then one line counting them by severity, plural where it is."""
    (project / "manifests" / "second.yaml").write_text(SECOND)
    (project / "seqops.yaml").write_text("lint:\n  rules:\n    merge-field/unknown: info\n")
    result = lint("manifests")
    assert result.exit_code == 0, result.output  # warnings and infos do not fail a run
    *lines, summary = result.output.strip().splitlines()
    assert summary == "2 warnings, 1 info in 2 files"
    assert sorted(line.split(": ", 2)[1] for line in lines) == [
        "content/stand-in warning", "content/stand-in warning", "merge-field/unknown info",
    ]  # fmt: skip
    document = json.loads(lint("manifests", "--format", "json").output)
    assert document["ok"] is True and document["files"] == 2
    assert document["summary"] == {"error": 0, "warning": 2, "info": 1}


def test_an_error_and_a_warning_are_counted_apart(project):
    (project / "manifests" / "second.yaml").write_text(SECOND.replace(" or 1-800-555-0123", ""))
    result = lint("manifests")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "1 error, 1 warning in 2 files"
