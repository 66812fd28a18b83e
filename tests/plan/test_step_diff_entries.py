"""Step entries of a sequence's diff, its in-place step writes and the replace reason: what a
reviewer reads for each removed, inserted, moved or changed step (`seqops.plan.steps`)."""

from __future__ import annotations

from seqops.plan.diff import FieldDiff
from seqops.plan.steps import (
    align_sequences,
    needs_replace,
    replace_reason,
    step_alignment,
    step_diff,
    step_essence,
    variants_diff,
)
from seqops.providers.base import LiveStep

from .test_planner import live, seq
from .test_twins_and_bindings import bound_step


def email(template: str, **more) -> dict:
    return {"type": "auto_email", "template": template, "wait": 0, **more}


def task(note: str, **more) -> dict:
    return {"type": "task", "note": note, "wait": 3600, **more}


CALL = {"type": "call", "wait": 86400}
FOUR = [email("intro"), task("Connect on LinkedIn"), CALL, task("Send a video")]


def entries(diffs: list[FieldDiff]) -> list[tuple]:
    return [(d.path, d.old, d.new, d.op, d.old_index, d.new_index) for d in diffs]


def diff_of(want: list[dict], have: list[dict], names=None, **spec):
    return step_diff(seq("s", want, **spec), live(seq("s", have), 1), names)


def reason(want: list[dict], have: list[dict], **spec) -> str:
    return replace_reason(seq("s", want, **spec), live(seq("s", have), 1))


# replace reasons -----------------------------------------------------------------------------


def test_a_removed_step_is_named_with_its_live_position():
    assert reason(FOUR[:1] + FOUR[2:], FOUR) == "step 2 · task 'Connect on LinkedIn' removed"


def test_a_step_inserted_before_live_steps_is_named_with_its_new_position():
    want = [*FOUR[:2], task("Ask for a referral"), *FOUR[2:]]
    assert reason(want, FOUR) == "step 3 · task 'Ask for a referral' inserted"


def test_a_moved_step_names_where_it_was_and_where_it_goes():
    want = [FOUR[0], FOUR[2], FOUR[3], FOUR[1]]
    text = reason(want, FOUR)
    assert text == "step 2 · task 'Connect on LinkedIn' moved to step 4"


def test_steps_inserted_past_the_live_steps_are_not_reasons():
    want = [FOUR[0], FOUR[2], FOUR[3], task("a"), task("b"), task("c")]
    assert reason(want, FOUR) == (
        "step 2 · task 'Connect on LinkedIn' removed; step 4 · task 'a' inserted"
    )


def test_an_insertion_at_the_last_live_position_is_a_reason():
    want = [*FOUR[:3], task("Before the video"), FOUR[3]]
    assert reason(want, FOUR) == "step 4 · task 'Before the video' inserted"


def test_at_most_three_reasons_are_listed_then_a_count_of_the_rest():
    have = [task(f"t{i}") for i in range(6)]
    assert reason(have[3:], have) == (
        "step 1 · task 't0' removed; step 2 · task 't1' removed; step 3 · task 't2' removed"
    )
    assert reason(have[4:], have).endswith("step 3 · task 't2' removed (and 1 more)")
    assert reason(have[5:], have).endswith(" (and 2 more)")


def test_a_change_of_sequence_type_is_the_reason_when_live_steps_exist():
    dated = [{"type": "call", "date": "2024-05-01"}]
    assert reason(dated, [CALL], sequenceType="date") == "sequenceType interval → date"
    assert needs_replace(seq("s", dated, sequenceType="date"), live(seq("s", [CALL]), 1))


def test_a_change_of_sequence_type_without_live_steps_is_no_replace():
    desired = seq("s", [{"type": "call", "date": "2024-05-01"}], sequenceType="date")
    assert not needs_replace(desired, live(seq("s", []), 1))
    assert replace_reason(desired, live(seq("s", []), 1)) == ""


def test_only_removals_moves_and_shifts_need_a_replace():
    have = live(seq("s", FOUR), 1)
    assert not needs_replace(seq("s", [*FOUR, CALL]), have)
    assert not needs_replace(seq("s", [email("other"), *FOUR[1:]]), have)
    assert needs_replace(seq("s", FOUR[1:]), have)
    assert needs_replace(seq("s", [CALL, *FOUR]), have)


