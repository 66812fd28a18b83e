"""A replace stopped at each of its writes is recognised and finished by the next run (B1, B2):
never a retired version left enabled, never both versions disabled while prospects are active
in the old one, never a second v2."""

from __future__ import annotations

import pytest

from tests.scenarios.kit import call, email, sequence, template

from .rig import Rig

pytestmark = pytest.mark.anyio


def three_steps(**spec):
    return [
        template("intro"),
        sequence("demo", [email("intro"), call("1d"), call("2d")], displayName="Demo", **spec),
    ]


def shorter(**spec):
    return [
        template("intro"),
        sequence("demo", [email("intro"), call("2d")], displayName="Demo", **spec),
    ]


async def enrolled_rig(**spec) -> tuple[Rig, int]:
    rig = Rig()
    await rig.kit.converge(three_steps(**spec))
    v1 = (await rig.kit.live("Sequence", "demo")).id
    rig.kit.sandbox.enroll(v1, n=2)
    rig.guard()
    return rig, v1


async def assert_converged(rig: Rig, resources) -> None:
    await rig.kit.converge(resources, allow_disruption=True)
    account = await rig.audit()
    assert account.duplicates() == []
    assert account.retired_enabled() == []
    assert rig.violations == []
    names = sorted(r["attributes"]["name"] for r in account.sequences)
    assert names == ["Demo", "Demo (v2)"]


async def test_b1_a_failed_disable_of_the_old_version_is_planned_as_a_disable():
    rig, v1 = await enrolled_rig(enabled=True)
    try:
        rig.proxy.fail("POST", rf"/sequences/{v1}/actions/disable$")
        outcome = await rig.crashing_run(shorter(enabled=True))
        assert not outcome.report.ok
        assert (await rig.audit()).retired_enabled() == ["Demo"]
        rig.proxy.heal()
        plan = await rig.kit.plan(shorter(enabled=True))
        [change] = plan.changes
        assert (change.action, change.id, change.impact.active) == ("disable", v1, 2)
        assert "interrupted replace" in change.reason
        await assert_converged(rig, shorter(enabled=True))
    finally:
        await rig.aclose()


async def test_b2_recovery_enables_the_new_version_before_disabling_the_old():
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("POST", r"/sequenceSteps$")
        await rig.crashing_run(shorter(enabled=True))
        rig.proxy.heal()
        plan = await rig.kit.plan(shorter(enabled=True))
        assert [c.action for c in plan.changes] == ["update", "enable", "disable"]
        assert "resuming replace of Sequence/demo: v2 has 1 of 2 steps" in plan.warnings
        rig.proxy.crash_after("POST", r"/actions/disable$")  # B2 killed the run right here
        await rig.crashing_run(shorter(enabled=True))
        rig.proxy.heal()
        assert rig.violations == []
        await assert_converged(rig, shorter(enabled=True))
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
        assert enabled == {"Demo": False, "Demo (v2)": True}
    finally:
        await rig.aclose()


def replaced(account) -> bool:
    """The account the manifests describe: v2 owned, enabled, with both steps; v1 retired."""
    by_name = {r["attributes"]["name"]: r for r in account.sequences}
    v1, v2 = by_name.get("Demo"), by_name.get("Demo (v2)")
    return (
        v2 is not None
        and v2["attributes"]["tags"] == ["seqops:demo"]
        and v2["attributes"]["enabled"]
        and account.steps_of(int(v2["id"])) == 2
        and len(account.bindings) == 2
        and v1["attributes"]["tags"] == ["seqops:demo--retired"]
        and not v1["attributes"]["enabled"]
    )


@pytest.mark.parametrize("nth", range(1, 10))
async def test_a_replace_killed_after_any_write_converges_in_one_run(nth):
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("WRITE", ".", nth=nth)
        await rig.crashing_run(shorter(enabled=True))
        rig.proxy.heal()
        account = await rig.audit()
        assert account.duplicates() == []
        plan = await rig.kit.plan(shorter(enabled=True))
        assert plan.empty == replaced(account), [str(c) for c in plan.changes]
        await assert_converged(rig, shorter(enabled=True))
    finally:
        await rig.aclose()


FAILING = [
    ("POST", r"/sequences$"),
    ("POST", r"/sequenceSteps$"),
    ("POST", r"/sequenceTemplates$"),
    ("POST", r"/actions/enable$"),
    ("PATCH", r"/sequences/\d+$"),
    ("POST", r"/actions/disable$"),
]


@pytest.mark.parametrize(("method", "pattern"), FAILING)
async def test_one_request_type_failing_through_a_replace_converges_next_run(method, pattern):
    """A proxy answers 500 to one request type for a whole run (retries included): the run
    fails cleanly, no state it leaves is mistaken for done, and the next run converges."""
    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.fail(method, pattern)
        outcome = await rig.kit.reconcile(shorter(enabled=True), allow_disruption=True)
        assert not outcome.report.ok
        rig.proxy.heal()
        account = await rig.audit()
        assert account.duplicates() == []
        plan = await rig.kit.plan(shorter(enabled=True))
        assert plan.empty == replaced(account)
        await assert_converged(rig, shorter(enabled=True))
    finally:
        await rig.aclose()


async def test_a_saved_recovery_plan_keeps_its_order():
    """A recovery plan saved to a file and applied later still retires the old version last."""
    from seqops.plan.plan import Plan

    rig, _ = await enrolled_rig(enabled=True)
    try:
        rig.proxy.crash_after("POST", r"/sequenceSteps$")
        await rig.crashing_run(shorter(enabled=True))
        rig.proxy.heal()
        saved = Plan.from_json((await rig.kit.plan(shorter(enabled=True))).to_json())
        [retire] = [c for c in saved.changes if c.action == "disable"]
        assert retire.old_version and saved.changes[-1] is retire
        report = await rig.kit.apply(saved)
        assert report.ok, [str(r) for r in report.results]
        assert rig.violations == []
        assert replaced(await rig.audit())
    finally:
        await rig.aclose()
