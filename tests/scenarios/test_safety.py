"""Safety: disruption, too many changes, stale saved plans, empty manifest sets."""

from __future__ import annotations

import pytest

from seqops.plan.errors import EmptyManifestSet
from seqops.plan.plan import Plan
from seqops.plan.safety import DisruptionRequired, SafetyThresholds, TooManyChanges
from seqops.providers.outreach import mapping

from .kit import account, call, edited, email, template

pytestmark = pytest.mark.anyio


async def test_change_to_a_sequence_with_prospects_needs_allow_disruption(kit):
    await kit.converge(account())
    live = await kit.live("Sequence", "inbound")
    kit.sandbox.enroll(live.id, n=2)
    kit.sandbox.enroll(live.id, n=1, state="paused")
    resources = edited(
        account(), "inbound", steps=[email("intro"), call("5d"), email("follow-up", "3d")]
    )
    with pytest.raises(DisruptionRequired) as refused:
        await kit.reconcile(resources)
    assert "Sequence/inbound: 2 active, 1 paused" in str(refused.value)
    assert "--allow-disruption" in str(refused.value)
    assert (await kit.live("Sequence", "inbound")).resource.spec.steps[1].wait == 2 * 86400
    await kit.converge(resources, allow_disruption=True)


async def test_more_than_30_percent_of_owned_needs_force(kit):
    resources = [template(f"t{i}", f"Subject {i}") for i in range(10)]
    await kit.converge(resources)
    three = [template(f"t{i}", "Changed" if i < 3 else f"Subject {i}") for i in range(10)]
    assert not (await kit.plan(three)).violations(SafetyThresholds())  # 30 % is not more than 30 %
    four = [template(f"t{i}", "Changed" if i < 4 else f"Subject {i}") for i in range(10)]
    with pytest.raises(TooManyChanges, match=r"4 of 10 owned resources \(40%\).*--force"):
        await kit.reconcile(four)
    await kit.converge(four, force=True)


async def test_thresholds_are_configurable(kit):
    resources = [template(f"t{i}", f"Subject {i}") for i in range(4)]
    await kit.converge(resources)
    one = [template(f"t{i}", "Changed" if i == 0 else f"Subject {i}") for i in range(4)]
    strict = SafetyThresholds(max_change_fraction=0.2, min_owned=2)
    with pytest.raises(TooManyChanges):
        await kit.reconcile(one, thresholds=strict)
    assert not (await kit.plan(one)).violations(SafetyThresholds())  # under 10 owned: no rule


async def test_stale_saved_plan_is_refused(kit):
    await kit.converge(account())
    resources = edited(account(), "intro", subject="New subject")
    saved = Plan.from_json((await kit.plan(resources)).to_json())
    live = await kit.live("Template", "intro")
    body = mapping.document("template", {"bodyHtml": "<p>someone else</p>"}, id=live.id)
    await kit.client.patch(f"/templates/{live.id}", body)
    report = await kit.apply(saved)
    [result] = report.results
    assert result.status == "failed" and result.reason.startswith("stale:")
    assert (await kit.live("Template", "intro")).resource.spec.subject == "Quick intro"


async def test_saved_plan_applies_exactly(kit):
    await kit.converge(account())
    resources = edited(account(), "intro", subject="New subject")
    saved = Plan.from_json((await kit.plan(resources)).to_json())
    assert (await kit.apply(saved)).ok
    assert (await kit.plan(resources)).empty


async def test_empty_manifest_set_never_retires_everything(kit):
    await kit.converge(account())
    with pytest.raises(EmptyManifestSet):
        await kit.plan([])


async def test_a_step_edited_live_after_the_plan_is_stale(kit):
    await kit.converge(account())
    resources = edited(
        account(), "inbound", steps=[email("intro"), call("5d"), email("follow-up", "3d")]
    )
    saved = Plan.from_json((await kit.plan(resources)).to_json())
    step = (await kit.live("Sequence", "inbound")).steps[1]
    body = mapping.document("sequenceStep", {"interval": 7200}, id=step.id)
    await kit.client.patch(f"/sequenceSteps/{step.id}", body)
    [result] = (await kit.apply(saved)).results
    assert result.status == "failed" and "stale" in result.reason
    assert (await kit.live("Sequence", "inbound")).resource.spec.steps[1].wait == 7200
