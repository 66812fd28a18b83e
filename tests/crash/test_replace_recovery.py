"""A replace stopped at each of its writes is recognised and finished by the next run (B1, B2):
never a retired version left enabled, never both versions disabled while prospects are active
in the old one, never a second v2. Both fates of an old version with prospects in it: it
drains (the default: re-tagged `--retiring`, renamed `(v1, retiring)`, left running) or, with
`onReplace: stop`, it is retired at once (`--retired`, `(v1, retired)`, disabled)."""

from __future__ import annotations

import pytest

from tests.scenarios.kit import call, email, sequence, template

from .rig import Rig

pytestmark = pytest.mark.anyio

MODES = ("drain", "stop")
OLD = {
    "drain": ("Demo (v1, retiring)", ["seqops:demo--retiring"], True),
    "stop": ("Demo (v1, retired)", ["seqops:demo--retired"], False),
}
"""What v1 (2 active prospects) becomes: name, tags, enabled."""


def three_steps(**spec):
    return [
        template("intro"),
        sequence("demo", [email("intro"), call("1d"), call("2d")], displayName="Demo", **spec),
    ]


def shorter(mode: str = "drain", **spec):
    return [
        template("intro"),
        sequence("demo", [email("intro"), call("2d")], displayName="Demo", onReplace=mode, **spec),
    ]


async def enrolled_rig(**spec) -> tuple[Rig, int]:
    rig = Rig()
    await rig.kit.converge(three_steps(**spec))
    v1 = (await rig.kit.live("Sequence", "demo")).id
    rig.kit.sandbox.enroll(v1, n=2)
    rig.guard()
    return rig, v1


async def assert_converged(rig: Rig, resources, mode: str = "drain") -> None:
    await rig.kit.converge(resources, allow_disruption=True)
    account = await rig.audit()
    assert account.duplicates() == []
    assert account.retired_enabled() == []
    assert rig.violations == []
    names = sorted(r["attributes"]["name"] for r in account.sequences)
    assert names == sorted([OLD[mode][0], "Demo (v2)"])


async def test_b1_a_failed_disable_of_a_stopped_old_version_is_planned_as_a_disable():
    rig, v1 = await enrolled_rig(enabled=True)
    try:
        rig.proxy.fail("POST", rf"/sequences/{v1}/actions/disable$")
        outcome = await rig.crashing_run(shorter("stop", enabled=True))
        assert not outcome.report.ok
        assert (await rig.audit()).retired_enabled() == ["Demo (v1, retired)"]
        rig.proxy.heal()
        plan = await rig.kit.plan(shorter("stop", enabled=True))
        [change] = plan.changes
        assert (change.action, change.id, change.impact.active) == ("disable", v1, 2)
        assert "2 active prospects get no further steps" in change.reason
        assert change.disruptive
        await assert_converged(rig, shorter("stop", enabled=True), "stop")
    finally:
        await rig.aclose()


async def test_a_failed_rename_of_a_draining_old_version_is_planned_again_without_a_flag():
    rig, v1 = await enrolled_rig(enabled=True)
    try:
        rig.proxy.fail("PATCH", rf"/sequences/{v1}$")
        outcome = await rig.crashing_run(shorter(enabled=True))
        assert not outcome.report.ok
        rig.proxy.heal()
        plan = await rig.kit.plan(shorter(enabled=True))
        [change] = plan.changes
        assert (change.action, change.id, change.old_version) == ("update", v1, True)
        assert [(d.path, d.new) for d in change.diff] == [
            ("ownership", "seqops:demo--retiring"),
            ("displayName", "Demo (v1, retiring)"),
        ]
        assert "interrupted replace" in change.reason and not change.disruptive
        assert plan.requires == []
        await assert_converged(rig, shorter(enabled=True))
    finally:
        await rig.aclose()


