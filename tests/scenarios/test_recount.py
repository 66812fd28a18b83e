"""Apply counts prospects again right before each change writes (issue 23, item 2): enrolment
does not touch `updatedAt`, so a saved plan made when nobody was there must not start or
reach the people enrolled since without --allow-disruption; the refusal names the counts, and
the rest of the plan goes on as its dependencies allow."""

from __future__ import annotations

import pytest

from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED
from seqops.plan.plan import Plan

from .kit import Kit, call, edited, email, sequence, template

pytestmark = pytest.mark.anyio


def manifests(**spec):
    return [
        template("intro"),
        sequence("quiet", [call("1d")], displayName="Quiet", **spec),
        sequence("other", [email("intro", "0")], displayName="Other", enabled=True),
    ]


def saved(plan: Plan) -> Plan:
    return Plan.from_json(plan.to_json())


def statuses(report) -> dict[str, tuple[str, str]]:
    return {f"{r.change.action} {r.change.name}": (r.status, r.reason) for r in report.results}


async def test_a_saved_enable_refuses_to_start_prospects_enrolled_since(kit: Kit):
    await kit.converge(manifests(enabled=False))
    wanted = edited(manifests(enabled=True), "intro", subject="New words")
    plan = saved(await kit.plan(wanted))
    assert plan.requires == []  # nobody was there
    quiet = (await kit.live("Sequence", "quiet")).id
    kit.sandbox.enroll(quiet, 3, "pending")  # enrolled in the UI, after the review
    report = await kit.apply(plan)
    found = statuses(report)
    assert found["enable quiet"] == (
        FAILED,
        "refused by the disruption rule: 3 pending prospects enrolled since the plan would "
        "start (now 0 active, 0 paused, 3 pending); rerun with --allow-disruption",
    )
    assert found["update intro"] == (DONE, "")  # the rest goes on
    assert not (await kit.live("Sequence", "quiet")).resource.spec.enabled
    assert (await kit.provider.impact([quiet]))[quiet].pending == 3
    assert (await kit.apply(saved(await kit.plan(wanted)), allow_disruption=True)).ok


async def test_a_template_change_reaching_prospects_enrolled_since_is_refused(kit: Kit):
    await kit.converge(manifests())
    plan = saved(await kit.plan(edited(manifests(), "intro", subject="Changed")))
    assert plan.requires == []
    other = (await kit.live("Sequence", "other")).id
    kit.sandbox.enroll(other, 2)
    [result] = (await kit.apply(plan)).results
    assert result.status == FAILED
    assert "2 prospects joined since the plan, and it reaches them" in result.reason
    assert "(now 2 active, 0 paused)" in result.reason


async def test_what_depends_on_a_refused_change_is_not_attempted(kit: Kit):
    await kit.converge(manifests())
    wanted = edited(manifests(), "intro", subject="Changed")
    wanted = edited(wanted, "other", steps=[email("intro", "1d")])
    plan = saved(await kit.plan(wanted))
    kit.sandbox.enroll((await kit.live("Sequence", "other")).id, 1)
    found = statuses(await kit.apply(plan))
    assert found["update intro"][0] == FAILED
    assert found["update other"] == (NOT_ATTEMPTED, "update Template/intro did not succeed")


async def test_a_cosmetic_change_goes_ahead_whoever_joined_since(kit: Kit):
    await kit.converge(manifests())
    plan = saved(await kit.plan(edited(manifests(), "other", description="Renamed words")))
    kit.sandbox.enroll((await kit.live("Sequence", "other")).id, 4)
    before = kit.client.request_count
    report = await kit.apply(plan)
    assert report.ok
    assert kit.client.request_count - before == 2  # the freshness check and the write: no count


async def test_with_allow_disruption_nothing_is_counted_again(kit: Kit):
    await kit.converge(manifests(enabled=False))
    plan = saved(await kit.plan(manifests(enabled=True)))
    before = kit.client.request_count
    assert (await kit.apply(plan, allow_disruption=True)).ok
    assert kit.client.request_count - before == 2  # freshness check, enable
