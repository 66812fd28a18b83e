"""Partial failures, crashes and injected faults: a re-run converges, never a duplicate."""

from __future__ import annotations

from collections import Counter

import pytest

from seqops.apply.executor import apply
from seqops.apply.report import FAILED, NOT_ATTEMPTED
from seqops.plan.planner import plan as make_plan
from seqops.providers.base import Ids

from .kit import TARGET, account, call, email, make_provider, new_kit, sequence, template

pytestmark = pytest.mark.anyio


async def owned_names(kit) -> Counter:
    """How many live sequences and templates carry each ownership tag."""
    tags = Counter()
    for path in ("/sequences", "/templates"):
        for r in await kit.client.list_all(path):
            tags.update(t for t in r["attributes"].get("tags") or [] if t.startswith("seqops:"))
    return tags


async def test_crash_between_sequence_and_steps_completes_without_a_twin(kit):
    resources = [template("intro"), sequence("s", [email("intro"), call("1d")])]
    await kit.converge(resources[:1])
    ids = Ids(templates={"intro": (await kit.live("Template", "intro")).id})
    await kit.provider.create_sequence(resources[1], ids)  # then the process died
    [change] = (await kit.plan(resources)).changes
    assert change.action == "update" and [w.op for w in change.steps] == ["create", "create"]
    await kit.converge(resources)
    assert (await owned_names(kit))["seqops:s"] == 1


async def test_interrupted_replace_is_finished_by_the_next_run(kit):
    resources = [template("intro"), sequence("s", [email("intro"), call("1d")], enabled=True)]
    await kit.converge(resources)
    shorter = [resources[0], sequence("s", [email("intro")], enabled=True)]
    ids = Ids(templates={"intro": (await kit.live("Template", "intro")).id})
    v2 = shorter[1].model_copy(
        update={"spec": shorter[1].spec.model_copy(update={"displayName": "s (v2)"})}
    )
    await kit.provider.create_sequence(v2, ids)  # the replace died right after this
    actions = sorted(c.action for c in (await kit.plan(shorter)).changes)
    assert actions == ["disable", "enable", "update"]
    await kit.converge(shorter)
    state = await kit.provider.read()
    assert state.owned("Sequence", "s").display_name == "s (v2)"
    assert sum(o.owner == "s" for o in state.of_kind("Sequence")) == 1


async def test_partial_failure_reports_and_a_rerun_converges():
    kit = new_kit(seed=3)
    flaky = make_provider(kit.app, attempts=1)  # no retries: every fault fails its change
    try:
        plan = await make_plan(account(), kit.provider, TARGET)
        kit.sandbox.set_faults(fault_rate=0.3)
        report = await apply(plan, flaky)
        kit.sandbox.set_faults(fault_rate=0.0)
        assert not report.ok and report.counts[FAILED] >= 1
        assert sum(report.counts.values()) == len(plan.changes)
        assert all(r.reason for r in report.of(FAILED) + report.of(NOT_ATTEMPTED))
        await kit.converge(account())
        assert all(n == 1 for n in (await owned_names(kit)).values())
    finally:
        await flaky.aclose()
        await kit.provider.aclose()


async def test_faults_converge_in_three_runs_without_duplicates():
    kit = new_kit(seed=5, fault_rate=0.2, lost_response_rate=0.1)
    try:
        resources = [*account(), *(template(f"extra-{i}") for i in range(5))]
        for _ in range(3):
            outcome = await kit.reconcile(resources)
            if outcome.report is None or outcome.report.ok:
                break
        kit.sandbox.set_faults(fault_rate=0.0, lost_response_rate=0.0)
        assert (await kit.plan(resources)).empty
        tags = await owned_names(kit)
        assert set(tags) == {f"seqops:{r.name}" for r in resources if r.kind != "Ruleset"}
        assert all(n == 1 for n in tags.values()), tags
        steps = await kit.client.list_all("/sequenceSteps")
        per_order = Counter(
            (s["relationships"]["sequence"]["data"]["id"], s["attributes"]["order"]) for s in steps
        )
        assert all(n == 1 for n in per_order.values())
    finally:
        await kit.provider.aclose()
