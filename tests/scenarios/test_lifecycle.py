"""Each scenario edits the manifests or the live account, applies, then re-plans to zero."""

from __future__ import annotations

import pytest

from seqops.manifest.models import manifest_adapter
from seqops.plan.versions import retiring_owner
from seqops.providers.outreach import mapping

from .kit import account, call, edited, email, resource, sequence, template

pytestmark = pytest.mark.anyio


async def test_create_all_then_zero_changes(kit):
    plan = await kit.converge(account())
    assert plan.summary["create"] == 5 and plan.summary["enable"] == 1
    live = await kit.live("Sequence", "inbound")
    assert live.display_name == "Inbound demo" and live.resource.spec.enabled
    assert [s.template for s in live.resource.spec.steps] == ["intro", None, "follow-up"]
    assert "seqops:inbound" in (await kit.sequences())[0]["attributes"]["tags"]


async def test_edit_a_template_subject(kit):
    await kit.converge(account())
    resources = edited(account(), "intro", subject="A better intro")
    plan = await kit.plan(resources)
    [change] = plan.changes
    assert (change.action, change.kind, change.name) == ("update", "Template", "intro")
    assert [d.to_json() for d in change.diff] == [
        {"path": "subject", "old": "Quick intro", "new": "A better intro"}
    ]
    await kit.converge(resources)


async def test_change_waits_is_an_in_place_update(kit):
    await kit.converge(account())
    steps = [email("intro"), call("3d"), email("follow-up", "1w")]
    resources = edited(account(), "inbound", steps=steps)
    plan = await kit.plan(resources)
    [change] = plan.changes
    assert change.action == "update"
    assert [str(d) for d in change.diff] == ["steps[1].wait: 2d → 3d", "steps[2].wait: 3d → 1w"]
    assert change.impact is not None and change.impact.total == 0
    await kit.converge(resources)


async def test_add_a_step_appends_in_place(kit):
    await kit.converge(account())
    before = await kit.live("Sequence", "inbound")
    steps = [email("intro"), call("2d"), email("follow-up", "3d"), call("1w", note="Last try")]
    resources = edited(account(), "inbound", steps=steps)
    [change] = (await kit.plan(resources)).changes
    assert change.action == "update"
    [added] = change.diff
    assert (added.path, added.op, added.new_index) == ("steps[3]", "inserted", 3)
    assert added.new == {"type": "call", "wait": "1w", "note": "Last try"}
    await kit.converge(resources)
    after = await kit.live("Sequence", "inbound")
    assert after.id == before.id and len(after.steps) == 4


async def test_remove_a_step_replaces_and_the_old_version_drains(kit):
    await kit.converge(account())
    old = await kit.live("Sequence", "inbound")
    kit.sandbox.enroll(old.id, n=3)
    resources = edited(account(), "inbound", steps=[email("intro"), email("follow-up", "3d")])
    plan = await kit.plan(resources)
    [change] = plan.changes
    assert change.action == "replace" and change.impact.active == 3
    assert not change.disruptive and plan.requires == []  # draining reaches nobody
    assert change.diff[0].to_json() == {
        "path": "displayName",
        "old": "Inbound demo",
        "new": "Inbound demo (v2)",
    }
    assert "3 active prospects keep their cadence in v1 until they finish" in change.reason
    await kit.converge(resources)
    state = await kit.provider.read()
    new = state.owned("Sequence", "inbound")
    [draining] = [o for o in state.of_kind("Sequence") if o.owner == retiring_owner("inbound")]
    assert new.display_name == "Inbound demo (v2)" and new.resource.spec.enabled
    assert len(new.steps) == 2
    assert draining.id == old.id and draining.resource.spec.enabled
    assert draining.display_name == "Inbound demo (v1, retiring)"
    assert (await kit.provider.impact([old.id]))[old.id].active == 3
    [listed] = (await kit.plan(resources)).draining
    assert (listed.id, listed.active, listed.enabled) == (old.id, 3, True)


