"""Impact through references (templates, rulesets, enabling) and the stop/update thresholds,
against the in-process sandbox; every scenario ends converged."""

from __future__ import annotations

import pytest

from seqops.plan.plan import Plan
from seqops.plan.safety import (
    DisruptionRequired,
    SafetyThresholds,
    TooManyStops,
    TooManyUpdates,
)

from .kit import account, call, edited, email, resource, sequence, template

pytestmark = pytest.mark.anyio


async def test_ruleset_change_carries_the_prospects_of_its_sequences(kit):
    await kit.converge(account())
    inbound = await kit.live("Sequence", "inbound")
    kit.sandbox.enroll(inbound.id, n=1, state="paused")
    resources = edited(account(), "default-rules", includeUnsubscribeLinks=False)
    plan = await kit.plan(resources)
    [change] = plan.changes
    assert (change.kind, change.action) == ("Ruleset", "update")
    assert (change.impact.active, change.impact.paused) == (0, 1)
    assert [(s.id, s.name) for s in change.impact.sequences] == [(inbound.id, "Inbound demo")]
    assert plan.requires == ["--allow-disruption"] and change.requires == plan.requires
    with pytest.raises(DisruptionRequired, match="Ruleset/default-rules: 0 active, 1 paused"):
        await kit.reconcile(resources)
    await kit.converge(resources, allow_disruption=True)


async def test_template_change_without_prospects_is_not_disruptive(kit):
    await kit.converge(account())
    resources = edited(account(), "intro", subject="Changed")
    [change] = (await kit.plan(resources)).changes
    assert change.impact is not None and change.impact.total == 0
    assert not change.disruptive and change.requires == []
    await kit.converge(resources)


async def test_template_impact_counts_every_sequence_that_sends_it_once_each(kit):
    await kit.converge(account())
    inbound, outbound = [await kit.live("Sequence", n) for n in ("inbound", "outbound")]
    kit.sandbox.enroll(inbound.id, n=2)
    kit.sandbox.enroll(outbound.id, n=1, state="paused")
    kit.sandbox.enroll(outbound.id, n=4, state="finished")  # done: not reached
    resources = edited(account(), "intro", subject="Changed")
    before = kit.client.request_count
    [change] = (await kit.plan(resources)).changes
    reads = kit.client.request_count - before
    assert (change.impact.active, change.impact.paused) == (2, 1)
    assert sorted(s.name for s in change.impact.sequences) == ["Inbound demo", "Outbound"]
    # the account read (one page per collection) plus one count per sequence using it
    bare = kit.client.request_count
    await kit.provider.read()
    assert reads == (kit.client.request_count - bare) + 2
    saved = Plan.from_json((await kit.plan(resources)).to_json())
    assert saved.changes[0].impact == change.impact  # survives the plan file
    await kit.converge(resources, allow_disruption=True)


async def test_template_only_used_by_the_other_sequence_is_not_counted(kit):
    await kit.converge(account())
    inbound = await kit.live("Sequence", "inbound")
    kit.sandbox.enroll(inbound.id, n=3)
    resources = edited(account(), "follow-up", subject="Changed")  # only inbound sends it
    [change] = (await kit.plan(resources)).changes
    assert change.impact.active == 3
    resources = [*account(), template("lonely", "Nobody sends me")]
    await kit.converge(resources)
    lonely = edited(resources, "lonely", subject="Still nobody")
    [change] = (await kit.plan(lonely)).changes
    assert change.impact.total == 0 and not change.disruptive
    await kit.converge(lonely)


async def test_enabling_a_sequence_holding_pending_prospects_is_disruptive(kit):
    await kit.converge(account())
    outbound = await kit.live("Sequence", "outbound")
    assert not outbound.resource.spec.enabled
    kit.sandbox.enroll(outbound.id, n=2, state="pending")  # waiting for it to be enabled
    resources = edited(account(), "outbound", enabled=True)
    [change] = (await kit.plan(resources)).changes
    assert change.action == "enable" and change.impact.pending == 2
    assert change.disruptive and change.requires == ["--allow-disruption"]
    with pytest.raises(DisruptionRequired, match="Sequence/outbound"):
        await kit.reconcile(resources)
    assert not (await kit.live("Sequence", "outbound")).resource.spec.enabled
    await kit.converge(resources, allow_disruption=True)


