"""The plan of a Coefficy target, in process (`seqops.plan.automation.audit_plan`): one change
per drifted rule with its diff and the drifted action ids, and one line for each thing left out
(Outreach kinds, rules marked absent, rules with nothing to compare)."""

from __future__ import annotations

import pytest

from seqops.manifest.models import AutomationRule, manifest_adapter
from seqops.plan.automation import audit_plan, outreach_note
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE
from seqops.sandbox.coefficy import generate_coefficy_actions, rule_for_families, update_action

pytestmark = pytest.mark.anyio

SEQUENCE = 700
OTHER = 701
FAMILIES = ("onSuccess.opportunity", "onFailure.relaunch")
SKIPPED = (
    " manifest(s) skipped: a `provider: coefficy` target does not hold them "
    "(plan them against an Outreach target)"
)


def rule(name: str, sequence: int = SEQUENCE, state: str = "present") -> AutomationRule:
    spec = rule_for_families(sequence, FAMILIES, supplies=2)
    return AutomationRule(
        apiVersion="seqops/v1",
        kind="AutomationRule",
        metadata={"name": name},
        spec=spec,
        state=state,
    )


def template(name: str):
    return manifest_adapter.validate_python(
        {"apiVersion": "seqops/v1", "kind": "Template", "metadata": {"name": name}, "spec": {}}
    )


def running(box, count: int, sequence: int = SEQUENCE) -> list[int]:
    spec = rule_for_families(sequence, FAMILIES, supplies=2)
    actions = generate_coefficy_actions(box.sandbox, sequence, count, rule=spec)
    return [a["idSequenceAction"] for a in actions]


def drift(box, ids: list[int]) -> None:
    for action_id in ids:
        update_action(box.sandbox, action_id, automateFailureRelaunchIdSupply2=99)


async def planned(box, resources, description: str = ""):
    async with box.provider() as provider:
        return await audit_plan(resources, provider, "cf", description), provider.description


async def test_no_drift_plans_nothing_and_skips_the_outreach_kinds_in_one_line(coefficy):
    running(coefficy, 3)
    plan, description = await planned(coefficy, [rule("r"), template("a"), template("b")])
    assert plan.changes == [] and plan.target == "cf"
    assert plan.target_description == description and description
    assert plan.warnings == [f"2 Sequence/Template/Ruleset{SKIPPED}"]


async def test_a_given_description_names_the_target(coefficy):
    running(coefficy, 1)
    plan, _ = await planned(coefficy, [rule("r")], "prod Coefficy")
    assert plan.target_description == "prod Coefficy" and plan.warnings == []


async def test_without_rules_the_plan_says_there_is_nothing_to_audit(coefficy):
    plan, _ = await planned(coefficy, [template("a")])
    assert plan.changes == []
    assert plan.warnings == [
        f"1 Sequence/Template/Ruleset{SKIPPED}",
        "no AutomationRule manifests: nothing to audit on this Coefficy target",
    ]


async def test_an_absent_rule_is_reported_and_only_present_ones_audited(coefficy):
    drift(coefficy, running(coefficy, 2))
    running(coefficy, 1, OTHER)
    plan, _ = await planned(coefficy, [rule("gone", OTHER, "absent"), rule("r"), template("a")])
    assert [(c.action, c.kind, c.name) for c in plan.changes] == [("update", "AutomationRule", "r")]
    assert plan.warnings == [
        f"1 Sequence/Template/Ruleset{SKIPPED}",
        "AutomationRule/gone: state: absent retires nothing on Coefficy (its API is "
        "read-only): skipped",
    ]


async def test_a_drifted_rule_is_an_update_with_its_diff_and_action_ids(coefficy):
    ids = running(coefficy, 4)
    drift(coefficy, ids[:2])
    desired = rule("r")
    plan, _ = await planned(coefficy, [desired])
    [change] = plan.changes
    assert (change.action, change.kind, change.name) == ("update", "AutomationRule", "r")
    assert change.desired is desired
    assert (change.id, change.sequence_id, change.actions_checked) == (SEQUENCE, SEQUENCE, 4)
    [field] = change.diff
    assert (field.path, field.old) == ("onFailure.relaunch.supplies[1].supply", 99)
    assert field.new not in (None, 99)
    assert change.drift == [
        {"path": change.diff[0].path, "old": 99, "new": change.diff[0].new, "actions": ids[:2]}
    ]
    assert change.reason == f"live actions of Coefficy sequence {SEQUENCE} differ from the manifest"
    shown = ", ".join(map(str, ids[:2]))
    assert change.warnings == [
        f"2 of 4 running actions differ (idSequenceAction {shown})",
        READ_ONLY_MESSAGE,
    ]
    assert plan.warnings == []


@pytest.mark.parametrize(("count", "more"), [(10, ""), (11, ", …")])
async def test_at_most_ten_drifted_action_ids_are_named(coefficy, count, more):
    ids = running(coefficy, count)
    drift(coefficy, ids)
    plan, _ = await planned(coefficy, [rule("r")])
    [change] = plan.changes
    shown = ", ".join(map(str, sorted(ids)[:10])) + more
    assert (
        change.warnings[0]
        == f"{count} of {count} running actions differ (idSequenceAction {shown})"
    )


async def test_every_rule_is_audited_and_a_rule_without_actions_says_so(coefficy):
    drift(coefficy, running(coefficy, 2))
    plan, _ = await planned(coefficy, [rule("r"), rule("idle", OTHER), template("a")])
    assert [c.name for c in plan.changes] == ["r"]
    assert plan.warnings == [
        f"1 Sequence/Template/Ruleset{SKIPPED}",
        f"AutomationRule/idle: Coefficy sequence {OTHER} has no running actions to compare",
    ]


def test_an_outreach_plan_names_how_many_rules_it_skips():
    assert outreach_note([template("a")]) == []
    assert outreach_note([rule("r"), template("a"), rule("s", state="absent")]) == [
        "2 AutomationRule manifest(s) skipped: an Outreach target does not hold them "
        "(plan them against a `provider: coefficy` target)"
    ]
