"""YAML that is no seqops manifest (CI workflows beside the manifests, as in examples/ci/) is
skipped with a note. `validate` lists every one; `plan` and `apply` say it in one line, or one
per document with -v, so the README's first `seqops plan examples/` reads clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.sandbox.app import create_app

MANIFEST = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hi, bodyHtml: <p>Hello</p>}
"""
WORKFLOW = "name: {name}\non: [push]\njobs:\n  plan:\n    runs-on: ubuntu-latest\n"
WORKFLOWS = ("apply", "drift", "pr")


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def notes(text: str) -> list[str]:
    return [line for line in text.splitlines() if "note:" in line]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "repo" / "ci").mkdir(parents=True)
    (tmp_path / "repo" / "templates.yaml").write_text(MANIFEST)
    for name in WORKFLOWS:
        (tmp_path / "repo" / "ci" / f"{name}.yml").write_text(WORKFLOW.format(name=name))
    return tmp_path


@pytest.mark.parametrize("command", [["plan"], ["apply", "--yes"]])
def test_plan_and_apply_say_it_in_one_line(workdir: Path, command: list[str]):
    result = seqops(*command, "repo", "--no-color")
    assert result.exit_code == 0, result.output
    assert notes(result.stderr) == [
        "note: 3 YAML documents are not seqops manifests, skipped "
        "(-v or `seqops validate` lists them)"
    ]
    assert notes(result.stdout) == []


def test_plan_with_verbose_lists_each_document(workdir: Path):
    result = seqops("plan", "repo", "-v", "--no-color")
    assert result.exit_code == 0, result.output
    assert notes(result.stderr) == [
        f"repo/ci/{name}.yml:1:1: note: not a seqops manifest, skipped" for name in WORKFLOWS
    ]


def test_validate_still_lists_each_document(workdir: Path):
    result = seqops("validate", "repo", "--no-color")
    assert result.exit_code == 0, result.output
    assert len(notes(result.stdout)) == len(WORKFLOWS)


def test_a_single_skipped_document_is_named(workdir: Path):
    for name in WORKFLOWS[1:]:
        (workdir / "repo" / "ci" / f"{name}.yml").unlink()
    result = seqops("plan", "repo", "--format", "json")
    assert result.exit_code == 0, result.output
    assert notes(result.stderr) == ["repo/ci/apply.yml:1:1: note: not a seqops manifest, skipped"]


SEQUENCE = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  enabled: true
  steps:
    - {type: auto_email, wait: 0, template: intro}
"""
TEMPLATE = MANIFEST.replace("<p>Hello</p>", "'<p>Hello. Reply stop to unsubscribe.</p>'")


@pytest.fixture
def applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An enabled sequence applied to the embedded sandbox from repo/."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "templates.yaml").write_text(TEMPLATE)
    (tmp_path / "repo" / "inbound.yaml").write_text(SEQUENCE)
    result = seqops("apply", "repo", "--yes", "--no-color")
    assert result.exit_code == 0, result.output
    return tmp_path / "repo" / "inbound.yaml"


def enabled() -> bool:
    result = seqops("status", "--format", "json")
    [sequence] = json.loads(result.stdout)["sequences"]
    return sequence["enabled"]


@pytest.mark.parametrize("version", ["Seqops/v1", "seqop/v1", "v1"])
def test_a_mistyped_api_version_is_an_error_and_retires_nothing(applied: Path, version: str):
    applied.write_text(SEQUENCE.replace("seqops/v1", version))
    for command in (["plan"], ["apply", "--yes"]):
        result = seqops(*command, "repo", "--no-color")
        assert result.exit_code == 1
        assert (
            f"repo/inbound.yaml:1:13: Sequence/inbound: apiVersion: must be 'seqops/v1', not '{version}' (did you mean 'seqops/v1'?)"
            in result.output
        )
    assert enabled()


@pytest.mark.parametrize(
    "broken",
    [
        SEQUENCE.replace("seqops/v1", "v1").replace("spec:", "specs:"),
        SEQUENCE.replace("seqops/v1", "v1").replace("kind: Sequence", "kind: Sequense"),
    ],
)
def test_a_skipped_document_naming_what_the_plan_would_retire_refuses_the_plan(
    applied: Path, broken: str
):
    applied.write_text(broken)
    for command in (["plan"], ["apply", "--yes"]):
        result = seqops(*command, "repo", "--no-color")
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert lines[-2].startswith("repo/inbound.yaml:1:1: apiVersion 'v1', kind ")
        assert lines[-2].endswith(
            "named 'inbound': skipped as not a seqops manifest, but the plan would retire "
            "Sequence/inbound (id 1): make it a seqops manifest (apiVersion: seqops/v1, kind, "
            "metadata, spec) or keep it out of the paths given"
        )
        assert lines[-1] == (
            "error: refusing to plan the retirement of 1 object that skipped YAML documents "
            "name (nothing was written)"
        )
    assert enabled()
    applied.unlink()  # gone for good: retired as before (stopping every sequence: --force)
    result = seqops("apply", "repo", "--yes", "--force", "--no-color")
    assert result.exit_code == 0, result.output
    assert not enabled()


def test_a_skipped_document_cannot_retire_a_disabled_sequence_holding_pending_prospects(
    applied: Path,
):
    """Its retirement is a re-tag that names the prospects who never start (not a disable):
    still a retirement, still refused while a skipped document names it."""
    applied.write_text(SEQUENCE.replace("enabled: true", "enabled: false"))
    result = seqops("apply", "repo", "--yes", "--force", "--allow-disruption", "--no-color")
    assert result.exit_code == 0, result.output
    [sequence] = json.loads(seqops("status", "--format", "json").stdout)["sequences"]
    sandbox = create_app(db=str(applied.parents[1] / ".seqops" / "sandbox.db")).state.sandbox
    sandbox.enroll(sequence["id"], 2, "pending")
    sandbox.close()
    applied.write_text(
        SEQUENCE.replace("seqops/v1", "v1").replace("kind: Sequence", "kind: Sequense")
    )
    for command in (["plan"], ["apply", "--yes", "--allow-disruption", "--force"]):
        result = seqops(*command, "repo", "--no-color")
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1].startswith("error: refusing to plan the retirement")
    [after] = json.loads(seqops("status", "--format", "json").stdout)["sequences"]
    assert (after["key"], after["pending"]) == ("inbound", 2)  # not re-tagged retired
