"""Export an account, plan the export: only `adopt`, no field changes; apply; re-plan: nothing.

Runs the real `seqops export` CLI against the embedded sandbox in a temporary directory, then
plans and applies the exported files through the planner and executor.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from seqops.apply.reconcile import Options, reconcile
from seqops.cli import app as cli
from seqops.config import embedded_target
from seqops.manifest.models import manifest_adapter
from seqops.manifest.schemas import manifest_validator
from seqops.providers.factory import build_provider
from seqops.sandbox.app import create_app

from .conftest import build_rich_account


@pytest.fixture
def sandbox_dir(tmp_path, monkeypatch) -> Path:
    """A fresh directory whose embedded sandbox holds the demo account."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / ".seqops" / "sandbox.db"
    db.parent.mkdir()
    create_app(db=str(db), demo=True).state.sandbox.close()
    return tmp_path


def run_export(*args: str) -> str:
    result = CliRunner().invoke(cli, ["export", "--out", "manifests", "--no-color", *args])
    assert result.exit_code == 0, result.output
    return result.output


def load(directory: Path) -> list:
    """Each file checked against the committed JSON Schema, then read as its model."""
    yaml = YAML(typ="safe")
    for path in sorted(directory.rglob("*.yaml")):
        errors = [e.message for e in manifest_validator().iter_errors(yaml.load(path.read_text()))]
        assert errors == [], path
    return [
        manifest_adapter.validate_python(yaml.load(p.read_text()))
        for p in sorted(directory.rglob("*.yaml"))
    ]


def plan_and_apply(resources: list, apply: bool):
    async def run():
        provider = build_provider(embedded_target())
        try:
            options = Options(allow_disruption=True)
            return await reconcile(resources, provider, "sandbox", options, apply=apply)
        finally:
            await provider.aclose()

    return asyncio.run(run())


def assert_round_trip(directory: Path) -> None:
    first = {p: p.read_bytes() for p in directory.rglob("*.yaml")}
    resources = load(directory)
    planned = plan_and_apply(resources, apply=False).plan
    assert planned.changes, "an export of a hand-made account is adopted"
    assert {c.action for c in planned.changes} == {"adopt"}
    assert [str(d) for c in planned.changes for d in c.diff] == []
    adopted = {(c.kind, c.name) for c in planned.changes}
    assert adopted == {(r.kind, r.name) for r in resources if r.kind != "Ruleset"}
    outcome = plan_and_apply(resources, apply=True)
    assert [str(r) for r in outcome.report.results if r.status != "done"] == []
    assert plan_and_apply(resources, apply=False).plan.changes == []
    output = run_export()
    assert {p: p.read_bytes() for p in directory.rglob("*.yaml")} == first
    assert f"0 new, 0 updated, {len(first)} unchanged" in output


def test_demo_account_round_trips(sandbox_dir):
    output = run_export()
    assert output.startswith("Target: embedded sandbox")
    assert "Exported 3 sequences, 5 templates, 1 ruleset to manifests (9 new" in output
    assert_round_trip(sandbox_dir / "manifests")


def test_account_with_every_attribute_set_round_trips(sandbox_dir):
    app = create_app(db=str(sandbox_dir / ".seqops/sandbox.db"))
    asyncio.run(build_rich_account(app))
    app.state.sandbox.close()
    output = run_export()
    assert "warning: Sequences share a name" in output
    assert "warning: Sequence 'No template yet' (id 8) not exported" in output
    assert "warning: template shared-follow-up is sent by 2 sequences" in output
    exported = sandbox_dir / "manifests"
    assert (exported / "sequences/everything-set.yaml").is_file()
    assert_round_trip(exported)
