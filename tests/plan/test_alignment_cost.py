"""The alignment is a cheapest edit script: checked against an exhaustive search of every way to
pair live steps with desired steps on tiny inputs, with the costs the alignment documents."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqops.plan.alignment import (
    StepPair,
    align,
    as_dict,
    label,
    reorders,
    same_identity,
    shift_runs,
    shift_text,
    templates_of,
)
from seqops.plan.steps import step_identity

GAP = 10


def identity(step: dict) -> tuple:
    listed = [t if isinstance(t, str) else t["template"] for t in step.get("templates") or []]
    templates = tuple(listed) or ((step["template"],) if step.get("template") else ())
    return step.get("type"), templates, step.get("note")


def pair_cost(live: dict, desired: dict, managed=None) -> int:
    """The documented costs: keep 0, a detail 1, a shared type/template/note 12, else 15."""
    (ltype, ltpl, lnote), (dtype, dtpl, dnote) = identity(live), identity(desired)
    if ltype == dtype and ltpl == dtpl and dnote in (None, lnote):
        keys = desired if managed is None else managed
        return 0 if all(live.get(k) == desired.get(k) for k in keys) else 1
    shared = ltype == dtype or set(ltpl) & set(dtpl) or (dnote and dnote == lnote)
    return 12 if shared else 15


def cheapest(old: list[dict], new: list[dict], managed=None) -> int:
    """Every order-keeping pairing of some live steps with some desired steps, the rest
    removed or inserted: the least total cost."""
    best = GAP * (len(old) + len(new))
    for k in range(1, min(len(old), len(new)) + 1):
        for olds in combinations(range(len(old)), k):
            for news in combinations(range(len(new)), k):
                kept = sum(
                    pair_cost(old[i], new[j], managed) for i, j in zip(olds, news, strict=True)
                )
                best = min(best, kept + GAP * (len(old) + len(new) - 2 * k))
    return best


def script_cost(pairs: list[StepPair], old: list[dict], new: list[dict], managed=None) -> int:
    total = 0
    for p in pairs:
        if p.op in ("same", "changed"):
            cost = pair_cost(old[p.old_index], new[p.new_index], managed)
            assert (cost == 0) == (p.op == "same")
            total += cost
        else:
            total += 2 * GAP if p.op == "moved" else GAP
    return total


POOL = [
    {"type": "call", "wait": 0},
    {"type": "call", "wait": 60},
    {"type": "call", "wait": 60, "note": "ring"},
    {"type": "task", "note": "ring"},
    {"type": "task", "note": "ring", "priority": "High"},
    {"type": "task", "note": "write"},
    {"type": "auto_email", "template": "a"},
    {"type": "auto_email", "template": "a", "isReply": True},
    {"type": "manual_email", "template": "a"},
    {"type": "auto_email", "templates": ["a", "b"]},
    {"type": "auto_email", "templates": [{"template": "b"}]},
    {"type": "manual_email", "template": "c"},
]
STEPS = st.lists(st.sampled_from(POOL), max_size=4)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(old=STEPS, new=STEPS)
def test_the_alignment_costs_no_more_than_any_other_pairing(old, new):
    pairs = align(old, new)
    assert script_cost(pairs, old, new) == cheapest(old, new)
    assert sorted(p.old_index for p in pairs if p.old_index is not None) == list(range(len(old)))
    assert sorted(p.new_index for p in pairs if p.new_index is not None) == list(range(len(new)))
    for p in pairs:
        if p.op == "moved":
            assert same_identity(old[p.old_index], new[p.new_index])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(old=STEPS, new=STEPS)
def test_managed_fields_alone_decide_whether_a_kept_step_changed(old, new):
    managed = ["wait", "priority"]
    assert script_cost(align(old, new, managed), old, new, managed) == cheapest(old, new, managed)


def ops(pairs: list[StepPair]) -> list[tuple]:
    return [(p.op, p.old_index, p.new_index) for p in pairs]


def test_a_step_of_two_identical_ones_appended_or_dropped_is_the_last():
    call = {"type": "call", "wait": 60}
    assert ops(align([call], [call, call])) == [("same", 0, 0), ("inserted", None, 1)]
    assert ops(align([call, call], [call])) == [("same", 0, 0), ("removed", 1, None)]
    assert ops(align([], [call])) == [("inserted", None, 0)]
    assert ops(align([call], [])) == [("removed", 0, None)]


def test_a_retyped_step_with_nothing_in_common_is_still_an_edit_in_place():
    pairs = align([{"type": "call"}], [{"type": "task", "note": "x"}])
    assert ops(pairs) == [("changed", 0, 0)] and not reorders(pairs)


def test_a_moved_step_stands_where_it_is_inserted_in_the_desired_order():
    a, b, c = ({"type": "task", "note": n} for n in "abc")
    assert ops(align([a, b, c], [b, c, a])) == [("same", 1, 0), ("same", 2, 1), ("moved", 0, 2)]
    assert ops(align([a, b, c], [c, a, b])) == [("moved", 2, 0), ("same", 0, 1), ("same", 1, 2)]


def test_each_removed_step_moves_to_its_own_insertion():
    a, b = {"type": "task", "note": "a"}, {"type": "call"}
    x = {"type": "task", "note": "x"}
    pairs = align([a, a, x, x], [x, x, a, a])
    moved = sorted((p.old_index, p.new_index) for p in pairs if p.op == "moved")
    assert len(moved) == 2 and len({o for o, _ in moved}) == 2 and len({n for _, n in moved}) == 2
    assert ops(align([a, b], [b])) == [("removed", 0, None), ("same", 1, 0)]


def test_managed_fields_are_what_a_kept_step_is_compared_on():
    live, desired = {"type": "call", "wait": 60}, {"type": "call"}
    assert ops(align([live], [desired])) == [("same", 0, 0)]
    assert ops(align([live], [desired], ["wait"])) == [("changed", 0, 0)]
    assert ops(align([desired], [live], ["note"])) == [("same", 0, 0)]


def test_of_two_identical_steps_the_one_equal_in_the_managed_fields_is_kept():
    urgent, plain = {"type": "task", "note": "x", "priority": "High"}, {"type": "task", "note": "x"}
    assert ops(align([urgent, plain], [plain], ["priority"])) == [
        ("removed", 0, None),
        ("same", 1, 0),
    ]
    assert ops(align([plain, urgent], [urgent], ["priority"])) == [
        ("removed", 0, None),
        ("same", 1, 0),
    ]


def test_shifted_steps_reorder_and_changed_in_place_ones_do_not():
    assert StepPair("same", 1, 2).shifted and StepPair("changed", 2, 1).shifted
    assert not StepPair("changed", 1, 1).shifted and not StepPair("moved", 1, 2).shifted
    assert not StepPair("inserted", None, 1).shifted
    assert reorders([StepPair("same", 0, 0), StepPair("removed", 1, None)])
    assert reorders([StepPair("moved", 0, 1)])
    assert not reorders([StepPair("changed", 0, 0), StepPair("inserted", None, 1)])
    assert not reorders([])


def test_shift_runs_group_consecutive_steps_moving_by_the_same_offset():
    pairs = [
        StepPair("inserted", None, 0),
        StepPair("same", 0, 1),
        StepPair("changed", 1, 2),
        StepPair("removed", 2, None),
        StepPair("removed", 3, None),
        StepPair("same", 4, 3),
        StepPair("same", 5, 4),
        StepPair("same", 7, 6),
    ]
    assert shift_runs(pairs) == [(0, 1, 1), (4, 5, -1), (7, 7, -1)]
    assert shift_runs([StepPair("same", 0, 0)]) == []


@pytest.mark.parametrize(
    ("run", "text"),
    [
        ((2, 2, -1), "step 3 moves up one (now step 2)"),
        ((0, 0, 2), "step 1 moves down two (now step 3)"),
        ((3, 5, 3), "steps 4–6 move down three (now 7–9)"),  # noqa: RUF001 (as people write it)
        ((9, 10, -4), "steps 10–11 move up 4 (now 6–7)"),  # noqa: RUF001
    ],
)
def test_shift_text_counts_from_one_in_words(run, text):
    assert shift_text(*run) == text


def test_a_step_label_names_its_templates_else_its_note():
    assert (
        label({"type": "task", "note": "  Connect\n on   LinkedIn "})
        == "task 'Connect on LinkedIn'"
    )
    assert label({"type": "call"}) == "call"
    assert label({}) == "step"
    assert label({"type": "auto_email", "template": "a", "note": "n"}) == "auto_email 'a'"
    assert label({"type": "task", "note": "x" * 48}) == "task '" + "x" * 48 + "'"
    assert label({"type": "task", "note": "x" * 49}) == "task '" + "x" * 47 + "…'"


def test_templates_are_read_from_either_key_and_from_template_mappings():
    assert templates_of({"template": "a"}) == ("a",)
    assert templates_of({"templates": ["b", {"template": "c"}, None]}) == ("b", "c", "")
    assert templates_of({"templates": [], "template": "a"}) == ("a",)
    assert templates_of({"type": "call"}) == ()
    assert templates_of(None) == () and as_dict(None) == {}


def test_a_note_the_manifest_leaves_unset_matches_any_live_note_but_not_the_reverse():
    noted, bare = {"type": "call", "note": "x"}, {"type": "call"}
    assert same_identity(noted, bare) and not same_identity(bare, noted)
    assert step_identity(noted) == ("call", (), "x")
