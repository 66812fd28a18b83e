"""`seqops plan` / `apply` against a Coefficy target (the sandbox served on 127.0.0.1): the
AutomationRule audit as plan changes, and an apply that writes nothing and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE
from seqops.sandbox.coefficy import generate_coefficy_actions, rule_for_families, update_action

TOKEN_ENV = "COEFFICY_PLAN_TOKEN"
SEQUENCE = 700
FAMILIES = ("onSuccess.opportunity", "onFailure.relaunch")
TEMPLATE = "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: hello}\nspec: {subject: Hi}\n"


def rule_document(name: str = "prospection", state: str = "present") -> str:
    spec = rule_for_families(SEQUENCE, FAMILIES, supplies=2)
    document = {
        "apiVersion": "seqops/v1",
        "kind": "AutomationRule",
        "metadata": {"name": name},
        "state": state,
        "spec": spec.model_dump(mode="json", exclude_none=True),
    }
    return json.dumps(document)  # JSON is YAML


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served_sandbox):
    """seqops.yaml naming the served Coefficy endpoint; manifests: one rule and a template."""
    url, box = served_sandbox
    (tmp_path / "seqops.yaml").write_text(
        f"targets:\n  cf:\n    provider: coefficy\n    url: {url}\n    token: env:{TOKEN_ENV}\n"
    )
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "rule.yaml").write_text(rule_document())
    (manifests / "template.yaml").write_text(TEMPLATE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(TOKEN_ENV, "coefficy-token")
    return box


@pytest.fixture
def actions(project):
    """Four running actions of the sequence, carrying exactly the manifest's automations."""
    spec = rule_for_families(SEQUENCE, FAMILIES, supplies=2)
    return generate_coefficy_actions(project.sandbox, SEQUENCE, 4, rule=spec)


@pytest.fixture
def drifted(project, actions):
    """Two of the four actions relaunch with another second supply than the manifest's."""
    for action in actions[:2]:
        update_action(
            project.sandbox, action["idSequenceAction"], automateFailureRelaunchIdSupply2=99
        )
    return [a["idSequenceAction"] for a in actions[:2]]


def seqops(*args: str):
    result = CliRunner().invoke(app, [*args, "--target", "cf", "--no-color"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_no_drift_is_zero_changes_and_other_kinds_are_skipped_in_one_line(actions):
    result = seqops("plan", "manifests", "--detailed-exitcode")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Target: cf (coefficy http://127.0.0.1:")
    assert "No changes" in result.stdout
    skipped = [line for line in result.stdout.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and "1 Sequence/Template/Ruleset manifest(s)" in skipped[0]


def test_drift_is_an_update_with_its_field_diff_and_exit_code_2(drifted):
    result = seqops("plan", "manifests", "--detailed-exitcode")

    assert result.exit_code == 2, result.output
    assert "~ update AutomationRule/prospection (id 700)" in result.stdout
    supply = rule_for_families(SEQUENCE, FAMILIES, supplies=2).onFailure.relaunch.supplies[1]
    assert f"onFailure.relaunch.supplies[1].supply: 99 → {supply.supply}" in result.stdout
    assert "2 of 4 running actions differ" in result.stdout
    assert READ_ONLY_MESSAGE in result.stdout.replace("\n", " ")
    assert "Plan: 1 to update." in result.stdout


def test_json_plan_of_a_drift(drifted):
    result = seqops("plan", "manifests", "--format", "json")

    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    (change,) = plan["changes"]
    assert (change["action"], change["kind"], change["name"], change["id"]) == (
        "update",
        "AutomationRule",
        "prospection",
        SEQUENCE,
    )
    assert [d["path"] for d in change["diff"]] == ["onFailure.relaunch.supplies[1].supply"]
    assert change["diff"][0]["old"] == 99
    assert change["drift"][0]["actions"] == drifted
    assert change["actions_checked"] == 4
    assert READ_ONLY_MESSAGE in change["warnings"]
    assert any("2 of 4 running actions" in w for w in change["warnings"])
    assert plan["summary"]["update"] == 1 and plan["checksum"]
    assert plan["references"] == {k: {} for k in plan["references"]}


def test_markdown_plan_of_a_drift(drifted):
    result = seqops("plan", "manifests", "--format", "markdown")

    assert result.exit_code == 0, result.output
    assert "AutomationRule/prospection" in result.stdout
    assert "onFailure.relaunch.supplies[1].supply" in result.stdout
    assert READ_ONLY_MESSAGE in result.stdout


def test_apply_with_drift_writes_nothing_and_fails_clearly(project, drifted):
    project.sandbox.reset_counters()

    result = seqops("apply", "manifests")

    assert result.exit_code == 1, result.output
    assert "~ update AutomationRule/prospection" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith("error: 0 of 1 change applied: Coefficy is read-only.")
    assert project.sandbox.request_count == 1  # the read, nothing else
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 2  # still drifted


def test_apply_without_drift_succeeds_and_needs_no_confirmation(actions):
    result = seqops("apply", "manifests")

    assert result.exit_code == 0, result.output
    assert "Nothing to apply." in result.stdout


def test_apply_of_a_saved_drift_plan_sends_nothing(project, drifted):
    assert seqops("plan", "manifests", "--out", "drift.json").exit_code == 0
    project.sandbox.reset_counters()

    result = seqops("apply", "--plan", "drift.json")

    assert result.exit_code == 1, result.output
    assert "Coefficy is read-only" in result.stderr
    assert project.sandbox.request_count == 0


def test_a_rule_marked_absent_is_reported_not_audited(project, actions):
    Path("manifests/rule.yaml").write_text(rule_document(state="absent"))

    result = seqops("plan", "manifests", "--detailed-exitcode")

    assert result.exit_code == 0, result.output
    assert "AutomationRule/prospection: state: absent retires nothing on Coefficy" in result.stdout


def test_an_outreach_plan_skips_automation_rules_in_one_line(tmp_path, monkeypatch):
    """No seqops.yaml: the embedded sandbox (Outreach) is the target."""
    monkeypatch.chdir(tmp_path)
    Path("m").mkdir()
    Path("m/rule.yaml").write_text(rule_document())
    Path("m/template.yaml").write_text(TEMPLATE)

    result = CliRunner().invoke(app, ["plan", "m", "--no-color", "--format", "json"])

    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert [(c["action"], c["kind"]) for c in plan["changes"]] == [("create", "Template")]
    assert plan["warnings"] == [
        "1 AutomationRule manifest(s) skipped: an Outreach target does not hold them "
        "(plan them against a `provider: coefficy` target)"
    ]


def test_an_automation_turned_off_live_shows_the_whole_block(project, actions):
    update_action(
        project.sandbox, actions[0]["idSequenceAction"], automateSuccessHasOpportunity=False
    )

    result = seqops("plan", "manifests", "--detailed-exitcode")

    assert result.exit_code == 2, result.output
    added = [line.strip() for line in result.stdout.splitlines() if "onSuccess.opportunity" in line]
    assert len(added) == 1 and added[0].startswith("+ onSuccess.opportunity: {title: ")
    assert "1 of 4 running actions differ" in result.stdout
