"""`reconcile` against a Coefficy target in process: the audit is the plan, shown like any other;
apply never executes it (the API is read-only) and says so with `read_only`."""

from __future__ import annotations

import pytest

from seqops.apply.reconcile import Options, reconcile
from seqops.manifest.models import AutomationRule
from seqops.plan.plan import Plan
from seqops.plan.selection import Selection
from seqops.sandbox.coefficy import generate_coefficy_actions, rule_for_families, update_action

pytestmark = pytest.mark.anyio

SEQUENCE = 700


def rule(spec, name: str) -> AutomationRule:
    return AutomationRule(
        apiVersion="seqops/v1", kind="AutomationRule", metadata={"name": name}, spec=spec
    )


@pytest.fixture
def drifted(coefficy):
    spec = rule_for_families(SEQUENCE, supplies=2)
    live = generate_coefficy_actions(coefficy.sandbox, SEQUENCE, 3, rule=spec)
    update_action(coefficy.sandbox, live[0]["idSequenceAction"], automateFailureRelaunchIdSupply2=9)
    other = rule_for_families(SEQUENCE + 1, supplies=2)
    generate_coefficy_actions(coefficy.sandbox, SEQUENCE + 1, 2, rule=other)
    return [rule(spec, "drifting"), rule(other, "steady")]


async def outcome_of(coefficy, rules, *, apply: bool, options: Options = Options()):
    shown: list[Plan] = []
    asked: list[Plan] = []
    async with coefficy.provider() as provider:
        outcome = await reconcile(
            rules,
            provider,
            "coefficy",
            options,
            apply=apply,
            show=shown.append,
            confirm=asked.append,
        )
    assert shown == [outcome.plan] and asked == []  # shown, never confirmed: nothing to run
    return outcome


async def test_apply_on_coefficy_shows_the_drift_and_runs_nothing(coefficy, drifted):
    outcome = await outcome_of(coefficy, drifted, apply=True)
    assert [c.name for c in outcome.plan.changes] == ["drifting"]
    assert outcome.read_only and outcome.report is None and not outcome.declined


async def test_plan_on_coefficy_is_not_marked_read_only(coefficy, drifted):
    outcome = await outcome_of(coefficy, drifted, apply=False)
    assert [c.name for c in outcome.plan.changes] == ["drifting"]
    assert not outcome.read_only and outcome.report is None


async def test_the_selection_narrows_the_coefficy_audit(coefficy, drifted):
    steady = Options(selection=Selection.parse(["AutomationRule/steady"]))
    assert (await outcome_of(coefficy, drifted, apply=False, options=steady)).plan.empty
    drifting = Options(selection=Selection.parse(["AutomationRule/drifting"]))
    outcome = await outcome_of(coefficy, drifted, apply=False, options=drifting)
    assert [c.name for c in outcome.plan.changes] == ["drifting"]
