"""The executor against the sandbox behind a recording proxy: the order of its writes (phases),
what a replace writes, what each failure says in the report, and what is left not attempted."""

from __future__ import annotations

import json
import time

import pytest

from seqops.apply.executor import STALE, apply
from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED
from seqops.plan.versions import retired_owner
from seqops.providers.outreach import mapping
from seqops.sandbox.app import create_app
from tests.crash.rig import Rig

from .kit import TOKEN, Kit, call, edited, email, make_provider, resource, sequence, template
from .test_apply_guards import edit_by_hand
from .test_recovery_notes import interrupt_a_replace

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
    before = time.monotonic()
    report = await apply(plan, rig.kit.provider, progress=ended.append, on_start=started.append)
    elapsed = time.monotonic() - before
    assert report.ok
    log = writes(rig)
    first_sequence = log.index("POST sequences")
    assert set(log[:first_sequence]) == {"POST templates", "POST rulesets"}
    steps = [i for i, w in enumerate(log) if w == "POST sequenceSteps"]
    assert len(steps) == 2 and min(steps) > first_sequence
    assert log[-1] == "POST sequences/N/actions/enable" and max(steps) < len(log) - 1
    assert sorted((c.action, c.name) for c in started) == [
        ("create", "demo"),
        ("create", "intro"),
        ("create", "rules"),
        ("enable", "demo"),
    ]
    assert [r.status for r in ended] == [DONE] * 4
    assert {r.change.action for r in ended} == {"create", "enable"}
    live = await rig.kit.live("Sequence", "demo")
    assert live.resource.spec.enabled and live.resource.spec.ruleset == "rules"
    by_name = {(r.change.action, r.change.name): r for r in report.results}
    assert by_name[("create", "demo")].created_id == live.id
    assert by_name[("create", "intro")].created_id == (await rig.kit.live("Template", "intro")).id
    # each change's duration is a part of the apply's, whatever the machine's speed
    assert all(r.duration is not None and 0 <= r.duration <= elapsed for r in report.results)


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
    assert retired.display_name == "s (v1, retired)" and (await rig.kit.plan(swapped)).empty


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
    wanted = edited(resources, "demo", steps=[email("intro"), call("3d"), call("4d"), call("5d")])
    plan = await rig.kit.plan(wanted)
    start = len(rig.proxy.log)
    assert (await apply(plan, rig.kit.provider)).ok
    assert writes(rig, start) == [
        "PATCH sequenceSteps/N",
        "POST sequenceSteps",
        "POST sequenceSteps",
    ]
    after = await rig.kit.live("Sequence", "demo")
    assert after.id == demo.id and after.steps[1].id == demo.steps[1].id
    assert [s.wait for s in after.resource.spec.steps] == [86400, 3 * 86400, 4 * 86400, 5 * 86400]
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


async def test_a_sequence_updated_then_enabled_in_one_run_is_not_stale_to_itself(rig):
    resources = [template("a"), sequence("s", [email("a")])]
    await rig.kit.converge(resources)
    s = await rig.kit.live("Sequence", "s")
    wanted = edited(resources, "s", displayName="Renamed", enabled=True)
    plan = await rig.kit.plan(wanted)
    assert [c.action for c in plan.changes] == ["update", "enable"]
    start = len(rig.proxy.log)
    report = await apply(plan, rig.kit.provider)
    assert [r.status for r in report.results] == [DONE, DONE]
    assert rig.proxy.log[start:] == [
        f"PATCH /api/v2/sequences/{s.id}",
        f"POST /api/v2/sequences/{s.id}/actions/enable",
    ]
    assert (await rig.kit.plan(wanted)).empty


async def test_steps_rewritten_then_the_sequence_disabled_in_one_run(rig):
    resources = [template("a"), sequence("s", [email("a")], enabled=True)]
    await rig.kit.converge(resources)
    wanted = edited(resources, "s", steps=[email("a", "3d")], enabled=False)
    plan = await rig.kit.plan(wanted)
    assert [c.action for c in plan.changes] == ["update", "disable"]
    report = await apply(plan, rig.kit.provider)
    assert [r.status for r in report.results] == [DONE, DONE]
    assert rig.proxy.log[-1].endswith("/actions/disable")
    assert (await rig.kit.plan(wanted)).empty


