"""The planner as a pure function: manifests + a hand-built LiveState -> changes."""

from __future__ import annotations

import pytest

from seqops.manifest.models import Resource, manifest_adapter
from seqops.plan.errors import EmptyManifestSet, IdentityError
from seqops.plan.planner import draft_plan, finish
from seqops.plan.safety import (
    DisruptionRequired,
    SafetyThresholds,
    TooManyChanges,
    TooManyUpdates,
)
from seqops.providers.base import Impact, LiveObject, LiveState, LiveStep


def res(kind: str, name: str, spec: dict | None = None, state: str = "present", **meta) -> Resource:
    data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name, **meta}}
    return manifest_adapter.validate_python({**data, "spec": spec or {}, "state": state})


def live(
    resource: Resource, id: int, owner: str | None = "auto", updated: str = "t0"
) -> LiveObject:
    owner = resource.name if owner == "auto" else owner
    n = len(getattr(resource.spec, "steps", []) or [])
    steps = [LiveStep(id=id * 100 + i, order=i + 1) for i in range(n)]
    return LiveObject(resource, id, updated, owner, steps)


def seq(name: str, steps: list[dict], **spec) -> Resource:
    return res("Sequence", name, {"steps": steps, **spec})


CALL = {"type": "call", "wait": 86400}
TASK = {"type": "task", "wait": 3600}


def draft(resources, objects, **kw):
    return draft_plan(resources, LiveState(objects=objects), "t", **kw)


def actions(plan) -> list[tuple[str, str]]:
    return [(c.action, c.name) for c in plan.changes]


def test_identical_live_state_plans_nothing():
    desired = seq("s", [CALL], displayName="S", tags=["b", "a"])
    assert draft([desired], [live(seq("s", [CALL], displayName="S", tags=["a", "b"]), 1)]).empty


def test_unmanaged_and_server_fields_never_diff():
    desired = seq("s", [{"type": "call"}])
    have = seq(
        "s", [{"type": "call", "wait": 0, "note": "x"}], description="set in UI", shareType="shared"
    )
    assert draft([desired], [live(have, 1)]).empty


def test_durations_display_in_manifest_terms():
    plan = draft(
        [seq("s", [{"type": "call", "wait": "3d"}])],
        [live(seq("s", [{"type": "call", "wait": "2d"}]), 1)],
    )
    [change] = plan.changes
    assert [d.to_json() for d in change.diff] == [
        {"path": "steps[0].wait", "old": "2d", "new": "3d", "op": "changed"}
        | {"old_index": 0, "new_index": 0, "old_step": 1, "new_step": 1}
    ]
    assert change.planned_updated_at == "t0" and change.id == 1


@pytest.mark.parametrize(
    ("have", "want", "action"),
    [
        ([CALL, TASK], [CALL, TASK, CALL], "update"),  # appended
        ([CALL, TASK], [TASK, TASK], "update"),  # re-typed in place
        ([CALL, CALL], [TASK, CALL], "update"),  # one of two identical calls re-typed
        ([CALL, TASK], [TASK, CALL], "replace"),  # swapped
        ([CALL, TASK], [CALL, CALL, TASK], "replace"),  # inserted in the middle
        ([CALL, TASK], [CALL], "replace"),  # removed
    ],
)
def test_in_place_edits_versus_replace(have, want, action):
    plan = draft([seq("s", want)], [live(seq("s", have), 1)])
    assert [c.action for c in plan.changes] == [action]


def test_replace_names_the_next_version_and_inherits_enabled():
    old = live(seq("s", [CALL, TASK], displayName="Demo (v2)", enabled=True), 1)
    plan = draft(
        [seq("s", [CALL], displayName="Demo")],
        [old, live(seq("x", [], displayName="Demo"), 2, owner="s--retired")],
    )
    [change] = plan.changes
    assert (change.new_display_name, change.enable_new) == ("Demo (v3)", True)


def test_a_versioned_live_name_is_not_a_rename():
    assert draft(
        [seq("s", [CALL], displayName="Demo")], [live(seq("s", [CALL], displayName="Demo (v2)"), 1)]
    ).empty


def test_adoption_by_display_name_and_ownership_first():
    tpl = res("Template", "intro", {"displayName": "Intro", "subject": "Hi"})
    unowned = live(
        res("Template", "intro-slug", {"displayName": "Intro", "subject": "Hi"}), 5, owner=None
    )
    assert actions(draft([tpl], [unowned])) == [("adopt", "intro")]
    owned = live(res("Template", "intro", {"displayName": "Other", "subject": "Hi"}), 6)
    assert [(c.action, c.id) for c in draft([tpl], [unowned, owned]).changes] == [("update", 6)]


def test_identity_errors_are_all_reported_together():
    twins = [live(res("Template", f"x-{i}", {"displayName": "X"}), i, owner=None) for i in (3, 4)]
    pinned = res("Template", "gone", {"displayName": "Gone"}, id=99)
    with pytest.raises(IdentityError) as error:
        draft([res("Template", "x", {"displayName": "X"}), pinned], twins)
    assert len(error.value.problems) == 2
    assert "ids 3, 4" in str(error.value) and "metadata.id 99" in str(error.value)


def test_pinning_an_object_owned_by_another_key_is_an_error():
    other = live(res("Template", "other"), 7)
    with pytest.raises(IdentityError, match="owned by seqops:other"):
        draft([res("Template", "mine", id=7)], [other])


