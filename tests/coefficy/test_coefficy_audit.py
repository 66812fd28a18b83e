"""AutomationRule manifests against the live actions the sandbox serves: drift, field by field."""

import pytest

from seqops.manifest.models import AutomationRule
from seqops.providers.coefficy.audit import READ_ONLY_MESSAGE, audit_rules, read_and_audit
from seqops.providers.coefficy.mapping import FAMILY_PATHS
from seqops.sandbox.coefficy import generate_coefficy_actions, rule_for_families, update_action

pytestmark = pytest.mark.anyio

SEQUENCE = 700


def manifest(spec, name="prospection", state="present") -> AutomationRule:
    return AutomationRule(
        apiVersion="seqops/v1",
        kind="AutomationRule",
        metadata={"name": name},
        spec=spec,
        state=state,
    )


async def audit(box, *rules):
    async with box.provider() as provider:
        return await read_and_audit(rules, provider)


@pytest.fixture
def spec():
    """Every family on; the failure relaunch's second supply is 14."""
    spec = rule_for_families(SEQUENCE, supplies=4)
    spec.onFailure.relaunch.supplies[1].supply = 14
    return spec


@pytest.fixture
def live(coefficy, spec):
    return generate_coefficy_actions(coefficy.sandbox, SEQUENCE, 5, rule=spec)


@pytest.mark.parametrize("supplies", [1, 2, 3, 4])
async def test_generated_actions_of_every_family_match_their_rule(coefficy, supplies):
    spec = rule_for_families(SEQUENCE, FAMILY_PATHS, supplies=supplies, seed=supplies)
    actions = generate_coefficy_actions(coefficy.sandbox, SEQUENCE, 3, rule=spec)
    assert actions[0][f"automateFailureRelaunchPersonaIdSupply{supplies}"] is not None
    if supplies < 4:
        assert actions[0][f"autoFailRelEnrichContactIdSupply{supplies + 1}"] is None
    assert actions[0]["automateFailureNoSuccessUnsubscribe"] is True
    (result,) = await audit(coefficy, manifest(spec))
    assert (result.actions_checked, result.drifts, result.warnings) == (3, (), [])


async def test_a_changed_supply_is_one_precise_drift_with_its_actions(coefficy, spec, live):
    changed = [a["idSequenceAction"] for a in live[:3]]
    for action_id in changed:
        update_action(coefficy.sandbox, action_id, automateFailureRelaunchIdSupply2=12)
    (result,) = await audit(coefficy, manifest(spec))
    assert result.lines() == ["onFailure.relaunch.supplies[1].supply: 12 → 14 (3 actions)"]
    assert result.action_ids == changed
    assert result.diff() == [
        {"path": "onFailure.relaunch.supplies[1].supply", "old": 12, "new": 14, "actions": changed}
    ]
    drift = result.drifts[0]
    assert (drift.rule_name, drift.sequence_id, drift.action_id) == (
        "prospection",
        SEQUENCE,
        changed[0],
    )
    assert (drift.manifest_value, drift.live_value) == (14, 12)
    assert result.warnings == [READ_ONLY_MESSAGE]


async def test_an_automation_turned_off_live_is_a_block_drift(coefficy, spec, live):
    update_action(
        coefficy.sandbox, live[0]["idSequenceAction"], automateFailureHasRelaunchPersona=False
    )
    update_action(
        coefficy.sandbox, live[1]["idSequenceAction"], automateFailureNoSuccessUnsubscribe=False
    )
    (result,) = await audit(coefficy, manifest(spec))
    persona, unsubscribe = result.groups
    assert (persona.path, persona.live_value, persona.action_ids) == (
        "onFailure.relaunchPersona",
        None,
        (live[0]["idSequenceAction"],),
    )
    assert (
        persona.manifest_value["supplies"][0]["supply"]
        == spec.onFailure.relaunchPersona.supplies[0].supply
    )
    assert persona.line().startswith("onFailure.relaunchPersona: off → {supplies: [")
    assert unsubscribe.line() == "onNoSuccess.unsubscribe: false → true (1 action)"


async def test_an_extra_live_supply_and_a_changed_text_are_listed(coefficy, spec, live):
    spec.onSuccess.relaunch.supplies = spec.onSuccess.relaunch.supplies[:3]
    spec.unsubscribe.linkText = "Désabonnement"
    (result,) = await audit(coefficy, manifest(spec))
    paths = [g.path for g in result.groups]
    assert paths == ["onSuccess.relaunch.supplies[3]", "unsubscribe.linkText"]
    assert result.groups[1].live_value == "Se désinscrire"
    assert len(result.groups[0].action_ids) == 5


async def test_outcomes_the_manifest_leaves_out_are_not_managed(coefficy, spec, live):
    update_action(
        coefficy.sandbox, live[0]["idSequenceAction"], automateSuccessHasOpportunity=False
    )
    update_action(coefficy.sandbox, live[0]["idSequenceAction"], hasUnsubscribe=False)
    unmanaged = spec.model_copy(update={"onSuccess": None, "unsubscribe": None})
    (result,) = await audit(coefficy, manifest(unmanaged))
    assert result.drifts == ()


async def test_ended_and_stopped_actions_are_history_not_drift(coefficy, spec):
    other = rule_for_families(SEQUENCE, families=("onSuccess.opportunity",))
    generate_coefficy_actions(
        coefficy.sandbox,
        SEQUENCE,
        4,
        rule=other,
        outcomes=("succeeded", "failed", "ended", "stopped"),
    )
    running = generate_coefficy_actions(coefficy.sandbox, SEQUENCE, 2, rule=spec)
    (result,) = await audit(coefficy, manifest(spec))
    assert (result.actions_checked, result.drifts) == (2, ())
    assert running[0]["isEnded"] is None


async def test_a_sequence_without_running_actions_says_so(coefficy):
    (result,) = await audit(coefficy, manifest(rule_for_families(4242)))
    assert result.actions_checked == 0
    assert result.warnings == ["Coefficy sequence 4242 has no running actions to compare"]


async def test_all_rules_are_read_in_one_request_and_absent_rules_skipped(coefficy):
    for sequence in (701, 702, 703):
        generate_coefficy_actions(coefficy.sandbox, sequence, 2, rule=rule_for_families(sequence))
    rules = [manifest(rule_for_families(s), name=f"r{s}") for s in (701, 702)]
    rules.append(manifest(rule_for_families(703), name="gone", state="absent"))
    before = coefficy.sandbox.requests[("GET", "/coefficy/v1/sequence/action")]
    results = await audit(coefficy, *rules)
    assert coefficy.sandbox.requests[("GET", "/coefficy/v1/sequence/action")] == before + 1
    assert [(r.rule_name, r.actions_checked, r.drifted) for r in results] == [
        ("r701", 2, False),
        ("r702", 2, False),
    ]


def test_the_audit_is_pure_given_actions(spec):
    action = {"idSequenceAction": 1, "idSequence": SEQUENCE, "isEnded": False}
    (result,) = audit_rules([manifest(spec)], [action])
    assert "onFailure.relaunch: off → {" in "\n".join(result.lines())
