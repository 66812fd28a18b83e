"""Idempotent writes under races and stale saved plans: a step whose order another apply took
is reconciled (no `422 order taken` failure), a template is bound once however many applies
bind it, a saved plan's create refuses when a same-named object appeared since, and a sequence
left with some of its steps is named in the report and completed by the next run."""

from __future__ import annotations

import asyncio

import pytest

from seqops.apply.executor import apply
from seqops.apply.report import DONE, FAILED
from seqops.plan.planner import plan as make_plan
from seqops.providers.base import Ids
from tests.scenarios.kit import TARGET, call, email, make_provider, sequence, template

from .rig import Rig

pytestmark = pytest.mark.anyio


async def made(rig: Rig, n: int) -> tuple[Ids, list[int]]:
    """A template and `n` owned sequences without steps; their ids."""
    await rig.kit.converge([template("intro")])
    ids = Ids(templates={"intro": (await rig.kit.live("Template", "intro")).id})
    created = []
    for i in range(n):
        live = await rig.kit.provider.create_sequence(sequence(f"s{i}", []), ids)
        created.append(live.id)
    return ids, created


async def test_a_step_whose_order_was_taken_is_reconciled_not_failed():
    rig = Rig()
    try:
        ids, [seq] = await made(rig, 1)
        step = sequence("x", [email("intro")]).spec.steps[0]
        first = await rig.kit.provider.create_step(seq, 1, step, ids)
        again = await rig.fragile.create_step(seq, 1, step, ids)  # another apply, same plan
        assert again.id == first.id and again.template_id == ids.templates["intro"]
        account = await rig.audit()
        assert account.steps_of(seq) == 1 and len(account.bindings) == 1
        assert sum(w == "POST /api/v2/sequenceSteps" for w in rig.proxy.log) == 2
    finally:
        await rig.aclose()


async def test_racing_step_writes_leave_one_step_and_one_binding_each():
    rig = Rig(latency_ms=3)
    other = make_provider(rig.proxy)
    try:
        ids, sequences = await made(rig, 6)
        step = sequence("x", [email("intro")]).spec.steps[0]
        writes = [
            p.create_step(seq, 1, step, ids) for seq in sequences for p in (rig.kit.provider, other)
        ]
        results = await asyncio.gather(*writes)
        account = await rig.audit()
        assert account.duplicates() == []
        assert all(account.steps_of(seq) == 1 for seq in sequences)
        assert len(account.bindings) == len(sequences)
        assert {r.template_id for r in results} == {ids.templates["intro"]}
    finally:
        await other.aclose()
        await rig.aclose()


async def test_a_saved_create_refuses_when_the_name_was_taken_since():
    rig = Rig()
    try:
        resources = [template("intro"), sequence("demo", [email("intro")], displayName="Demo")]
        saved = await make_plan(resources, rig.kit.provider, TARGET)
        body = {"data": {"type": "sequence", "attributes": {"name": "Demo"}}}
        await rig.raw.post("/sequences", body)  # made in the UI meanwhile
        report = await apply(saved, rig.kit.provider)
        [failed] = report.of(FAILED)
        assert str(failed.change) == "create Sequence/demo" and "stale" in failed.reason
        account = await rig.audit()
        assert [r["attributes"]["name"] for r in account.sequences] == ["Demo"]
        assert account.owners() == {}
        [change] = [c for c in (await rig.kit.plan(resources)).changes if c.kind == "Sequence"]
        assert change.action == "adopt"
        await rig.kit.converge(resources)
    finally:
        await rig.aclose()


async def test_a_half_created_sequence_is_named_and_completed_by_the_next_run():
    rig = Rig()
    try:
        resources = [
            template("intro"),
            sequence("demo", [call("0"), call("1d"), email("intro", "2d")], displayName="Demo"),
        ]
        await rig.kit.converge(resources[:1])
        rig.proxy.crash_after("POST", r"/sequenceSteps$", nth=2)
        outcome = await rig.crashing_run(resources)
        [failed] = outcome.report.of(FAILED)
        assert failed.reason.startswith("'Demo' (id ")
        assert "was created with 2 of 3 steps" in failed.reason
        assert "the next apply completes it" in failed.reason
        rig.proxy.heal()
        [change] = (await rig.kit.plan(resources)).changes
        assert change.action == "update" and [w.op for w in change.steps] == ["create"]
        report = await rig.kit.apply(await rig.kit.plan(resources))
        assert report.counts[DONE] == 1
        assert (await rig.kit.plan(resources)).empty
        account = await rig.audit()
        assert account.duplicates() == [] and len(account.sequences) == 1
    finally:
        await rig.aclose()


async def test_two_applies_binding_one_template_leave_one_binding():
    """Both read the step unbound and both bind it: the lowest binding id wins."""
    rig = Rig()
    other = make_provider(rig.proxy)
    try:
        ids, [seq] = await made(rig, 1)
        step = sequence("x", [email("intro")]).spec.steps[0]
        live = await rig.kit.provider.create_step(seq, 1, step, ids)
        await rig.raw.delete(f"/sequenceTemplates/{live.sequence_template_id}")
        live.sequence_template_id = live.template_id = None
        first, second = await asyncio.gather(
            rig.kit.provider.update_step(live, step, ids), other.update_step(live, step, ids)
        )
        await asyncio.gather(rig.kit.provider.settle(), other.settle())  # after their phase
        account = await rig.audit()
        assert len(account.bindings) == 1
        both = [first.sequence_template_id, second.sequence_template_id]
        assert int(account.bindings[0]["id"]) == min(b for b in both if b is not None)
    finally:
        await other.aclose()
        await rig.aclose()


async def test_two_applies_racing_under_faults_never_fail_on_a_taken_order():
    rig = Rig(fault_rate=0.2, seed=4)
    other = make_provider(rig.proxy)
    steps = [email("intro"), call("1d"), email("intro", "2d"), call("3d")]
    base = [template("intro"), *(sequence(f"s{i}", steps[:2]) for i in range(4))]
    grown = [template("intro"), *(sequence(f"s{i}", steps) for i in range(4))]
    try:
        rig.kit.sandbox.set_faults(fault_rate=0.0)
        await rig.kit.converge(base)
        rig.kit.sandbox.set_faults(fault_rate=0.2)
        plans = [await make_plan(grown, p, TARGET) for p in (rig.kit.provider, other)]
        reports = await asyncio.gather(apply(plans[0], rig.kit.provider), apply(plans[1], other))
        reasons = [r.reason for report in reports for r in report.of(FAILED)]
        assert not [r for r in reasons if "already taken" in r or "422" in r], reasons
        rig.kit.sandbox.set_faults(fault_rate=0.0)
        assert (await rig.audit()).duplicates() == []
        await rig.kit.converge(grown)
        account = await rig.audit()
        assert account.duplicates() == [] and len(account.steps) == 16
    finally:
        await other.aclose()
        await rig.aclose()