async def test_a_ruleset_that_failed_blocks_the_sequences_using_it_only(rig):
    def rules(duplicates: str):
        spec = {"displayName": "Rules", "permitDuplicateProspects": duplicates}
        return resource("Ruleset", "rules", spec)

    resources = [template("a"), rules("disallow"), sequence("uses", [email("a")], ruleset="rules")]
    await rig.kit.converge(resources)
    [live_rules] = mine((await rig.kit.provider.read()).of_kind("Ruleset"))
    wanted = [
        template("a"),
        rules("allow"),
        sequence("uses", [email("a")], ruleset="rules", displayName="Uses"),
        sequence("free", [email("a")]),
    ]
    plan = await rig.kit.plan(wanted)
    assert {str(c).split(" (")[0] for c in plan.changes} == {
        "update Ruleset/rules",
        "update Sequence/uses",
        "create Sequence/free",
    }
    await edit_by_hand(rig.kit, f"/rulesets/{live_rules.id}", {"name": "Rules"})
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {
        "update Ruleset/rules": (FAILED, STALE),
        "update Sequence/uses": (NOT_ATTEMPTED, "update Ruleset/rules did not succeed"),
        "create Sequence/free": (DONE, ""),
    }


async def test_a_template_that_failed_blocks_the_sequences_sending_it(rig):
    resources = [template("a"), template("b")]
    await rig.kit.converge(resources)
    b = await rig.kit.live("Template", "b")
    wanted = [
        template("a"),
        template("b", "Changed"),
        sequence("sends-b", [call("0"), email("b")]),
        sequence("sends-a", [email("a")]),
    ]
    plan = await rig.kit.plan(wanted)
    await edit_by_hand(rig.kit, f"/templates/{b.id}", {"name": "Edited by hand"})
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {
        "update Template/b": (FAILED, STALE),
        "create Sequence/sends-b": (NOT_ATTEMPTED, "update Template/b did not succeed"),
        "create Sequence/sends-a": (DONE, ""),
    }
    assert await rig.kit.live("Sequence", "sends-b") is None


class Garbled:
    """The sandbox, except that creating a sequence answers 201 with `body`."""

    def __init__(self, app, body: dict) -> None:
        self.app, self.body = app, body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and (scope["method"], scope["path"]) == (
            "POST",
            "/api/v2/sequences",
        ):
            headers = [(b"content-type", b"application/vnd.api+json")]
            await send({"type": "http.response.start", "status": 201, "headers": headers})
            await send({"type": "http.response.body", "body": json.dumps(self.body).encode()})
            return
        await self.app(scope, receive, send)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"data": None},
            "the API answered data as null where seqops reads a sequence object (POST /sequences)",
        ),
        (
            {"nothing": 1},
            "the API answered data as null where seqops reads a sequence object (POST /sequences)",
        ),
        (
            {"data": {"id": TOKEN, "type": "sequence", "attributes": {}}},
            "the API answered data.id as '***' where seqops reads a positive integer id "
            "(POST /sequences): nothing was planned or written from it (`seqops doctor` lists "
            "every such value)",
        ),
    ],
)
async def test_an_unexpected_error_fails_its_change_and_the_run_goes_on(body, error):
    app = create_app(token=TOKEN)
    kit = Kit(app, make_provider(Garbled(app, body), attempts=1))
    wanted = [template("a"), sequence("s", [email("a")], enabled=True), template("z")]
    try:
        report = await apply(await kit.plan(wanted), kit.provider)
    finally:
        await kit.provider.aclose()
    assert by_change(report) == {
        "create Template/a": (DONE, ""),
        "create Template/z": (DONE, ""),
        "create Sequence/s": (FAILED, error),
        "enable Sequence/s": (NOT_ATTEMPTED, "create Sequence/s did not succeed"),
    }


async def test_a_create_that_lost_the_race_says_so_and_writes_nothing_more(rig):
    wanted = [template("t"), sequence("s", [call("1d"), email("t")], displayName="S", enabled=True)]
    plan = await rig.kit.plan(wanted)
    await rig.kit.converge(wanted)  # the rival apply, done first
    t, s = await rig.kit.live("Template", "t"), await rig.kit.live("Sequence", "s")
    start = len(rig.proxy.log)
    report = await apply(plan, rig.kit.provider)
    first = "another apply created it first (id {}): kept that one"
    assert by_change(report) == {
        "create Template/t": (DONE, first.format(t.id)),
        "create Sequence/s": (
            DONE,
            first.format(s.id) + "; its steps and enabling are left to that apply",
        ),
        "enable Sequence/s": (DONE, "left to the apply that created the sequence"),
    }
    assert [r.created_id for r in report.results] == [t.id, s.id, None]
    lost = [
        w for w in writes(rig, start) if w.startswith(("POST sequenceSteps", "POST sequences/"))
    ]
    assert lost == []  # its own copies deleted, no step written, nothing enabled
    assert (await rig.kit.plan(wanted)).empty


