"""What each planned change carries (`seqops.plan.planner`): a replace's new version name, diff,
enable decision and reason; retirements and the warnings of what is left alone; twins; the
impacts `finish` attaches and the deletes it turns into disables; the plan's own counts."""

from __future__ import annotations

import pytest

from seqops.plan.errors import EmptyManifestSet, IdentityError
from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import Impact, LiveState

from .test_planner import CALL, TASK, actions, draft, live, res, seq

EMAIL = {"type": "auto_email", "wait": 0, "template": "t"}


def triples(diff) -> list[tuple]:
    return [(d.path, d.old, d.new) for d in diff]


# -- replace -----------------------------------------------------------------------------------


def test_a_replace_names_the_new_version_first_in_its_diff_and_says_why():
    old = live(seq("s", [CALL, TASK], displayName="Demo", tags=["a"]), 1)
    desired = seq("s", [TASK], displayName="Demo", tags=["b"])
    [change] = draft([desired], [old]).changes
    assert (change.action, change.id, change.desired) == ("replace", 1, desired)
    assert change.new_display_name == "Demo (v2)"
    assert triples(change.diff)[0] == ("displayName", "Demo", "Demo (v2)")
    assert [d.path for d in change.diff].count("displayName") == 1
    assert ("tags", ["a"], ["b"]) in triples(change.diff)
    assert change.warnings == []
    assert change.reason == "step 1 · call removed: 'Demo (v2)' replaces 'Demo'"
    assert change.outcome is None  # decided once its prospects are counted


def test_a_finished_replace_says_and_shows_what_becomes_of_the_old_version():
    old = live(seq("s", [CALL, TASK], displayName="Demo", enabled=True), 1)
    plan = draft([seq("s", [TASK], displayName="Demo")], [old])
    [change] = finish(plan, {1: Impact(active=3)}).changes
    assert change.outcome.fate == "drain" and not change.disruptive
    assert triples(change.diff)[-2:] == [
        ("old_version.ownership", "seqops:s", "seqops:s--retiring"),
        ("old_version.displayName", "Demo", "Demo (v1, retiring)"),
    ]
    assert change.reason.startswith(
        "step 1 · call removed: 'Demo (v2)' replaces 'Demo'; 3 active prospects keep their "
        "cadence in v1 until they finish, at the latest on "
    )
    assert change.reason.endswith(
        "; v1 is renamed 'Demo (v1, retiring)' so nobody adds people to it, and a later plan "
        "disables it once it holds nobody"
    )


def test_a_replace_that_also_renames_shows_the_rename_once_as_the_new_version():
    old = live(seq("s", [CALL, TASK], displayName="Demo"), 1)
    [change] = draft([seq("s", [TASK], displayName="Other")], [old]).changes
    assert change.new_display_name == "Other (v2)"
    assert triples(change.diff)[0] == ("displayName", "Demo", "Other (v2)")
    assert [d.path for d in change.diff].count("displayName") == 1


@pytest.mark.parametrize(
    ("was", "said", "enable_new"),
    [(True, None, True), (False, None, False), (False, True, True), (True, False, False)],
)
def test_the_new_version_is_enabled_as_the_manifest_says_else_as_the_old_one_was(
    was, said, enable_new
):
    old = live(seq("s", [CALL, TASK], displayName="Demo", enabled=was), 1)
    spec = {} if said is None else {"enabled": said}
    [change] = draft([seq("s", [TASK], displayName="Demo", **spec)], [old]).changes
    assert (change.action, change.enable_new) == ("replace", enable_new)


def test_replacing_a_hand_made_sequence_says_it_adopts_it():
    old = live(seq("hand", [CALL, TASK], displayName="Demo"), 1, owner=None)
    [change] = draft([seq("s", [TASK], displayName="Demo")], [old]).changes
    assert change.action == "replace"
    assert change.warnings == ["adopts a hand-made sequence and replaces it"]


