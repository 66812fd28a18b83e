"""The executor against the sandbox behind a recording proxy: the order of its writes (phases),
what a replace writes, what each failure says in the report, and what is left not attempted."""

from __future__ import annotations

import pytest

from seqops.apply.executor import STALE, apply
from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED
from seqops.plan.versions import retired_owner
from tests.crash.rig import Rig

from .kit import call, edited, email, resource, sequence, template
from .test_apply_guards import edit_by_hand

pytestmark = pytest.mark.anyio


@pytest.fixture
async def rig():
    rig = Rig()
    yield rig
    await rig.aclose()


def writes(rig: Rig, start: int = 0) -> list[str]:
    """The writes the sandbox processed since `start`, ids replaced by N."""
    out = []
    for line in rig.proxy.log[start:]:
        method, path = line.split(" ", 1)
        parts = ["N" if p.isdigit() else p for p in path.removeprefix("/api/v2/").split("/")]
        out.append(f"{method} {'/'.join(parts)}")
    return out


def by_change(report) -> dict[str, tuple[str, str]]:
    return {
        f"{r.change.action} {r.change.kind}/{r.change.name}": (r.status, r.reason)
        for r in report.results
    }


async def test_references_then_sequences_then_steps_then_enables(rig):
    resources = [
        template("intro"),
        sequence("demo", [email("intro"), call()], enabled=True, ruleset="rules"),
        resource("Ruleset", "rules", {"displayName": "Rules"}),
    ]
    plan = await rig.kit.plan(resources)
    started, ended = [], []
    report = await apply(plan, rig.kit.provider, progress=ended.append, on_start=started.append)
    assert report.ok
    log = writes(rig)
    first_sequence = log.index("POST sequences")
    assert set(log[:first_sequence]) == {"POST templates", "POST rulesets"}
    steps = [i for i, w in enumerate(log) if w == "POST sequenceSteps"]
    assert len(steps) == 2 and min(steps) > first_sequence
    assert log[-1] == "POST sequences/N/actions/enable" and max(steps) < len(log) - 1
    assert {c.name for c in started} == {"intro", "rules", "demo"}
    assert [r.status for r in ended] == [DONE] * 4
    assert {r.change.action for r in ended} == {"create", "enable"}
    live = await rig.kit.live("Sequence", "demo")
    assert live.resource.spec.enabled and live.resource.spec.ruleset == "rules"
    by_name = {(r.change.action, r.change.name): r for r in report.results}
    assert by_name[("create", "demo")].created_id == live.id
    assert by_name[("create", "intro")].created_id == (await rig.kit.live("Template", "intro")).id
    assert all(r.duration is not None and r.duration >= 0 for r in report.results)


async def test_a_replace_runs_the_new_version_before_retiring_the_old(rig):
    resources = [template("a"), template("b"), sequence("s", [email("a"), email("b")])]
    await rig.kit.converge(edited(resources, "s", enabled=True))
    old = await rig.kit.live("Sequence", "s")
    swapped = edited(resources, "s", steps=[email("b"), email("a")], enabled=True)
    plan = await rig.kit.plan(swapped)
    [change] = plan.changes
    assert change.action == "replace" and change.new_display_name == "s (v2)"
    start = len(rig.proxy.log)
    report = await apply(plan, rig.kit.provider)
    assert report.ok
    new = await rig.kit.live("Sequence", "s")
    assert rig.proxy.log[start:] == [
        "POST /api/v2/sequences",
        *["POST /api/v2/sequenceSteps", "POST /api/v2/sequenceTemplates"] * 2,
        f"POST /api/v2/sequences/{new.id}/actions/enable",  # the new version runs
        f"PATCH /api/v2/sequences/{old.id}",  # then the old one is re-tagged
        f"POST /api/v2/sequences/{old.id}/actions/disable",  # and stopped
    ]
    state = await rig.kit.provider.read()
    [retired] = [o for o in state.of_kind("Sequence") if o.owner == retired_owner("s")]
    assert new.id == report.results[0].created_id != old.id
    assert new.display_name == "s (v2)" and new.resource.spec.enabled
    assert [s.variants for s in new.resource.spec.steps] == [("b",), ("a",)]
    assert retired.id == old.id and not retired.resource.spec.enabled
    assert retired.display_name == "s" and (await rig.kit.plan(swapped)).empty


async def test_a_replace_of_a_disabled_sequence_enables_neither_version(rig):
    resources = [template("a"), template("b"), sequence("s", [email("a"), email("b")])]
    await rig.kit.converge(resources)
    old = await rig.kit.live("Sequence", "s")
    swapped = edited(resources, "s", steps=[email("b"), email("a")])
    start = len(rig.proxy.log)
    report = await apply(await rig.kit.plan(swapped), rig.kit.provider)
    assert report.ok
    assert writes(rig, start) == [
        "POST sequences",
        *["POST sequenceSteps", "POST sequenceTemplates"] * 2,
        "PATCH sequences/N",  # the old one re-tagged, nothing enabled or disabled
    ]
    assert rig.proxy.log[-1] == f"PATCH /api/v2/sequences/{old.id}"
    state = await rig.kit.provider.read()
    assert not state.owned("Sequence", "s").resource.spec.enabled
    assert [o.id for o in state.of_kind("Sequence") if o.owner == retired_owner("s")] == [old.id]