async def test_an_enabled_twin_is_retagged_then_disabled_and_a_template_twin_retagged(rig):
    resources = [template("intro"), sequence("s", [email("intro")], displayName="S")]
    await rig.kit.converge(resources)
    twin = await post(rig, "/sequences", "sequence", {"name": "S", "tags": ["seqops:s"]})
    await rig.kit.provider.set_enabled(twin, True)
    twin_template = await post(
        rig, "/templates", "template", {"name": "intro", "tags": ["seqops:intro"]}
    )
    plan = await rig.kit.plan(resources)
    start = len(rig.proxy.log)
    report = await apply(plan, rig.kit.provider)
    assert report.ok
    assert sorted(rig.proxy.log[start:]) == sorted(
        [
            f"PATCH /api/v2/sequences/{twin}",
            f"POST /api/v2/sequences/{twin}/actions/disable",
            f"PATCH /api/v2/templates/{twin_template}",
        ]
    )
    assert rig.proxy.log.index(f"PATCH /api/v2/sequences/{twin}") < rig.proxy.log.index(
        f"POST /api/v2/sequences/{twin}/actions/disable"
    )
    state = await rig.kit.provider.read()
    retired = {
        (o.kind, o.id): o for o in state.objects if o.owner in ("s--retired", "intro--retired")
    }
    assert set(retired) == {("Sequence", twin), ("Template", twin_template)}
    assert not retired[("Sequence", twin)].resource.spec.enabled
    assert retired[("Sequence", twin)].display_name == "S"
    assert retired[("Template", twin_template)].display_name == "intro"
    assert (await rig.kit.plan(resources)).empty


async def post(rig: Rig, path: str, type_name: str, attributes: dict) -> int:
    created = await rig.raw.post(path, mapping.document(type_name, attributes))
    return int(created["data"]["id"])


async def test_an_object_read_without_a_timestamp_is_written_without_the_stale_check(rig):
    await rig.kit.converge([template("intro", "Old")])
    intro = await rig.kit.live("Template", "intro")
    plan = await rig.kit.plan([template("intro", "New")])
    [change] = plan.changes
    change.existing.updated_at = None  # the API gave no updatedAt: nothing to compare
    await edit_by_hand(rig.kit, f"/templates/{intro.id}", {"name": "Edited in the UI"})
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {"update Template/intro": (DONE, "")}
    assert (await rig.kit.live("Template", "intro")).resource.spec.subject == "New"


async def test_a_step_read_without_a_timestamp_is_written_without_the_stale_check(rig):
    resources = [template("intro"), sequence("demo", [email("intro"), call("1d")])]
    await rig.kit.converge(resources)
    demo = await rig.kit.live("Sequence", "demo")
    wanted = edited(resources, "demo", steps=[email("intro"), call("4d")])
    plan = await rig.kit.plan(wanted)
    [change] = plan.changes
    [write] = change.steps
    write.live.updated_at = None
    await edit_by_hand(rig.kit, f"/sequenceSteps/{demo.steps[1].id}", {"interval": 600})
    report = await apply(plan, rig.kit.provider)
    assert by_change(report) == {"update Sequence/demo": (DONE, "")}
    assert (await rig.kit.plan(wanted)).empty


async def test_a_replace_left_with_some_steps_names_the_new_version(rig):
    resources = [template("a"), template("b"), sequence("s", [email("a"), email("b")])]
    await rig.kit.converge(resources)
    old = await rig.kit.live("Sequence", "s")
    swapped = edited(resources, "s", steps=[email("b"), email("a")])
    plan = await rig.kit.plan(swapped)
    rig.proxy.crash_after("POST", r"/sequenceSteps$", nth=1)
    report = await apply(plan, rig.fragile)
    rig.proxy.heal()
    [result] = report.results
    [new] = [o for o in (await rig.kit.provider.read()).of_kind("Sequence") if o.id != old.id]
    assert result.status == FAILED and result.created_id == new.id
    assert result.reason.startswith(
        f"'s (v2)' (id {result.created_id}) was created with 0 of 2 steps, then: "
    )