def test_rulesets_match_by_name_and_are_never_retired():
    rs = res("Ruleset", "rules", {"displayName": "Rules", "permitDuplicateProspects": "allow"})
    have = live(res("Ruleset", "rules-slug", {"displayName": "Rules"}), 4, owner=None)
    [change] = draft([rs], [have]).changes
    assert (change.action, change.id) == ("update", 4)
    plan = draft([res("Template", "t")], [have, live(res("Template", "t"), 1)])
    assert plan.empty


def test_orphans_are_retired_only_when_owned():
    objects = [
        live(seq("gone", [CALL], enabled=True), 1),
        live(seq("hand-made", [CALL], enabled=True), 2, owner=None),
        live(seq("old", [CALL], enabled=False), 3, owner="old--retired"),
        live(res("Template", "t"), 4),
        live(res("Template", "unused"), 5),
    ]
    plan = draft([res("Template", "t")], objects)
    assert actions(plan) == [("disable", "gone")]
    assert any("Template/unused" in w and "--allow-delete" in w for w in plan.warnings)
    deleted = draft([res("Template", "t")], objects, allow_delete=True)
    assert actions(deleted) == [("delete", "gone"), ("delete", "unused")]


def test_a_retired_version_still_enabled_is_always_disabled():
    """B1: a replace that stopped between re-tagging and disabling the old version."""
    retired = live(seq("old", [CALL], displayName="old", enabled=True), 3, owner="old--retired")
    current = live(seq("old", [CALL], displayName="old (v2)", enabled=True), 4)
    for manifests in ([seq("old", [CALL], enabled=True)], [res("Template", "t")]):
        plan = finish(draft(manifests, [retired, current, live(res("Template", "t"), 5)]), {})
        disables = [c for c in plan.changes if c.id == 3]
        assert [c.action for c in disables] == ["disable"]
        assert disables[0].old_version and disables[0].retire_as is None


def test_a_template_still_sent_by_a_live_step_is_never_deleted():
    user = live(seq("s", [{"type": "auto_email", "wait": 0, "template": "t"}]), 1)
    user.steps[0].template_id = 9
    plan = draft(
        [seq("s", [{"type": "auto_email", "template": "t"}])],
        [user, live(res("Template", "t"), 9)],
        allow_delete=True,
    )
    assert plan.empty and any("still used by" in w for w in plan.warnings)


def test_delete_of_a_sequence_with_prospects_becomes_a_disable():
    plan = draft(
        [res("Template", "t")],
        [live(seq("gone", [], enabled=True), 1), live(res("Template", "t"), 2)],
        allow_delete=True,
    )
    plan = finish(plan, {1: Impact(active=2)})
    [change] = plan.changes
    assert change.action == "disable" and "not deleted" in change.warnings[0]


def test_order_references_sequences_disables_deletes_enables():
    objects = [live(seq("old", [], enabled=True), 1), live(seq("gone", []), 2)]
    resources = [seq("new", [CALL], enabled=True), res("Template", "t"), res("Ruleset", "r")]
    plan = draft(resources, objects, allow_delete=True)
    assert actions(plan) == [
        ("create", "r"),
        ("create", "t"),
        ("create", "new"),
        ("delete", "gone"),
        ("delete", "old"),
        ("enable", "new"),
    ]


def test_state_absent_retires_owned_and_ignores_unowned():
    objects = [
        live(seq("a", [], enabled=True), 1),
        live(seq("b", [], displayName="b", enabled=True), 2, owner=None),
    ]
    resources = [res("Sequence", "a", state="absent"), res("Sequence", "b", state="absent")]
    assert actions(draft(resources, objects)) == [("disable", "a")]


def test_no_manifests_is_an_error_not_a_retirement():
    with pytest.raises(EmptyManifestSet):
        draft([], [live(seq("s", []), 1)])
    rule = res("AutomationRule", "r", {"sequence": 1})
    with pytest.raises(EmptyManifestSet, match="retirement of all 1 owned"):
        draft([rule], [live(seq("s", []), 1)])
    assert draft([rule], []).empty  # automation rules only, nothing owned: fine


def test_disruption_and_too_many_changes():
    objects = [live(res("Template", f"t{i}", {"subject": "a"}), i) for i in range(10)]
    objects.append(live(seq("s", [CALL]), 50))
    resources = [res("Template", f"t{i}", {"subject": "b" if i < 4 else "a"}) for i in range(10)]
    resources.append(seq("s", [TASK]))
    plan = finish(draft(resources, objects), {50: Impact(active=1, paused=2)})
    rules = {type(v) for v in plan.violations(SafetyThresholds())}
    assert rules == {DisruptionRequired, TooManyUpdates}
    with pytest.raises(DisruptionRequired, match="Sequence/s: 1 active, 2 paused"):
        plan.raise_if_unsafe(SafetyThresholds(), allow_disruption=False, force=True)
    with pytest.raises(TooManyChanges, match=r"5 of 11 owned resources \(45%\)"):
        plan.raise_if_unsafe(SafetyThresholds(), allow_disruption=True, force=False)
    plan.raise_if_unsafe(SafetyThresholds(), allow_disruption=True, force=True)
    assert not plan.violations(SafetyThresholds(disruption=False, max_change_fraction=0.5))