def test_a_renamed_replace_counts_up_from_its_own_versions_only():
    current = live(seq("s", [CALL, TASK], displayName="Demo (v3)"), 1)
    retired = live(seq("s", [CALL], displayName="Old (v5)"), 2, owner="s--retired")
    stranger = live(seq("x", [CALL], displayName="Zed (v9)"), 3, owner="x")
    resources = [seq("s", [TASK], displayName="New"), seq("x", [CALL], displayName="Zed (v9)")]
    plan = draft(resources, [current, retired, stranger])
    [change] = [c for c in plan.changes if c.action == "replace"]
    assert change.new_display_name == "New (v6)"


# -- enable, disable, retire -------------------------------------------------------------------


def test_a_new_enabled_sequence_is_created_then_enabled():
    desired = seq("s", [CALL], enabled=True)
    create, enable = draft([desired], []).changes
    assert (create.action, enable.action) == ("create", "enable")
    assert enable.desired is desired and enable.existing is None
    assert triples(enable.diff) == [("enabled", False, True)]


def test_disabling_through_the_manifest_is_a_disable_of_the_live_sequence():
    have = live(seq("s", [CALL], enabled=True), 4)
    [change] = draft([seq("s", [CALL], enabled=False)], [have]).changes
    assert (change.action, change.id) == ("disable", 4)
    assert triples(change.diff) == [("enabled", True, False)]


def test_an_orphan_sequence_is_disabled_with_its_reason_and_an_already_disabled_one_left():
    objects = [live(seq("on", [CALL], enabled=True), 1), live(seq("off", [CALL]), 2)]
    plan = draft([res("Template", "t")], [*objects, live(res("Template", "t"), 3)])
    [change] = plan.changes
    assert (change.action, change.name, change.reason) == ("disable", "on", "no manifest: retired")
    assert triples(change.diff) == [("enabled", True, False)]
    assert plan.warnings == []


def test_what_is_left_alone_is_said_once_each():
    objects = [
        live(seq("b", [CALL], displayName="b", enabled=True), 2, owner=None),
        live(res("Template", "unused"), 5),
    ]
    absent = res("Sequence", "b", state="absent", id=2)
    plan = draft([absent, res("Template", "t")], objects)
    assert plan.warnings == [
        "Sequence/b: not owned by seqops, left as it is (state: absent)",
        "Template/unused: no manifest: retired, left in place (--allow-delete deletes it)",
    ]


def test_a_template_still_sent_is_kept_naming_every_sequence_sending_it():
    users = [
        live(seq(name, [EMAIL], displayName=name.upper()), i) for i, name in ((1, "b"), (2, "a"))
    ]
    for user in users:
        user.steps[0].template_id = 9
    manifests = [seq("a", [EMAIL], displayName="A"), seq("b", [EMAIL], displayName="B")]
    objects = [*users, live(res("Template", "t"), 9), live(res("Template", "free"), 8)]
    plan = draft([*manifests, res("Template", "x")], objects, allow_delete=True)
    deleted = [(c.action, c.name, c.reason) for c in plan.changes if c.kind == "Template"]
    assert ("delete", "free", "no manifest: retired") in deleted
    assert "t" not in [name for _, name, _ in deleted]
    assert "Template/t: not deleted, still used by 'A', 'B'" in plan.warnings
    assert not any("left in place" in w for w in plan.warnings)


def test_an_absent_manifest_deletes_with_allow_delete_and_gives_its_reason():
    have = live(seq("s", [CALL], enabled=True), 3)
    [change] = draft([res("Sequence", "s", state="absent")], [have], allow_delete=True).changes
    assert (change.action, change.id, change.reason) == ("delete", 3, "state: absent")


# -- twins -------------------------------------------------------------------------------------


def test_a_twin_is_retired_with_its_reason_and_a_warning_naming_both_ids():
    twins = [live(seq("s", [CALL], displayName="S", enabled=on), i) for i, on in ((7, 1), (12, 0))]
    [change] = draft([seq("s", [CALL], displayName="S", enabled=True)], twins).changes
    assert change.reason == "a twin of id 7, also tagged seqops:s: retired"
    assert change.warnings == [
        "live sequences 7 and 12 both carry seqops:s (e.g. two applies raced); "
        "the oldest (lowest id) is kept: 7"
    ]
    assert triples(change.diff) == [("ownership", "seqops:s", "seqops:s--retired")]