async def test_applying_a_plan_leaves_its_references_as_planned(rig):
    await rig.kit.converge([template("old")])
    wanted = [template("old"), template("new"), sequence("s", [email("new"), email("old")])]
    plan = await rig.kit.plan(wanted)
    before = plan.to_json()
    assert (await apply(plan, rig.kit.provider)).ok
    assert plan.to_json() == before
    assert "new" not in plan.references.templates


async def test_a_twin_whose_retirement_failed_does_not_hold_back_enabling_the_kept_one(rig):
    resources = [template("intro"), sequence("s", [email("intro")], displayName="S")]
    await rig.kit.converge(resources)
    kept = await rig.kit.live("Sequence", "s")
    twin = await post(rig, "/sequences", "sequence", {"name": "S", "tags": ["seqops:s"]})
    wanted = edited(resources, "s", enabled=True)
    plan = await rig.kit.plan(wanted)
    assert sorted((c.action, c.id) for c in plan.changes) == [
        ("disable", twin),
        ("enable", kept.id),
    ]
    rig.proxy.fail("PATCH", rf"/sequences/{twin}$")
    report = await apply(plan, rig.fragile)
    statuses = {(r.change.action, r.change.id): r.status for r in report.results}
    assert statuses == {("disable", twin): FAILED, ("enable", kept.id): DONE}
    assert (await rig.kit.live("Sequence", "s")).resource.spec.enabled


async def test_resuming_a_replace_retires_the_old_version_only_after_the_new_one_runs(rig):
    after = await interrupt_a_replace(rig.kit, enabled=True)
    v1 = next(
        o for o in (await rig.kit.provider.read()).of_kind("Sequence") if o.display_name == "s"
    )
    plan = await rig.kit.plan(after)
    start = len(rig.proxy.log)
    assert (await apply(plan, rig.kit.provider)).ok
    v2 = await rig.kit.live("Sequence", "s")
    log = rig.proxy.log[start:]
    assert log[-3:] == [
        f"POST /api/v2/sequences/{v2.id}/actions/enable",
        f"PATCH /api/v2/sequences/{v1.id}",
        f"POST /api/v2/sequences/{v1.id}/actions/disable",
    ]


async def test_an_old_version_keeps_running_when_enabling_the_new_one_failed(rig):
    after = await interrupt_a_replace(rig.kit, enabled=True)
    state = await rig.kit.provider.read()
    v1 = next(o for o in state.of_kind("Sequence") if o.display_name == "s")
    v2 = next(o for o in state.of_kind("Sequence") if o.display_name == "s (v2)")
    plan = await rig.kit.plan(after)
    rig.proxy.fail("POST", rf"/sequences/{v2.id}/actions/enable$")
    report = await apply(plan, rig.fragile)
    assert [(r.change.action, r.status) for r in report.results] == [
        ("update", DONE),
        ("enable", FAILED),
        ("disable", NOT_ATTEMPTED),
    ]
    assert report.results[2].reason == "enable Sequence/s did not succeed"
    rig.proxy.heal()
    old = next(o for o in (await rig.kit.provider.read()).of_kind("Sequence") if o.id == v1.id)
    assert old.owner == "s" and old.resource.spec.enabled


async def test_an_unreachable_target_stops_the_run_and_nothing_more_is_started(rig):
    wanted = [*(template(f"t{i}") for i in range(5)), sequence("calls", [call("1d")])]
    plan = await rig.kit.plan(wanted)
    dying = make_provider(rig.proxy, attempts=10_000, breaker_window=0.2)
    rig.proxy.crash_after("POST", r"/templates$", nth=2)
    started = []
    try:
        report = await apply(plan, dying, concurrency=1, on_start=started.append)
    finally:
        await dying.aclose()
    done, failed, skipped = (report.of(s) for s in (DONE, FAILED, NOT_ATTEMPTED))
    # t0 and t1 were created (the server dies after answering the second POST), t2 fails
    assert len(done) == 2 and len(failed) == 1 and len(skipped) == 3
    [stop] = failed
    assert "keeps failing" in stop.reason and "\n" not in stop.reason
    assert {r.reason for r in skipped} == {stop.reason}
    assert {r.change.name for r in skipped} >= {"calls"}
    assert [c.name for c in started] == [r.change.name for r in [*done, stop]]
    assert all(r.duration is None for r in skipped)