@pytest.mark.parametrize("mode", MODES)
async def test_b2_recovery_enables_the_new_version_before_touching_the_old(mode):
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("POST", r"/sequenceSteps$")
        await rig.crashing_run(shorter(mode, enabled=True))
        rig.proxy.heal()
        plan = await rig.kit.plan(shorter(mode, enabled=True))
        old_action = "disable" if mode == "stop" else "update"
        assert [c.action for c in plan.changes] == ["update", "enable", old_action]
        assert plan.changes[-1].old_version
        assert "resuming replace of Sequence/demo: v2 has 1 of 2 steps" in plan.warnings
        last = r"/actions/disable$" if mode == "stop" else r"/sequences/\d+$"
        rig.proxy.crash_after("WRITE", last)  # B2 killed the run right here
        await rig.crashing_run(shorter(mode, enabled=True))
        rig.proxy.heal()
        assert rig.violations == []
        await assert_converged(rig, shorter(mode, enabled=True), mode)
    finally:
        await rig.aclose()


async def test_recovery_enables_the_new_version_when_the_manifest_does_not_say():
    """`enabled` unset: the replace was to enable v2 because v1 was enabled; so is recovery."""
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("POST", r"/sequenceSteps$", nth=2)
        await rig.crashing_run(shorter())
        rig.proxy.heal()
        await assert_converged(rig, shorter())
        account = await rig.audit()
        enabled = {r["attributes"]["name"]: r["attributes"]["enabled"] for r in account.sequences}
        assert enabled == {"Demo (v1, retiring)": True, "Demo (v2)": True}
    finally:
        await rig.aclose()


