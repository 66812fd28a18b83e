"""Export an account, plan the export: only `adopt`, no field changes; apply; re-plan: nothing.

Runs the real CLI (export, validate, plan, apply) against the embedded sandbox of a temporary
directory, as a user adopting an existing account would.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.manifest.schemas import manifest_validator
from seqops.sandbox.app import create_app

from .conftest import build_rich_account

KINDS = (("Sequence", "sequences"), ("Template", "templates"))


@pytest.fixture
def sandbox_dir(tmp_path, monkeypatch) -> Path:
    """A fresh directory whose embedded sandbox holds the demo account."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / ".seqops" / "sandbox.db"
    db.parent.mkdir()
    create_app(db=str(db), demo=True).state.sandbox.close()
    return tmp_path


def seqops(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, [*args, "--no-color"])
    assert result.exit_code == code, result.output
    return result.stdout


def run_export(*args: str) -> str:
    return seqops("export", "--out", "manifests", *args)


def assert_schema_valid(directory: Path) -> None:
    """Each file against the committed JSON Schema, as editors and check-jsonschema see it."""
    yaml = YAML(typ="safe")
    for path in sorted(directory.rglob("*.yaml")):
        errors = [e.message for e in manifest_validator().iter_errors(yaml.load(path.read_text()))]
        assert errors == [], path


def assert_round_trip(directory: Path) -> None:
    first = {p: p.read_bytes() for p in directory.rglob("*.yaml")}
    assert_schema_valid(directory)
    assert seqops("validate", "manifests").rstrip().endswith("valid")
    planned = json.loads(seqops("plan", "manifests", "--format", "json"))
    assert planned["changes"], "an export of a hand-made account is adopted"
    assert {c["action"] for c in planned["changes"]} == {"adopt"}
    assert [d for c in planned["changes"] for d in c["diff"]] == []
    exported = {(kind, p.stem) for kind, sub in KINDS for p in (directory / sub).glob("*.yaml")}
    assert {(c["kind"], c["name"]) for c in planned["changes"]} == exported
    applied = seqops("apply", "manifests", "--yes")
    assert f"Apply: {len(planned['changes'])} done, 0 failed, 0 not attempted." in applied
    seqops("plan", "manifests", "--detailed-exitcode")  # exit 0: no changes
    output = run_export()
    assert {p: p.read_bytes() for p in directory.rglob("*.yaml")} == first
    assert f"0 new, 0 updated, {len(first)} unchanged" in output


def test_demo_account_round_trips(sandbox_dir):
    output = run_export()
    assert output.startswith("Target: embedded sandbox")
    # the demo's ruleset and the account's default one
    assert "Exported 3 sequences, 5 templates, 2 rulesets to manifests (10 new" in output
    assert_round_trip(sandbox_dir / "manifests")


def test_account_with_every_attribute_set_round_trips(sandbox_dir):
    app = create_app(db=str(sandbox_dir / ".seqops/sandbox.db"))
    asyncio.run(build_rich_account(app))
    app.state.sandbox.close()
    output = run_export()
    assert "warning: Sequences share a name" in output
    assert "warning: Sequence 'No template yet' (id 8) not exported" in output
    assert "warning: Sequence 'Reply to nothing' (id 9) not exported: step 2 is marked" in output
    assert (
        "warning: template shared-follow-up is sent by 3 sequences (everything-set, launch-day, reply-to-nothing)"
        in output
    )
    exported = sandbox_dir / "manifests"
    everything = YAML(typ="safe").load((exported / "sequences/everything-set.yaml").read_text())
    assert "maxActivations" not in everything["spec"]  # interval: a leftover, left unmanaged
    assert "priority" not in everything["spec"]["steps"][0]  # an email step's task priority
    assert "maxActivations: 9" in (exported / "sequences/launch-day.yaml").read_text()
    assert_round_trip(exported)
