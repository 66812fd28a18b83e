"""What a replace does to the people in the old version (issue 27): by default it drains
(stays enabled, renamed `(v1, retiring)`, no flag) until a later plan finds it empty and
disables it with zero impact; `onReplace: stop` halts it with --allow-disruption; pending
prospects are never left in a disabled version without the plan naming them and a flag."""

from __future__ import annotations

import datetime as dt

import pytest

from seqops.plan.safety import DisruptionRequired
from seqops.sandbox.advance import advance

from .kit import Kit, call, email, sequence, template

pytestmark = pytest.mark.anyio
DAY = 86_400


def manifests(steps: int = 3, **spec):
    """`demo`: an email, a call 1d later, an email 2d later, then 4d later (or fewer)."""
    chosen = [email("intro", "0"), call("1d"), email("follow", "2d"), call("4d")][:steps]
    return [
        template("intro"),
        template("follow"),
        sequence("demo", chosen, displayName="Demo", **spec),
    ]


async def v1_with(kit: Kit, n: int, state: str = "active", **spec) -> int:
    await kit.converge(manifests(4, **spec))
    v1 = (await kit.live("Sequence", "demo")).id
    kit.sandbox.enroll(v1, n, state)
    return v1


async def live_by_id(kit: Kit, id: int):
    return (await kit.provider.read()).by_id("Sequence", id)


def today_plus(kit: Kit, days: int) -> str:
    return (kit.sandbox.store.clock.moment() + dt.timedelta(days=days)).date().isoformat()


async def test_a_replace_drains_the_old_version_without_a_flag_and_retires_it_once_empty(kit):
    v1 = await v1_with(kit, 3, enabled=True)
    plan = await kit.plan(manifests(3, enabled=True))
    [replace] = plan.changes
    assert replace.action == "replace" and replace.impact.active == 3
    assert plan.requires == [] and not replace.disruptive
    by = today_plus(kit, 7)  # nobody has moved yet: the whole cadence, 0 + 1d + 2d + 4d
    assert (
        f"3 active prospects keep their cadence in v1 until they finish, at the latest on {by}"
        in replace.reason
    )
    assert [(d.path, d.old, d.new) for d in replace.diff if d.path.startswith("old_version")] == [
        ("old_version.ownership", "seqops:demo", "seqops:demo--retiring"),
        ("old_version.displayName", "Demo", "Demo (v1, retiring)"),
    ]
    await kit.converge(manifests(3, enabled=True))  # no flag

    old = await live_by_id(kit, v1)
    assert old.owner == "demo--retiring" and old.resource.spec.enabled
    assert old.display_name == "Demo (v1, retiring)"
    again = await kit.plan(manifests(3, enabled=True))
    assert again.empty
    [draining] = again.draining
    assert (draining.id, draining.active, draining.enabled, draining.finishes_by) == (
        v1, 3, True, by
    )  # fmt: skip

    advance(kit.sandbox.store, 8 * DAY)  # past v1's whole cadence: they all finish
    done = await kit.plan(manifests(3, enabled=True))
    [retire] = done.changes
    assert (retire.action, retire.id, retire.impact.total) == ("disable", v1, 0)
    assert not retire.disruptive and done.requires == [] and done.draining == []
    await kit.converge(manifests(3, enabled=True))
    old = await live_by_id(kit, v1)
    assert (old.owner, old.display_name) == ("demo--retired", "Demo (v1, retired)")
    assert not old.resource.spec.enabled


async def test_finishes_by_counts_from_the_step_each_prospect_waits_at(kit):
    v1 = await v1_with(kit, 2, enabled=True)
    advance(kit.sandbox.store, 2 * DAY)  # email and call done: they wait for the 2d email
    plan = await kit.plan(manifests(3, enabled=True))
    assert f"at the latest on {today_plus(kit, 6)}" in plan.changes[0].reason  # 2d + 4d left
    await kit.converge(manifests(3, enabled=True))
    [draining] = (await kit.plan(manifests(3, enabled=True))).draining
    assert draining.id == v1 and draining.finishes_by == today_plus(kit, 6)


async def test_paused_prospects_keep_a_version_draining(kit):
    v1 = await v1_with(kit, 1, "paused", enabled=True)
    await kit.converge(manifests(3, enabled=True))
    advance(kit.sandbox.store, 30 * DAY)
    plan = await kit.plan(manifests(3, enabled=True))
    assert plan.empty and [(d.id, d.paused) for d in plan.draining] == [(v1, 1)]


async def test_on_replace_stop_needs_the_flag_and_says_who_stops(kit):
    v1 = await v1_with(kit, 7, enabled=True)
    wanted = manifests(3, enabled=True, onReplace="stop")
    plan = await kit.plan(wanted)
    [replace] = plan.changes
    assert replace.disruptive and plan.requires == ["--allow-disruption"]
    assert "v1 is disabled now, no step fires for anyone in it: 7 active prospects get no " in (
        replace.reason
    )
    assert ("old_version.enabled", True, False) in [(d.path, d.old, d.new) for d in replace.diff]
    with pytest.raises(DisruptionRequired, match="Sequence/demo: 7 active, 0 paused"):
        await kit.reconcile(wanted)
    await kit.converge(wanted, allow_disruption=True)
    old = await live_by_id(kit, v1)
    assert not old.resource.spec.enabled and old.owner == "demo--retired"