async def test_a_step_appended_in_place_can_send_a_template_created_by_the_same_run(rig):
    resources = [template("a"), sequence("s", [email("a")])]
    await rig.kit.converge(resources)
    s = await rig.kit.live("Sequence", "s")
    wanted = [template("a"), template("b"), sequence("s", [email("a"), email("b", "2d")])]
    plan = await rig.kit.plan(wanted)
    assert [c.action for c in plan.changes] == ["create", "update"]
    assert (await apply(plan, rig.kit.provider)).ok
    after = await rig.kit.live("Sequence", "s")
    b = await rig.kit.live("Template", "b")
    assert after.id == s.id and after.steps[1].template_id == b.id
    assert (await rig.kit.plan(wanted)).empty


async def test_a_disabled_twin_is_only_retagged(rig):
    resources = [template("intro"), sequence("s", [email("intro")], displayName="S")]
    await rig.kit.converge(resources)
    twin = await post(rig, "/sequences", "sequence", {"name": "S", "tags": ["seqops:s"]})
    plan = await rig.kit.plan(resources)
    assert [(c.action, c.id, c.retire_as) for c in plan.changes] == [
        ("disable", twin, "s--retired")
    ]
    start = len(rig.proxy.log)
    assert (await apply(plan, rig.kit.provider)).ok
    assert rig.proxy.log[start:] == [f"PATCH /api/v2/sequences/{twin}"]
    assert (await rig.kit.plan(resources)).empty


async def test_a_ruleset_is_updated_in_place(rig):
    def rules(duplicates: str):
        spec = {"displayName": "Rules", "permitDuplicateProspects": duplicates}
        return resource("Ruleset", "rules", spec)

    await rig.kit.converge([rules("disallow")])
    [before] = mine((await rig.kit.provider.read()).of_kind("Ruleset"))
    plan = await rig.kit.plan([rules("allow")])
    start = len(rig.proxy.log)
    assert (await apply(plan, rig.kit.provider)).ok
    assert rig.proxy.log[start:] == [f"PATCH /api/v2/rulesets/{before.id}"]
    [after] = mine((await rig.kit.provider.read()).of_kind("Ruleset"))
    assert after.id == before.id and after.resource.spec.permitDuplicateProspects == "allow"
    assert (await rig.kit.plan([rules("allow")])).empty


@pytest.mark.parametrize(
    ("steps", "kind"),
    [
        ([{"type": "call", "date": "2030-05-01"}, {"type": "call", "date": "2030-05-02"}], "date"),
        ([call("1d"), call("2d")], "interval"),
    ],
)
async def test_the_retired_version_keeps_its_base_name_type_and_user_tags(rig, steps, kind):
    story = sequence("s", steps, displayName="Story", tags=["campaign"], sequenceType=kind)
    await rig.kit.converge([story])
    old = await rig.kit.live("Sequence", "s")
    await rig.kit.converge([edited([story], "s", steps=steps[:1])[0]])
    [raw] = [r for r in await rig.kit.sequences() if int(r["id"]) == old.id]
    attributes = raw["attributes"]
    assert attributes["name"] == "Story (v1, retired)"
    assert attributes["sequenceType"] == kind
    assert sorted(attributes["tags"]) == ["campaign", "seqops:s--retired"]


async def test_a_sequence_created_enabled_is_enabled_by_its_own_new_id(rig):
    await rig.kit.converge([template("a"), template("b"), sequence("x", [email("a")])])
    wanted = [
        template("a"),
        template("b"),
        template("c"),
        sequence("x", [email("a")]),
        sequence("s", [email("c")], enabled=True),
    ]
    plan = await rig.kit.plan(wanted)
    assert [(c.action, c.kind) for c in plan.changes] == [
        ("create", "Template"),
        ("create", "Sequence"),
        ("enable", "Sequence"),
    ]
    report = await apply(plan, rig.kit.provider)
    assert report.ok
    s, c = await rig.kit.live("Sequence", "s"), await rig.kit.live("Template", "c")
    assert s.id != c.id and s.resource.spec.enabled
    assert rig.proxy.log[-1] == f"POST /api/v2/sequences/{s.id}/actions/enable"
    assert not (await rig.kit.live("Sequence", "x")).resource.spec.enabled


def mine(rulesets: list) -> list:
    """The rulesets the test made: every account also has its default ruleset."""
    return [r for r in rulesets if r.display_name != "Default ruleset"]