# step entries and writes --------------------------------------------------------------------


def test_a_new_sequence_lists_its_steps_as_plain_entries_and_creates_each():
    diffs, writes = step_diff(seq("s", [email("intro", isReply=True), task("x")]), None)
    assert [d.to_json() for d in diffs] == [
        {"path": "steps[0]", "old": None, "new": {**email("intro", isReply=True), "wait": "0"}},
        {"path": "steps[1]", "old": None, "new": {**task("x"), "wait": "1h"}},
    ]
    assert [(w.order, w.op) for w in writes] == [(1, "create"), (2, "create")]
    assert [p.op for p in step_alignment(seq("s", [CALL, CALL]), None)] == ["inserted"] * 2


def test_changed_fields_carry_their_alignment_and_update_the_live_step_at_its_order():
    diffs, writes = diff_of([FOUR[0], FOUR[1], {**CALL, "wait": "2d"}, FOUR[3]], FOUR)
    assert entries(diffs) == [("steps[2].wait", "1d", "2d", "changed", 2, 2)]
    assert [(w.order, w.op, w.live.id) for w in writes] == [(3, "update", 102)]


def test_an_unchanged_sequence_has_no_entries_and_no_writes():
    assert diff_of(FOUR, FOUR) == ([], [])


def test_appended_steps_are_inserted_entries_created_after_the_live_ones():
    diffs, writes = diff_of([*FOUR, task("Follow up", priority="High")], FOUR)
    new = {"type": "task", "wait": "1h", "priority": "High", "note": "Follow up"}
    assert entries(diffs) == [("steps[4]", None, new, "inserted", None, 4)]
    assert [(w.order, w.live) for w in writes] == [(5, None)]


def test_a_removed_step_entry_shows_the_live_step_as_a_manifest_writes_it():
    diffs, _ = diff_of([FOUR[0], *FOUR[2:]], FOUR)
    shown = {"type": "task", "wait": "1h", "note": "Connect on LinkedIn"}
    assert entries(diffs) == [("steps[1]", shown, None, "removed", 1, None)]


def test_a_moved_step_entry_shows_it_at_both_positions():
    diffs, _ = diff_of([FOUR[0], FOUR[2], FOUR[3], FOUR[1]], FOUR)
    shown = {"type": "task", "wait": "1h", "note": "Connect on LinkedIn"}
    assert entries(diffs) == [("steps[3]", shown, shown, "moved", 1, 3)]


def test_a_shifted_and_changed_step_is_written_at_its_new_order():
    diffs, writes = diff_of([FOUR[0], FOUR[2], {**FOUR[3], "wait": "2h"}], FOUR)
    assert ("steps[2].wait", "1h", "2h", "changed", 3, 2) in entries(diffs)
    assert [(w.order, w.live.id) for w in writes] == [(3, 103)]


def test_shown_steps_keep_a_reply_and_ab_variants_and_drop_what_is_unset():
    ab = {"type": "auto_email", "templates": ["b", "a"], "wait": "2d", "isReply": True}
    diffs, _ = diff_of([*FOUR, ab], FOUR)
    assert diffs[0].new == {
        "type": "auto_email",
        "wait": "2d",
        "isReply": True,
        "templates": ["a", "b"],
    }
    diffs, _ = diff_of([*FOUR, {"type": "call"}], FOUR)
    assert diffs[0].new == {"type": "call", "wait": "0"}


def test_a_changed_reply_flag_and_template_are_field_entries():
    diffs, _ = diff_of([email("intro-2", isReply=True), *FOUR[1:]], FOUR)
    assert entries(diffs) == [
        ("steps[0].template", "intro", "intro-2", "changed", 0, 0),
        ("steps[0].isReply", False, True, "changed", 0, 0),
    ]


def test_a_date_sequence_has_no_implicit_wait():
    dated = [{"type": "call", "date": "2024-05-01"}]
    desired = seq("s", dated, sequenceType="date")
    assert step_essence(desired.spec.steps[0], "date") == {
        "type": "call",
        "date": "2024-05-01",
        "isReply": False,
    }
    assert step_essence(desired.spec.steps[0], "interval")["wait"] == 0