def replaced(account, mode: str = "drain") -> bool:
    """The account the manifests describe: v2 owned, enabled, with both steps; v1 drained or
    retired, as `mode` says."""
    by_name = {r["attributes"]["name"]: r for r in account.sequences}
    name, tags, enabled = OLD[mode]
    v1, v2 = by_name.get(name), by_name.get("Demo (v2)")
    return (
        v2 is not None
        and v1 is not None
        and v2["attributes"]["tags"] == ["seqops:demo"]
        and v2["attributes"]["enabled"]
        and account.steps_of(int(v2["id"])) == 2
        and len(account.bindings) == 2
        and v1["attributes"]["tags"] == tags
        and v1["attributes"]["enabled"] == enabled
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("nth", range(1, 9))
async def test_a_replace_killed_after_any_write_converges_in_one_run(nth, mode):
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("WRITE", ".", nth=nth)
        await rig.crashing_run(shorter(mode, enabled=True))
        rig.proxy.heal()
        account = await rig.audit()
        assert account.duplicates() == []
        plan = await rig.kit.plan(shorter(mode, enabled=True))
        assert plan.empty == replaced(account, mode), [str(c) for c in plan.changes]
        await assert_converged(rig, shorter(mode, enabled=True), mode)
    finally:
        await rig.aclose()


FAILING = [
    ("POST", r"/sequences$", "drain"),
    ("POST", r"/sequenceSteps$", "drain"),
    ("POST", r"/sequenceTemplates$", "drain"),
    ("POST", r"/actions/enable$", "drain"),
    ("PATCH", r"/sequences/\d+$", "drain"),
    ("PATCH", r"/sequences/\d+$", "stop"),
    ("POST", r"/actions/disable$", "stop"),
]


@pytest.mark.parametrize(("method", "pattern", "mode"), FAILING)
async def test_one_request_type_failing_through_a_replace_converges_next_run(method, pattern, mode):
    """A proxy answers 500 to one request type for a whole run (retries included): the run
    fails cleanly, no state it leaves is mistaken for done, and the next run converges."""
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.fail(method, pattern)
        outcome = await rig.kit.reconcile(shorter(mode, enabled=True), allow_disruption=True)
        assert not outcome.report.ok
        rig.proxy.heal()
        account = await rig.audit()
        assert account.duplicates() == []
        plan = await rig.kit.plan(shorter(mode, enabled=True))
        assert plan.empty == replaced(account, mode)
        await assert_converged(rig, shorter(mode, enabled=True), mode)
    finally:
        await rig.aclose()


@pytest.mark.parametrize("mode", MODES)
async def test_a_saved_recovery_plan_keeps_its_order(mode):
    """A recovery plan saved to a file and applied later still settles the old version last."""
    from seqops.plan.plan import Plan

    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("POST", r"/sequenceSteps$")
        await rig.crashing_run(shorter(mode, enabled=True))
        rig.proxy.heal()
        saved = Plan.from_json((await rig.kit.plan(shorter(mode, enabled=True))).to_json())
        [old] = [c for c in saved.changes if c.old_version]
        assert saved.changes[-1] is old
        report = await rig.kit.apply(saved, allow_disruption=mode == "stop")
        assert report.ok, [str(r) for r in report.results]
        assert rig.violations == []
        assert replaced(await rig.audit(), mode)
    finally:
        await rig.aclose()


def started(account) -> bool:
    """v1's pending prospects started: it is enabled, retiring, and v2 runs with both steps."""
    by_name = {r["attributes"]["name"]: r for r in account.sequences}
    v1, v2 = by_name.get("Demo (v1, retiring)"), by_name.get("Demo (v2)")
    return (
        v1 is not None
        and v2 is not None
        and v1["attributes"]["enabled"]
        and v1["attributes"]["tags"] == ["seqops:demo--retiring"]
        and v2["attributes"]["enabled"]
        and account.steps_of(int(v2["id"])) == 2
    )


@pytest.mark.parametrize("nth", range(1, 8))
async def test_a_replace_starting_pending_prospects_killed_after_any_write_converges(nth):
    """v1 disabled with pending prospects, the manifest enables the sequence: v1 is enabled
    too (they start its cadence). Killed anywhere, the next run finishes it; the pending
    prospects are never left in a version re-tagged retired."""
    rig = Rig()
    try:
        await rig.kit.converge(three_steps(enabled=False))
        v1 = (await rig.kit.live("Sequence", "demo")).id
        rig.kit.sandbox.enroll(v1, n=2, state="pending")
        rig.proxy.crash_after("WRITE", ".", nth=nth)
        await rig.crashing_run(shorter(enabled=True))
        rig.proxy.heal()
        account = await rig.audit()
        assert account.duplicates() == [] and account.retired_pending() == []
        plan = await rig.kit.plan(shorter(enabled=True))
        assert plan.empty == started(account), [str(c) for c in plan.changes]
        assert plan.empty or plan.requires == ["--allow-disruption"]  # they start: named
        await rig.kit.converge(shorter(enabled=True), allow_disruption=True)
        account = await rig.audit()
        assert started(account) and account.retired_pending() == []
        assert (await rig.kit.provider.impact([v1]))[v1].active == 2
    finally:
        await rig.aclose()


@pytest.mark.parametrize("nth", [1, 2])
async def test_the_disable_of_a_drained_version_killed_after_any_write_converges(nth):
    from seqops.sandbox.advance import advance

    rig, v1 = await enrolled_rig(enabled=True)
    try:
        await rig.kit.converge(shorter(enabled=True))  # v1 drains
        advance(rig.kit.sandbox.store, 30 * 86_400)  # and empties
        [retire] = (await rig.kit.plan(shorter(enabled=True))).changes
        assert (retire.action, retire.id, retire.impact.total) == ("disable", v1, 0)
        rig.proxy.crash_after("WRITE", ".", nth=nth)  # the re-tag and rename, the disable
        await rig.crashing_run(shorter(enabled=True))
        rig.proxy.heal()
        again = await rig.kit.plan(shorter(enabled=True))
        assert [(c.action, c.id, c.disruptive) for c in again.changes] == (
            [("disable", v1, False)] if nth == 1 else []
        )
        await assert_converged(rig, shorter(enabled=True), "stop")  # v1 ends retired
    finally:
        await rig.aclose()
