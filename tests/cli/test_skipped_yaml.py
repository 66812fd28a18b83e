"""YAML that is no seqops manifest (CI workflows beside the manifests, as in examples/ci/) is
skipped with a note. `validate` lists every one; `plan` and `apply` say it in one line, or one
per document with -v, so the README's first `seqops plan examples/` reads clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app

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
