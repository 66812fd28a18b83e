"""`seqops plan` through the real CLI, against the embedded sandbox in a temporary directory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.config import embedded_target
from seqops.embedded import embedded_provider

MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec:
  subject: Quick intro
  bodyHtml: <p>Hello {{first_name}}</p>
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


@pytest.fixture
def workdir(project) -> Path:
    """A fresh project: manifests under ./manifests, no seqops.yaml (embedded sandbox)."""
    return project(MANIFESTS)


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def test_plan_on_a_fresh_machine_uses_the_embedded_sandbox(workdir: Path):
    result = seqops("plan", "manifests", "--no-color")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("Target: embedded sandbox (.seqops/sandbox.db)")
    assert "not a real Outreach account" in first
    assert "+ create Template/intro" in result.stdout
    assert "+ create Sequence/inbound" in result.stdout
    assert (workdir / ".seqops" / "sandbox.db").is_file()


def test_detailed_exitcode_then_zero_after_apply(workdir: Path):
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 2
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    again = seqops("plan", "manifests", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.stdout


def test_json_format_follows_the_contract(workdir: Path):
    result = seqops("plan", "manifests", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 1 and doc["target"] == "sandbox"
    assert doc["summary"]["create"] == 2 and doc["summary"]["enable"] == 1
    assert {c["action"] for c in doc["changes"]} == {"create", "enable"}
    assert all({"path", "old", "new"} == set(d) for c in doc["changes"] for d in c["diff"])
    assert len(doc["checksum"]) == 64


def test_markdown_format(workdir: Path):
    result = seqops("plan", "manifests", "--format", "markdown")
    assert result.exit_code == 0
    assert "| Action | Count |" in result.stdout and "<details>" in result.stdout


def test_out_saves_the_json_plan_whatever_the_format(workdir: Path):
    result = seqops("plan", "manifests", "--out", "plan.json")
    assert result.exit_code == 0
    doc = json.loads((workdir / "plan.json").read_text())
    assert doc["format_version"] == 1 and len(doc["changes"]) == 3


def test_validation_errors_exit_1_before_any_network(workdir: Path):
    (workdir / "manifests" / "bad.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: Bad_Name}\nspec: {}\n"
    )
    result = seqops("plan", "manifests")
    assert result.exit_code == 1
    assert "manifests/bad.yaml:" in result.output
    assert not (workdir / ".seqops").exists()


def test_a_missing_path_or_no_manifests_is_an_error(workdir: Path):
    missing = seqops("plan", "nowhere")
    assert missing.exit_code == 1 and "nowhere" in missing.output
    (workdir / "empty").mkdir()
    empty = seqops("plan", "empty")
    assert empty.exit_code == 1 and "no manifests" in empty.output
    assert "Traceback" not in missing.output + empty.output


def test_url_target_needs_seqops_token(workdir: Path):
    result = seqops("plan", "manifests", "--target", "http://127.0.0.1:9/api/v2")
    assert result.exit_code == 1 and "SEQOPS_TOKEN" in result.output


def test_an_unsafe_plan_prints_and_names_the_flag_apply_needs(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    enroll_all(workdir)
    edited = MANIFESTS.replace("wait: 2d", "wait: 3d")
    (workdir / "manifests" / "account.yaml").write_text(edited)
    result = seqops("plan", "manifests", "--no-color", "--detailed-exitcode")
    assert result.exit_code == 2
    assert "impact: 2 active, 0 paused prospects" in result.stdout
    assert "apply will need --allow-disruption" in result.stdout


def enroll_all(workdir: Path, n: int = 2) -> None:
    """Enroll prospects in every sequence of the embedded sandbox (as a user of Outreach would)."""
    from seqops.sandbox.app import create_app

    db = workdir / ".seqops" / "sandbox.db"
    ids = [o.id for o in asyncio.run(read(db)).of_kind("Sequence")]
    sandbox = create_app(db=str(db)).state.sandbox
    try:
        for id in ids:
            sandbox.enroll(id, n=n)
    finally:
        sandbox.close()


async def read(db: Path):
    provider = embedded_provider(embedded_target(db))
    try:
        return await provider.read()
    finally:
        await provider.aclose()
