"""Steps aligned by content: what a reviewer reads as removed, inserted, moved or changed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seqops.plan.alignment import (
    align,
    label,
    reorders,
    shift_runs,
    shift_text,
    step_identity,
    step_ref,
)


def email(template: str, wait: int = 86400) -> dict:
    return {"type": "auto_email", "template": template, "wait": wait}


def task(note: str, wait: int = 86400) -> dict:
    return {"type": "task", "note": note, "wait": wait}


def call(wait: int = 86400, **more) -> dict:
    return {"type": "call", "wait": wait, **more}


SIX = [email("a", 0), email("b"), email("c"), task("Connect on LinkedIn"), email("d"), call()]


def ops(pairs) -> list[tuple]:
    return [(p.op, p.old_index, p.new_index) for p in pairs]


def test_removing_step_4_of_6_is_one_removal_and_the_rest_move_up():
    pairs = align(SIX, SIX[:3] + SIX[4:])
    assert [p for p in ops(pairs) if p[0] != "same"] == [("removed", 3, None)]
    shifts = [shift_text(*run) for run in shift_runs(pairs)]
    assert shifts == ["steps 5–6 move up one (now 4–5)"]  # noqa: RUF001 (as people write it)
    assert reorders(pairs)


def test_inserting_in_the_middle_is_an_insertion_that_shifts_the_steps_after_it():
    new = [*SIX[:2], task("Send a video"), *SIX[2:]]
    pairs = align(SIX, new)
    assert [p for p in ops(pairs) if p[0] != "same"] == [("inserted", None, 2)]
    assert shift_runs(pairs) == [(2, 5, 1)] and reorders(pairs)


def test_appending_is_an_insertion_at_the_end_and_no_reorder():
    pairs = align(SIX, [*SIX, call()])  # the same call again, after the last one
    assert ops(pairs)[-1] == ("inserted", None, 6) and not reorders(pairs)


def test_a_swap_is_a_move_not_two_retyped_steps():
    new = [SIX[0], SIX[2], SIX[1], *SIX[3:]]
    pairs = align(SIX, new)
    assert ("moved", 2, 1) in ops(pairs) or ("moved", 1, 2) in ops(pairs)
    assert not any(p.op == "changed" for p in pairs) and reorders(pairs)


def test_a_changed_wait_or_template_is_a_change_in_place():
    new = [SIX[0], email("b", 3 * 86400), email("x"), *SIX[3:]]
    pairs = align(SIX, new)
    assert [p for p in ops(pairs) if p[0] != "same"] == [("changed", 1, 1), ("changed", 2, 2)]
    assert not reorders(pairs)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([call(), call()], [task("x"), call()]),  # one of two identical calls re-typed
        ([call(), task("x")], [task("x"), task("x")]),
    ],
)
def test_retyping_in_place_is_a_change_not_a_removal(old, new):
    assert not reorders(align(old, new))


def test_of_two_identical_calls_the_one_with_the_same_wait_is_kept():
    pairs = align([call(86400), call(2 * 86400)], [call(2 * 86400)])
    assert ops(pairs) == [("removed", 0, None), ("same", 1, 0)]


def test_a_note_the_manifest_does_not_manage_still_matches():
    assert ops(align([call(note="set in the UI")], [call()])) == [("same", 0, 0)]


def test_identity_includes_every_template_of_an_ab_step():
    ab = {"type": "auto_email", "templates": ["intro-a", "intro-b"], "wait": 0}
    assert step_identity(ab) == ("auto_email", ("intro-a", "intro-b"), None)
    assert step_identity(ab) != step_identity({**ab, "templates": ["intro-a"]})
    assert label(ab) == "auto_email 'intro-a', 'intro-b'"


def test_a_step_is_named_by_its_type_and_content():
    assert step_ref(3, task("Connect on LinkedIn")) == "step 4 · task 'Connect on LinkedIn'"
    assert step_ref(0, email("intro")) == "step 1 · auto_email 'intro'"
    assert step_ref(1, call()) == "step 2 · call"
    assert label(task("x" * 200)).endswith("…'")


STEPS = st.sampled_from(
    [email("a"), email("b"), email("c"), task("t1"), task("t2"), call(), call(2 * 86400)]
)


@given(old=st.lists(STEPS, max_size=8), new=st.lists(STEPS, max_size=8))
def test_every_step_is_accounted_for_once_and_kept_steps_stay_in_order(old, new):
    pairs = align(old, new)
    olds = sorted(p.old_index for p in pairs if p.old_index is not None)
    news = sorted(p.new_index for p in pairs if p.new_index is not None)
    assert olds == list(range(len(old))) and news == list(range(len(new)))
    kept = [(p.old_index, p.new_index) for p in pairs if p.op in ("same", "changed")]
    assert kept == sorted(kept) and [n for _, n in kept] == sorted(n for _, n in kept)
    for p in pairs:
        if p.op == "same":
            assert old[p.old_index] == new[p.new_index]
        if p.op == "moved":
            assert step_identity(old[p.old_index]) == step_identity(new[p.new_index])
    if old == new:
        assert all(p.op == "same" for p in pairs)


@given(old=st.lists(st.integers(0, 99), min_size=4, max_size=8, unique=True), data=st.data())
def test_one_removal_among_distinct_steps_is_found_where_it_was(old, data):
    steps = [task(f"task {n}") for n in old]
    gone = data.draw(st.integers(0, len(steps) - 1))
    pairs = align(steps, steps[:gone] + steps[gone + 1 :])
    assert [p for p in ops(pairs) if p[0] != "same"] == [("removed", gone, None)]


def test_a_dated_step_as_a_model_and_as_its_saved_mapping_is_the_same_step_unchanged():
    from seqops.manifest.models.sequence import Step

    model = Step.model_validate({"type": "auto_email", "date": "2027-02-11", "template": "recap"})
    saved = json.loads(model.model_dump_json(exclude_none=True))  # what a plan file holds
    assert saved["date"] == "2027-02-11"
    assert ops(align([model], [saved])) == [("same", 0, 0)]
    assert ops(align([saved], [model])) == [("same", 0, 0)]