def test_a_pinned_twin_warning_says_the_pin_decided():
    twins = [live(seq("s", [CALL], displayName="S"), i) for i in (7, 12)]
    pinned = res("Sequence", "s", {"displayName": "S", "steps": [CALL]}, id=12)
    [change] = draft([pinned], twins).changes
    assert change.id == 7 and change.twin_of is None
    assert change.warnings[0].endswith("(e.g. two applies raced); metadata.id pins 12")


def test_a_busy_twin_error_gives_its_prospects_and_what_to_do():
    twins = [live(seq("s", [CALL], displayName="S"), i) for i in (7, 12)]
    plan = draft([seq("s", [CALL], displayName="S")], twins)
    assert [c.id for c in finish(plan, {12: Impact(pending=2)}).changes] == [12]
    with pytest.raises(IdentityError, match="12 has 0 active and 1 paused prospects"):
        finish(draft([seq("s", [CALL], displayName="S")], twins), {12: Impact(paused=1)})
    with pytest.raises(IdentityError) as error:
        finish(draft([seq("s", [CALL], displayName="S")], twins), {12: Impact(active=3, paused=1)})
    assert error.value.problems == [
        "Sequence/s: live sequences 7 and 12 are both tagged seqops:s and 12 has 3 active and "
        "1 paused prospects; pin the one to keep with metadata.id (the other is then retired)"
    ]


# -- finish: impacts and safe deletes ----------------------------------------------------------


def orphans_deleted(enabled: bool = True):
    objects = [live(seq("gone", [CALL], enabled=enabled), 1), live(res("Template", "t"), 2)]
    return draft([res("Template", "t")], objects, allow_delete=True)


def test_a_delete_of_a_sequence_with_prospects_becomes_a_disable_saying_why():
    plan = finish(orphans_deleted(), {1: Impact(active=2, paused=1)})
    [change] = plan.changes
    assert (change.action, change.id, change.reason) == ("disable", 1, "no manifest: retired")
    assert change.impact == Impact(active=2, paused=1)
    assert change.warnings == [
        "not deleted: 2 active and 1 paused prospects are still in it; disabled instead",
        "disabled, no step fires for anyone in it: 2 active prospects get no further steps, "
        "1 paused prospect never resumes",
    ]


def test_a_delete_of_a_disabled_sequence_with_pending_prospects_names_them_and_needs_a_flag():
    [change] = finish(orphans_deleted(enabled=False), {1: Impact(pending=4)}).changes
    assert (change.action, change.id, change.retire_as) == ("disable", 1, "gone--retired")
    assert change.reason == (
        "no manifest: retired: it stays disabled, 4 pending prospects never start"
    )
    assert triples(change.diff) == [("ownership", "seqops:gone", "seqops:gone--retired")]
    assert change.disruptive


def test_a_delete_of_an_empty_sequence_stays_a_delete():
    [change] = finish(orphans_deleted(), {1: Impact()}).changes
    assert change.action == "delete" and change.impact == Impact()


def test_sequence_changes_get_their_own_impact_and_creates_none():
    have = live(seq("s", [CALL], enabled=True), 5)
    resources = [seq("s", [CALL], enabled=False), seq("n", [CALL])]
    plan = finish(draft(resources, [have]), {5: Impact(active=1), 6: Impact(active=9)})
    by_name = {c.name: c for c in plan.changes}
    assert by_name["s"].impact == Impact(active=1) and by_name["n"].impact is None
    [unread] = finish(draft([seq("s", [CALL], enabled=False)], [have]), {}).changes
    assert unread.impact == Impact()


def test_a_template_change_carries_the_prospects_of_the_sequences_sending_it():
    senders = [
        live(seq(n, [EMAIL], displayName=n.upper()), i) for i, n in ((1, "b"), (2, "a"), (3, "c"))
    ]
    for sender in senders:
        sender.steps[0].template_id = 9
    tpl = live(res("Template", "t", {"subject": "old"}), 9)
    manifests = [seq(s.resource.name, [EMAIL], displayName=s.display_name) for s in senders]
    plan = draft([*manifests, res("Template", "t", {"subject": "new"})], [*senders, tpl])
    [change] = plan.changes
    assert change.carriers == ((1, "B"), (2, "A"), (3, "C"))
    impacts = {1: Impact(active=1, paused=2), 2: Impact(active=4)}
    assert finish(plan, {}).changes[0].impact == Impact()
    impacts[3] = Impact(pending=5)
    [change] = finish(plan, impacts).changes
    assert (change.impact.active, change.impact.paused) == (5, 2)
    assert [(s.id, s.name) for s in change.impact.sequences] == [(2, "A"), (1, "B")]