async def test_pending_prospects_start_the_old_cadence_when_the_sequence_is_enabled(kit):
    v1 = await v1_with(kit, 4, "pending", enabled=False)
    wanted = manifests(3, enabled=True)
    plan = await kit.plan(wanted)
    [replace] = plan.changes
    shown = [(d.path, d.old, d.new) for d in replace.diff]
    assert ("enabled", False, True) in shown  # the new version gets enabled: shown
    assert ("old_version.enabled", False, True) in shown
    assert "4 pending prospects start v1's cadence" in replace.reason
    assert plan.requires == ["--allow-disruption"]
    with pytest.raises(DisruptionRequired, match="0 active, 0 paused, 4 pending"):
        await kit.reconcile(wanted)
    await kit.converge(wanted, allow_disruption=True)
    old = await live_by_id(kit, v1)
    assert old.resource.spec.enabled and old.owner == "demo--retiring"
    assert (await kit.provider.impact([v1]))[v1].active == 4  # they started


async def test_pending_prospects_left_in_a_disabled_old_version_are_named_and_need_a_flag(kit):
    v1 = await v1_with(kit, 4, "pending", enabled=False)
    wanted = manifests(3, enabled=False)
    plan = await kit.plan(wanted)
    [replace] = plan.changes
    assert "4 pending prospects stay in v1, which stays disabled" in replace.reason
    assert plan.requires == ["--allow-disruption"]
    await kit.converge(wanted, allow_disruption=True)
    old = await live_by_id(kit, v1)
    assert not old.resource.spec.enabled and old.owner == "demo--retiring"
    [held] = (await kit.plan(wanted)).draining
    assert (held.id, held.pending, held.enabled) == (v1, 4, False)
    assert str(held).endswith(
        "is disabled: 4 pending prospects wait in it, sent nothing unless it is enabled"
    )

    enabled = manifests(3, enabled=True)  # later the sequence is enabled: so is v1
    plan = await kit.plan(enabled)
    assert [(c.action, c.old_version) for c in plan.changes] == [
        ("enable", False),
        ("enable", True),
    ]
    assert plan.requires == ["--allow-disruption"]
    await kit.converge(enabled, allow_disruption=True)
    assert (await kit.provider.impact([v1]))[v1].active == 4


async def test_a_replace_of_a_disabled_version_shows_the_new_one_enabled(kit):
    await kit.converge(manifests(4, enabled=False))
    [replace] = (await kit.plan(manifests(3, enabled=True))).changes
    assert replace.diff[:2] and ("enabled", False, True) in [
        (d.path, d.old, d.new) for d in replace.diff
    ]
    await kit.converge(manifests(3, enabled=True))


async def test_a_cosmetic_change_of_a_sequence_with_prospects_needs_no_flag(kit):
    await v1_with(kit, 3, enabled=True)
    cosmetic = manifests(
        4, enabled=True, description="New words", throttleMaxAddsPerDay=90, tags=["q3"]
    )
    plan = await kit.plan(cosmetic)
    [update] = plan.changes
    assert update.impact.active == 3 and not update.disruptive and plan.requires == []
    await kit.converge(cosmetic)  # no flag
    reply = manifests(4, enabled=True, primaryReplyAction="pause", primaryReplyPauseDuration="2d")
    assert (await kit.plan(reply)).requires == ["--allow-disruption"]


async def test_an_update_of_a_versioned_sequence_never_renames_it_back(kit):
    """Issue 27's repro: after a replace, a throttle change planned one line and renamed the
    live `Demo (v2)` back to `Demo`."""
    await kit.converge(manifests(4, enabled=True))
    await kit.converge(manifests(3, enabled=True))
    assert (await kit.live("Sequence", "demo")).display_name == "Demo (v2)"
    throttled = manifests(3, enabled=True, throttleMaxAddsPerDay=90)
    [update] = (await kit.plan(throttled)).changes
    assert [(d.path, d.new) for d in update.diff] == [("throttleMaxAddsPerDay", 90)]
    await kit.converge(throttled)
    names = sorted(r["attributes"]["name"] for r in await kit.sequences())
    assert names == ["Demo (v1, retired)", "Demo (v2)"]
    await kit.converge(manifests(2, enabled=True, throttleMaxAddsPerDay=90))
    assert (await kit.live("Sequence", "demo")).display_name == "Demo (v3)"


async def test_an_absent_disabled_sequence_with_pending_prospects_names_them(kit):
    v1 = await v1_with(kit, 2, "pending", enabled=False)
    absent = [*manifests(4)[:2], manifests(4)[2].model_copy(update={"state": "absent"})]
    plan = await kit.plan(absent)
    [retire] = plan.changes
    assert (retire.action, retire.id, retire.retire_as) == ("disable", v1, "demo--retired")
    assert "2 pending prospects never start" in retire.reason
    assert plan.requires == ["--allow-disruption"]
    await kit.converge(absent, allow_disruption=True)