async def test_reorder_is_a_replace_and_a_second_replace_is_v3(kit):
    resources = [template("a"), template("b"), sequence("s", [email("a"), email("b")])]
    await kit.converge(resources)
    swapped = edited(resources, "s", steps=[email("b"), email("a")])
    assert [c.action for c in (await kit.plan(swapped)).changes] == ["replace"]
    await kit.converge(swapped)
    shorter = edited(resources, "s", steps=[email("b")])
    [change] = (await kit.plan(shorter)).changes
    assert change.new_display_name == "s (v3)"
    await kit.converge(shorter)


async def test_disable_through_the_manifest(kit):
    await kit.converge(account())
    resources = edited(account(), "inbound", enabled=False)
    [change] = (await kit.plan(resources)).changes
    assert change.action == "disable"
    await kit.converge(resources, force=True)  # the only enabled sequence: stops everything
    assert not (await kit.live("Sequence", "inbound")).resource.spec.enabled


async def test_retire_when_the_manifest_is_removed(kit):
    await kit.converge(account())
    resources = [r for r in account() if r.name != "inbound"]
    [change] = (await kit.plan(resources)).changes
    assert (change.action, change.name, change.reason) == (
        "disable",
        "inbound",
        "no manifest: retired",
    )
    await kit.converge(resources, force=True)  # the only enabled sequence: stops everything
    live = await kit.live("Sequence", "inbound")
    assert live is not None and not live.resource.spec.enabled  # retired, never deleted


async def test_state_absent_retires_explicitly(kit):
    await kit.converge(account())
    resources = [
        r if r.name != "inbound" else r.model_copy(update={"state": "absent"}) for r in account()
    ]
    [change] = (await kit.plan(resources)).changes
    assert (change.action, change.reason) == ("disable", "state: absent")
    await kit.converge(resources, force=True)  # the only enabled sequence: stops everything


async def test_allow_delete_deletes_a_retired_sequence_without_prospects(kit):
    await kit.converge(account())
    resources = [r for r in account() if r.name != "outbound"]
    [change] = (await kit.plan(resources, allow_delete=True)).changes
    assert change.action == "delete"
    await kit.converge(resources, allow_delete=True)
    assert await kit.live("Sequence", "outbound") is None


async def test_allow_delete_never_deletes_a_sequence_with_prospects(kit):
    await kit.converge(account())
    live = await kit.live("Sequence", "inbound")
    kit.sandbox.enroll(live.id, n=1)
    resources = [r for r in account() if r.name != "inbound"]
    [change] = (await kit.plan(resources, allow_delete=True)).changes
    assert change.action == "disable" and "not deleted" in change.warnings[0]


async def test_adopt_a_hand_made_sequence(kit):
    body = mapping.document("sequence", {"name": "Hand made", "sequenceType": "interval"})
    created = await kit.client.post("/sequences", body)
    resources = [sequence("hand-made", [call("1d")], displayName="Hand made")]
    [change] = (await kit.plan(resources)).changes
    assert change.action == "adopt" and change.id == int(created["data"]["id"])
    await kit.converge(resources)
    assert len(await kit.sequences()) == 1
    assert (await kit.live("Sequence", "hand-made")).id == change.id


async def test_two_adoption_candidates_are_an_error_unless_pinned(kit):
    ids = []
    for _ in range(2):
        body = mapping.document("sequence", {"name": "Twin", "sequenceType": "interval"})
        ids.append(int((await kit.client.post("/sequences", body))["data"]["id"]))
    resources = [sequence("twin", [], displayName="Twin")]
    from seqops.plan.errors import IdentityError

    with pytest.raises(IdentityError, match=f"ids {ids[0]}, {ids[1]}"):
        await kit.plan(resources)
    pinned = manifest_adapter.validate_python(
        {**resources[0].model_dump(mode="json"), "metadata": {"name": "twin", "id": ids[1]}}
    )
    [change] = (await kit.plan([pinned])).changes
    assert (change.action, change.id) == ("adopt", ids[1])
    await kit.converge([pinned])