def test_a_ruleset_change_is_carried_by_the_sequences_using_it():
    rules = live(res("Ruleset", "r", {"displayName": "R", "permitDuplicateProspects": "allow"}), 4)
    users = [
        live(seq("a", [CALL], displayName="A", ruleset="r"), 1),
        live(seq("b", [CALL], displayName="B"), 2),
    ]
    manifests = [
        res("Ruleset", "r", {"displayName": "R", "permitDuplicateProspects": "disallow"}),
        seq("a", [CALL], displayName="A", ruleset="r"),
        seq("b", [CALL], displayName="B"),
    ]
    [change] = draft(manifests, [rules, *users]).changes
    assert (change.action, change.carriers) == ("update", ((1, "A"),))


# -- the plan's own counts ---------------------------------------------------------------------


def test_manifests_without_a_planned_kind_never_retire_what_is_owned():
    owned = [live(seq("s", [CALL]), 1), live(res("Template", "t"), 2)]
    with pytest.raises(EmptyManifestSet) as error:
        draft([res("AutomationRule", "x", {"sequence": 1})], owned)
    assert str(error.value) == (
        "no Sequence, Template or Ruleset manifests were loaded: refusing to plan the "
        "retirement of all 2 owned objects (mark them `state: absent`)"
    )


def test_the_plan_counts_owned_objects_enabled_sequences_and_manifest_kinds():
    objects = [
        live(seq("a", [CALL], enabled=True), 1),
        live(seq("b", [CALL]), 2),
        live(seq("c", [CALL], enabled=True), 3, owner=None),
        live(seq("d", [CALL], enabled=True), 4, owner="d--retired"),
        live(res("Template", "t"), 5),
        live(res("Ruleset", "r", {"displayName": "R"}), 6),
    ]
    resources = [seq("a", [CALL], enabled=True), seq("b", [CALL]), res("Template", "t")]
    plan = draft_plan(
        [*resources, res("AutomationRule", "x", {"sequence": 1})], LiveState(objects=objects), "t"
    )
    plan = finish(plan, {})
    assert (plan.owned_resources, plan.enabled_sequences) == (3, 1)
    assert plan.manifest_kinds == {"Sequence": 2, "Template": 1, "AutomationRule": 1}
    assert plan.warnings[0].startswith("1 AutomationRule manifest(s) skipped")
    assert actions(plan) == [("disable", "d")]


# -- updates and translated references ---------------------------------------------------------


def adopted_templates():
    """Two hand-made templates and a hand-made ruleset, adopted under other names."""
    return [
        live(res("Template", "intro-slug", {"displayName": "Intro"}), 20, owner=None),
        live(res("Template", "more-slug", {"displayName": "More"}), 21, owner=None),
        live(res("Ruleset", "rules-slug", {"displayName": "Rules"}), 30, owner=None),
    ]


def test_a_live_sequence_naming_adopted_objects_by_slug_differs_only_where_edited():
    ab = {"type": "auto_email", "wait": 0, "templates": ["intro-slug", "more-slug"]}
    one = {"type": "auto_email", "wait": 0, "template": "intro-slug"}
    have = live(seq("s", [one, ab, CALL], displayName="S", ruleset="rules-slug", tags=["a"]), 1)
    manifests = [
        res("Template", "intro", {"displayName": "Intro"}),
        res("Template", "more", {"displayName": "More"}),
        res("Ruleset", "rules", {"displayName": "Rules"}),
        seq(
            "s",
            [{**one, "template": "intro"}, {**ab, "templates": ["more", "intro"]}, CALL],
            displayName="S",
            ruleset="rules",
            tags=["b"],
        ),
    ]
    plan = draft(manifests, [have, *adopted_templates()])
    assert actions(plan) == [("adopt", "intro"), ("adopt", "more"), ("update", "s")]
    assert [d.path for d in plan.changes[-1].diff] == ["tags"]
    assert plan.references.templates == {"intro": 20, "more": 21}
    assert plan.references.rulesets == {"rules": 30}