async def test_enabling_again_a_sequence_whose_disabling_stopped_prospects_is_disruptive(kit):
    """Outreach stops the active prospects of a sequence it disables (state `disabled`, no step
    fires) and resumes them when it is enabled again: re-enabling reaches them."""
    enabled = edited(account(), "outbound", enabled=True)
    await kit.converge(enabled)
    outbound = await kit.live("Sequence", "outbound")
    kit.sandbox.enroll(outbound.id, n=3)
    disabled = edited(account(), "outbound", enabled=False)
    [stop] = (await kit.plan(disabled)).changes
    assert stop.action == "disable" and stop.impact.active == 3
    await kit.converge(disabled, allow_disruption=True)
    listed = await kit.client.list_all("/sequenceStates", {"filter[sequence][id]": outbound.id})
    assert {s["attributes"]["state"] for s in listed} == {"disabled"}
    [start] = (await kit.plan(enabled)).changes
    assert start.action == "enable" and (start.impact.active, start.impact.pending) == (0, 3)
    assert start.requires == ["--allow-disruption"]
    with pytest.raises(DisruptionRequired, match="3 pending"):
        await kit.reconcile(enabled)
    await kit.converge(enabled, allow_disruption=True)
    listed = await kit.client.list_all("/sequenceStates", {"filter[sequence][id]": outbound.id})
    assert {s["attributes"]["state"] for s in listed} == {"active"}


async def test_enabling_an_empty_sequence_needs_no_flag(kit):
    await kit.converge(account())
    resources = edited(account(), "outbound", enabled=True)
    [change] = (await kit.plan(resources)).changes
    assert change.action == "enable" and not change.disruptive
    await kit.converge(resources)


def _fleet(n: int, enabled: bool = True, subject: str = "Hello") -> list:
    return [
        template("intro", subject),
        *(sequence(f"s{i:02}", [email("intro"), call()], enabled=enabled) for i in range(n)),
    ]


async def test_stops_are_counted_against_enabled_owned_sequences(kit):
    fleet = _fleet(10)
    await kit.converge(fleet)
    three = [r for r in fleet if r.name not in ("s00", "s01", "s02")]
    four = [r for r in three if r.name != "s03"]
    assert not (await kit.plan(three)).violations(SafetyThresholds())  # 30 % is not more
    with pytest.raises(TooManyStops, match=r"4 of 10 enabled owned sequences \(40%\)") as refused:
        await kit.reconcile(four)
    assert "only some of the manifest folders given?" in str(refused.value)
    assert len([s for s in await kit.sequences() if s["attributes"]["enabled"]]) == 10
    await kit.converge(four, force=True)


async def test_disabled_sequences_and_templates_do_not_dilute_the_stop_rule(kit):
    # 3 enabled sequences among 11 owned objects: stopping 2 is 67 % of what sends
    fleet = [*_fleet(3), *(template(f"t{i}", "x") for i in range(7))]
    fleet += [sequence("idle", [call()], enabled=False)]
    await kit.converge(fleet)
    strict = SafetyThresholds(min_owned=3)
    two = [r for r in fleet if r.name not in ("s00", "s01")]
    with pytest.raises(TooManyStops, match=r"2 of 3 enabled owned sequences"):
        await kit.reconcile(two, thresholds=strict)
    await kit.converge(two, force=True)


async def test_stopping_the_only_enabled_sequence_always_needs_force(kit):
    fleet = _fleet(1)
    await kit.converge(fleet)
    resources = edited(fleet, "s00", enabled=False)
    plan = await kit.plan(resources)
    assert plan.requires == ["--force"]
    with pytest.raises(TooManyStops, match="stops-everything rule: 1 of 1"):
        await kit.reconcile(resources)
    await kit.converge(resources, force=True)


async def test_updates_have_their_own_fraction(kit):
    fleet = [template(f"t{i}", "a") for i in range(10)]
    await kit.converge(fleet)
    four = [template(f"t{i}", "b" if i < 4 else "a") for i in range(10)]
    loose = SafetyThresholds(max_update_fraction=0.5)
    assert not (await kit.plan(four)).violations(loose)
    with pytest.raises(TooManyUpdates, match=r"4 of 10 owned resources \(40%\) would be updated"):
        await kit.reconcile(four, thresholds=SafetyThresholds(max_stop_fraction=0.9))
    await kit.converge(four, thresholds=loose)


async def test_adoptions_and_rulesets_are_not_counted_as_owned_updates(kit):
    fleet = [template(f"t{i}", "a") for i in range(10)]
    await kit.converge(fleet)
    hand_made = [template(f"h{i}", "made by hand") for i in range(5)]
    for r in hand_made:
        created = await kit.provider.create_template(r)
        body = {"data": {"type": "template", "id": created.id, "attributes": {"tags": []}}}
        await kit.client.patch(f"/templates/{created.id}", body)  # untagged: not ours
    rules = [resource("Ruleset", f"r{i}", {"permitDuplicateProspects": "allow"}) for i in range(5)]
    resources = [*fleet, *(template(f"h{i}", "adopted and edited") for i in range(5)), *rules]
    plan = await kit.plan(resources)
    assert plan.summary["adopt"] == 5 and plan.summary["create"] == 5
    assert not plan.violations(SafetyThresholds())
    await kit.converge(resources)