async def test_live_edit_in_the_ui_is_drift_and_is_fixed(kit):
    await kit.converge(account())
    live = await kit.live("Template", "intro")
    body = mapping.document("template", {"subject": "Edited in the UI"}, id=live.id)
    await kit.client.patch(f"/templates/{live.id}", body)
    [change] = (await kit.plan(account())).changes
    assert [d.to_json() for d in change.diff] == [
        {"path": "subject", "old": "Edited in the UI", "new": "Quick intro"}
    ]
    await kit.converge(account())


async def test_rename_is_an_update_not_a_new_sequence(kit):
    await kit.converge(account())
    resources = edited(account(), "outbound", displayName="Outbound 2025")
    [change] = (await kit.plan(resources)).changes
    assert (
        change.action == "update"
        and str(change.diff[0]) == "displayName: Outbound → 'Outbound 2025'"
    )
    await kit.converge(resources)
    assert len(await kit.sequences()) == 2


async def test_adopted_template_reference_has_no_perpetual_diff(kit):
    """A hand-made template adopted under another name: steps referring to it compare equal."""
    body = mapping.document("template", {"name": "Legacy Intro", "subject": "Hi"})
    await kit.client.post("/templates", body)
    resources = [
        template("intro-v1", "Hi", displayName="Legacy Intro"),
        sequence("s", [email("intro-v1")]),
    ]
    await kit.converge(resources)


async def test_a_step_edited_live_is_drift_and_is_fixed(kit):
    await kit.converge(account())
    step = (await kit.live("Sequence", "inbound")).steps[1]
    body = mapping.document("sequenceStep", {"interval": 7200, "taskNote": "ad hoc"}, id=step.id)
    await kit.client.patch(f"/sequenceSteps/{step.id}", body)
    [change] = (await kit.plan(account())).changes
    assert [str(d) for d in change.diff] == ["steps[1].wait: 2h → 2d"]  # the note is unmanaged
    await kit.converge(account())


def rich_account() -> list:
    """Every reference kind: ruleset stages and priorities, owner, step priorities, dates."""
    return [
        resource(
            "Ruleset",
            "sdr-rules",
            {
                "displayName": "SDR rules",
                "permitDuplicateProspects": "only_if_inactive",
                "applyCompletedStageIn": "1d",
                "repliedStage": "Replied",
                "callTaskPriority": "high",
            },
        ),
        template("intro", "Quick question", trackOpens=True, tags=["sdr"]),
        sequence(
            "inbound",
            [
                email("intro", "0"),
                {"type": "call", "wait": "2d", "priority": "high", "note": "Call"},
                {"type": "task", "wait": "1w", "priority": "low", "autoskipAfter": "1d"},
            ],
            ruleset="sdr-rules",
            owner="riley.rep@example.com",
            primaryReplyAction="pause",
            primaryReplyPauseDuration="1w",
            enabled=True,
        ),
        sequence(
            "webinar",
            [
                {"type": "auto_email", "date": "2030-05-01", "template": "intro"},
                {"type": "call", "date": "2030-05-03"},
            ],
            sequenceType="date",
        ),
    ]


async def test_every_reference_kind_round_trips_and_edits_converge(kit):
    await kit.converge(rich_account())
    edits = edited(rich_account(), "inbound", owner="morgan.manager@example.com")
    edits = edited(edits, "sdr-rules", callTaskPriority="low", repliedStage="Interested")
    [rules, inbound] = (await kit.plan(edits)).changes
    assert [str(d) for d in rules.diff] == [
        "repliedStage: Replied → Interested",
        "callTaskPriority: high → low",
    ]
    assert [str(d) for d in inbound.diff] == [
        "owner: riley.rep@example.com → morgan.manager@example.com"
    ]
    await kit.converge(edits)


async def test_date_sequence_replace_keeps_its_type(kit):
    await kit.converge(rich_account())
    steps = [{"type": "auto_email", "date": "2030-05-01", "template": "intro"}]
    shorter = edited(rich_account(), "webinar", steps=steps)
    assert [c.action for c in (await kit.plan(shorter)).changes] == ["replace"]
    await kit.converge(shorter)
    assert (await kit.live("Sequence", "webinar")).resource.spec.sequenceType == "date"