def test_a_retyped_sequence_shows_its_waits_going_and_dates_coming():
    dated = [{"type": "call", "date": "2024-05-01"}]
    diffs, writes = diff_of(dated, [CALL], sequenceType="date")
    assert sorted(entries(diffs)) == [
        ("steps[0].date", None, "2024-05-01", "changed", 0, 0),
        ("steps[0].wait", "1d", None, "changed", 0, 0),
    ]
    assert [w.order for w in writes] == [1]


# templates: variants and duplicate bindings -------------------------------------------------


def test_one_template_to_another_is_a_template_entry_and_variants_a_templates_entry():
    assert variants_diff(2, ["a"], ["b"]) == FieldDiff("steps[2].template", "a", "b")
    assert variants_diff(0, None, ["b"]) == FieldDiff("steps[0].template", None, "b")
    assert variants_diff(0, ["a"], None) == FieldDiff("steps[0].template", "a", None)
    assert variants_diff(1, ["a"], ["a", "b"]) == FieldDiff("steps[1].templates", ["a"], ["a", "b"])
    assert variants_diff(1, ["a", "b"], ["b"]) == FieldDiff("steps[1].templates", ["a", "b"], ["b"])


def rebound_diff(want: dict, have: dict, step: LiveStep, names=None):
    sequence = live(seq("s", [have]), 1)
    sequence.steps[0] = step
    return step_diff(seq("s", [want]), sequence, names)


def test_a_duplicate_binding_names_every_bound_template_and_keeps_other_changes():
    want = email("intro", wait="1d")
    diffs, writes = rebound_diff(want, email("intro"), bound_step(20, 20), {20: "intro"})
    assert entries(diffs) == [
        ("steps[0].wait", "0", "1d", "changed", 0, 0),
        ("steps[0].template", ["intro", "intro"], "intro", "changed", 0, 0),
    ]
    assert [(w.order, w.live.id) for w in writes] == [(1, 100)]


def test_a_duplicate_binding_of_an_unknown_template_is_named_by_its_id():
    diffs, _ = rebound_diff(email("intro"), email("intro"), bound_step(20, 20))
    assert [str(d) for d in diffs] == [
        "steps[0].template: 'template 20', 'template 20' → intro",
    ]


def test_a_duplicate_binding_replaces_the_template_change_it_explains():
    ab = {"type": "auto_email", "templates": ["intro", "next"], "wait": 0}
    diffs, _ = rebound_diff(ab, email("intro"), bound_step(20, 21, 21), {20: "intro", 21: "next"})
    assert entries(diffs) == [
        ("steps[0].templates", ["intro", "next", "next"], ["intro", "next"], "changed", 0, 0)
    ]


def test_a_step_without_duplicate_bindings_is_not_rebound():
    diffs, writes = rebound_diff(email("intro"), email("intro"), bound_step(20), {20: "other"})
    assert (diffs, writes) == ([], [])


def test_a_step_whose_wait_goes_with_the_sequence_type_is_changed_not_kept():
    before = seq("s", [task("x"), CALL])
    after = seq("s", [task("x"), {"type": "call", "date": "2024-05-01"}], sequenceType="date")
    assert [p.op for p in align_sequences(before, after)] == ["changed", "changed"]
    undated = seq("s", [{"type": "call"}], sequenceType="date")
    assert [p.op for p in align_sequences(seq("s", [CALL]), undated)] == ["changed"]
    assert [p.op for p in align_sequences(before, before)] == ["same", "same"]


def test_every_changed_step_and_every_removal_is_listed_in_step_order():
    want = [email("intro", wait="1d"), FOUR[2], {**FOUR[3], "wait": "2h"}]
    diffs, writes = diff_of(want, FOUR)
    assert [(d.path, d.op) for d in diffs] == [
        ("steps[0].wait", "changed"),
        ("steps[1]", "removed"),
        ("steps[2].wait", "changed"),
    ]
    assert [(w.order, w.live.id) for w in writes] == [(1, 100), (3, 103)]