def test_a_changed_attribute_is_an_update_writing_attributes_and_no_steps():
    have = live(seq("s", [CALL], displayName="S", tags=["a"]), 1)
    desired = seq("s", [CALL], displayName="S", tags=["b"])
    [change] = draft([desired], [have]).changes
    assert (change.action, change.id, change.desired) == ("update", 1, desired)
    assert change.write_attributes is True and change.steps == []
    assert triples(change.diff) == [("tags", ["a"], ["b"])]
    assert change.reason is None and change.warnings == []


def test_a_changed_step_is_an_update_writing_that_step_only():
    have = live(seq("s", [CALL, TASK], displayName="S"), 1)
    desired = seq("s", [CALL, {**TASK, "wait": 7200}], displayName="S")
    plan = draft([desired], [have])
    [change] = plan.changes
    assert change.action == "update" and change.write_attributes is False
    assert [w.order for w in change.steps] == [2]
    assert [d.path for d in change.diff] == ["steps[1].wait"]
    assert plan.warnings == []


def test_adopting_an_identical_hand_made_sequence_writes_its_tag():
    have = live(seq("hand", [CALL], displayName="S"), 1, owner=None)
    [change] = draft([seq("s", [CALL], displayName="S")], [have]).changes
    assert (change.action, change.id, change.write_attributes) == ("adopt", 1, True)
    assert change.diff == [] and change.steps == []  # the action says it: the tag is added
    assert not change.disruptive


def test_an_adopted_template_is_named_by_its_manifest_and_carries_its_senders():
    sender = live(seq("s", [EMAIL], displayName="S"), 1)
    sender.steps[0].template_id = 20
    tpl = live(res("Template", "t-slug", {"displayName": "T", "subject": "a"}), 20, owner=None)
    desired = res("Template", "t", {"displayName": "T", "subject": "b"})
    plan = draft([desired, seq("s", [EMAIL], displayName="S")], [sender, tpl])
    [change] = plan.changes
    assert (change.action, change.name, change.id) == ("adopt", "t", 20)
    assert change.desired is desired and change.carriers == ((1, "S"),)
    assert triples(change.diff) == [("subject", "a", "b")]


def test_resume_notes_of_several_sequences_are_all_kept():
    objects = []
    for i, key in enumerate(("a", "b")):
        objects.append(live(seq(key, [CALL, TASK], displayName=key, enabled=True), 10 + i))
        objects.append(live(seq(key, [], displayName=f"{key} (v2)"), 20 + i))
    manifests = [seq("a", [CALL]), seq("c", [CALL]), seq("b", [CALL])]
    plan = finish(draft(manifests, objects), {})
    assert plan.warnings == [
        "resuming replace of Sequence/a: v2 has 0 of 1 steps",
        "resuming replace of Sequence/b: v2 has 0 of 1 steps",
    ]
    retired = {c.id: c.reason for c in plan.changes if c.action == "disable"}
    settled = "holds nobody: it is disabled (no step fires for anyone in it) and renamed"
    assert retired == {
        10: "resuming replace of Sequence/a: v1 'a' left still enabled by an interrupted "
        f"replace, settled once v2 runs: v1 {settled} 'a (v1, retired)'",
        11: "resuming replace of Sequence/b: v1 'b' left still enabled by an interrupted "
        f"replace, settled once v2 runs: v1 {settled} 'b (v1, retired)'",
    }


def test_references_resolve_live_names_but_never_a_retired_objects():
    objects = [
        live(res("Template", "hand", {"displayName": "Hand"}), 40, owner=None),
        live(res("Template", "old", {"displayName": "Old"}), 41, owner="old--retired"),
        live(res("Ruleset", "rs", {"displayName": "RS"}), 42, owner=None),
    ]
    steps = [{**EMAIL, "template": "hand"}, {**EMAIL, "template": "old"}]
    plan = draft([seq("s", steps, ruleset="rs")], objects)
    assert plan.references.templates == {"hand": 40}
    assert plan.references.rulesets == {"rs": 42}