async def test_a_delete_of_a_sequence_that_gained_prospects_says_how_many(rig):
    await rig.kit.converge([template("intro"), sequence("old", [email("intro")])])
    plan = await rig.kit.plan([template("intro")], allow_delete=True)
    old = await rig.kit.live("Sequence", "old")
    rig.kit.sandbox.enroll(old.id, n=2)
    rig.kit.sandbox.enroll(old.id, n=1, state="paused")
    start = len(rig.proxy.log)
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {
        "delete Sequence/old": (
            FAILED,
            "refused: 2 active and 1 paused prospects are in it "
            "(a sequence with prospects is never deleted)",
        )
    }
    assert writes(rig, start) == []


async def test_a_template_delete_goes_ahead_without_an_impact_check(rig):
    await rig.kit.converge([template("intro"), template("spare")])
    spare = await rig.kit.live("Template", "spare")
    plan = await rig.kit.plan([template("intro")], allow_delete=True)
    assert [(c.action, c.name) for c in plan.changes] == [("delete", "spare")]
    start = len(rig.proxy.log)
    assert (await apply(plan, rig.kit.provider)).ok
    assert writes(rig, start) == ["DELETE templates/N"]
    assert rig.proxy.log[-1].endswith(f"/templates/{spare.id}")


async def test_a_stale_reference_fails_and_what_uses_it_is_not_attempted(rig):
    await rig.kit.converge([template("intro", "Old")])
    intro = await rig.kit.live("Template", "intro")
    wanted = [template("intro", "New"), sequence("demo", [email("intro")], enabled=True)]
    plan = await rig.kit.plan(wanted)
    await edit_by_hand(rig.kit, f"/templates/{intro.id}", {"name": "Edited in the UI"})
    start = len(rig.proxy.log)
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {
        "update Template/intro": (FAILED, STALE),
        "create Sequence/demo": (NOT_ATTEMPTED, "update Template/intro did not succeed"),
        "enable Sequence/demo": (NOT_ATTEMPTED, "create Sequence/demo did not succeed"),
    }
    assert writes(rig, start) == []
    assert [r.duration for r in report.results[1:]] == [None, None]


async def test_a_step_edited_after_the_plan_fails_as_stale_naming_its_order(rig):
    resources = [template("intro"), sequence("demo", [email("intro"), call("1d"), call("5d")])]
    await rig.kit.converge(resources)
    demo = await rig.kit.live("Sequence", "demo")
    plan = await rig.kit.plan(edited(resources, "demo", steps=[email("intro"), call("1d"), call()]))
    [change] = plan.changes
    assert change.action == "update" and [w.order for w in change.steps] == [3]
    await edit_by_hand(rig.kit, f"/sequenceSteps/{demo.steps[2].id}", {"interval": 600})
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {"update Sequence/demo": (FAILED, f"step 3: {STALE}")}


async def test_a_changed_step_and_an_added_one_are_written_in_place(rig):
    resources = [template("intro"), sequence("demo", [email("intro"), call("1d")])]
    await rig.kit.converge(resources)
    demo = await rig.kit.live("Sequence", "demo")
    wanted = edited(resources, "demo", steps=[email("intro"), call("3d"), call("4d")])
    plan = await rig.kit.plan(wanted)
    start = len(rig.proxy.log)
    assert (await apply(plan, rig.kit.provider)).ok
    assert writes(rig, start) == ["PATCH sequenceSteps/N", "POST sequenceSteps"]
    after = await rig.kit.live("Sequence", "demo")
    assert after.id == demo.id and after.steps[1].id == demo.steps[1].id
    assert [s.wait for s in after.resource.spec.steps] == [86400, 3 * 86400, 4 * 86400]
    assert (await rig.kit.plan(wanted)).empty


async def test_a_sequence_left_with_some_steps_names_itself_in_the_report(rig):
    resources = [template("intro"), sequence("demo", [call("0"), call("1d"), email("intro")])]
    await rig.kit.converge(resources[:1])
    rig.proxy.crash_after("POST", r"/sequenceSteps$", nth=1)
    report = await apply(await rig.kit.plan(resources), rig.fragile)
    rig.proxy.heal()
    demo = await rig.kit.live("Sequence", "demo")
    [(status, reason)] = by_change(report).values()
    assert status == FAILED
    assert reason.startswith(f"'demo' (id {demo.id}) was created with 1 of 3 steps, then: ")
    assert reason.endswith("; the next apply completes it") and "\n" not in reason
    assert report.results[0].created_id == demo.id
