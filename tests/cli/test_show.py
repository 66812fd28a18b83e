"""`seqops show PLANFILE`: a saved plan rendered again, offline, checksum verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app

MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hello</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  enabled: true
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d}
"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def saved(project) -> Path:
    return project(MANIFESTS)


@pytest.mark.parametrize("format", ["text", "json", "markdown"])
def test_show_renders_the_saved_plan_as_plan_did(saved: Path, format: str):
    planned = seqops("plan", "manifests", "--format", format, "--out", "plan.json", "--no-color")
    assert planned.exit_code == 0, planned.output
    shown = seqops("show", "plan.json", "--format", format, "--no-color")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == planned.stdout
    assert "Inbound demo" in shown.stdout


def test_show_json_is_the_saved_document(saved: Path):
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    shown = seqops("show", "plan.json", "--format", "json")
    assert json.loads(shown.stdout) == json.loads((saved / "plan.json").read_text())


def test_show_works_after_the_account_and_manifests_moved_on(saved: Path):
    """It renders the file, not a new plan: nothing is read from the target."""
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    (saved / "manifests" / "account.yaml").unlink()
    shown = seqops("show", "plan.json", "--no-color")
    assert shown.exit_code == 0
    assert "+ create Sequence/inbound" in shown.stdout


def test_a_tampered_plan_is_refused_in_one_line(saved: Path):
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    document = json.loads((saved / "plan.json").read_text())
    document["changes"][0]["name"] = "injected"
    (saved / "plan.json").write_text(json.dumps(document))
    shown = seqops("show", "plan.json")
    assert shown.exit_code == 1
    assert shown.stdout == ""
    assert shown.stderr == (
        "error: plan.json: the plan file's checksum does not match its content: re-plan\n"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read the plan: No such file or directory"),
        ("not json", "not a seqops plan file (not JSON"),
        ("[1, 2]", "not a seqops plan file (a JSON list)"),
        ('{"format_version": 99}', "unsupported plan format_version 99"),
    ],
)
def test_what_is_not_a_plan_is_refused_in_one_line(saved: Path, content, expected):
    if content is not None:
        (saved / "plan.json").write_text(content)
    shown = seqops("show", "plan.json")
    assert shown.exit_code == 1
    [line] = shown.stderr.splitlines()
    assert line.startswith("error: plan.json: ") and expected in line
