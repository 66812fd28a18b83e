"""A killed apply converges when re-run with the flags it was approved with (issue 23, item 1):
the safety thresholds count the owned state before the interrupted run, so what it created
(sequences without their steps, a replace's new version, the templates only they send) is
neither a new update nor counted among the owned resources."""

from __future__ import annotations

import random

import pytest

from seqops.apply.reconcile import Options, reconcile
from seqops.plan.safety import SafetyThresholds
from tests.scenarios.kit import TARGET, call, edited, email, resource, sequence, template

from .rig import Rig

pytestmark = pytest.mark.anyio


def before() -> list:
    """7 owned objects: 3 templates and 4 sequences (minOwned 10: no fraction rule yet)."""
    rules = resource("Ruleset", "rules", {"displayName": "Rules", "includeUnsubscribeLinks": True})
    return [
        template("a"),
        template("b"),
        template("c"),
        rules,
        sequence(
            "s1", [email("a", "0"), call("1d"), email("b", "2d")], enabled=True, ruleset="rules"
        ),
        sequence("s2", [email("b", "0"), call("1d"), call("2d")], enabled=True),
        sequence("s3", [email("c", "0")], displayName="Three", enabled=True),
        sequence("s4", [call("0")]),
    ]


def mixed() -> list:
    """A template edit and a ruleset change reaching prospects, two replaces, a rename, and
    three new sequences sending two new templates."""
    wanted = edited(before(), "a", subject="New words")
    wanted = edited(wanted, "rules", includeUnsubscribeLinks=False)
    wanted = edited(wanted, "s1", steps=[email("a", "0"), email("b", "2d")])
    wanted = edited(wanted, "s2", steps=[call("1d"), email("b", "0")])
    wanted = edited(wanted, "s3", displayName="Three, renamed")
    new = [template("n1"), template("n2")]
    new += [
        sequence(f"new{i}", [email(f"n{1 + i % 2}", "0"), call("1d")], enabled=True)
        for i in range(3)
    ]
    return [*wanted, *new]


async def prepared() -> Rig:
    rig = Rig()
    await rig.kit.converge(before())
    for key in ("s1", "s2"):
        rig.kit.sandbox.enroll((await rig.kit.live("Sequence", key)).id, n=2)
    plan = await rig.kit.plan(mixed())
    assert plan.requires == ["--allow-disruption"], plan.requires  # approved with this flag
    assert plan.owned_resources == 7
    rig.guard()
    return rig


async def approved_run(rig: Rig, provider) -> object:
    options = Options(allow_disruption=True, thresholds=SafetyThresholds())
    return await reconcile(mixed(), provider, TARGET, options, apply=True)


async def converges_with_the_approved_flag(rig: Rig) -> None:
    outcome = await approved_run(rig, rig.kit.provider)  # raises UnsafePlan if refused
    assert outcome.report.ok, [str(r) for r in outcome.report.results]
    assert (await rig.kit.plan(mixed())).empty
    account = await rig.audit()
    assert account.duplicates() == [] and account.retired_enabled() == []
    assert rig.violations == []


async def test_killed_after_the_sequences_were_created_before_their_steps():
    """The issue's case: every sequence created (3 new, 2 new versions), no step yet."""
    rig = await prepared()
    try:
        rig.proxy.crash_after("POST", r"/sequences$", nth=5)
        await approved_run(rig, rig.fragile)
        rig.proxy.heal()
        resumed = await rig.kit.plan(mixed())
        assert resumed.owned_resources == 7  # what the run created is not counted
        completing = [c for c in resumed.changes if getattr(c, "completes_create", False)]
        assert len(completing) == 5
        assert "--force" not in resumed.requires
        await converges_with_the_approved_flag(rig)
    finally:
        await rig.aclose()


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_killed_at_a_random_write_it_converges_with_its_approved_flags(seed):
    rig = await prepared()
    try:
        rig.proxy.crash_after("WRITE", ".", nth=random.Random(seed).randint(1, 40))
        await approved_run(rig, rig.fragile)
        rig.proxy.heal()
        await converges_with_the_approved_flag(rig)
    finally:
        await rig.aclose()
