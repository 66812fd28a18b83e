"""Twins (two live objects with one ownership tag), steps bound to several templates, and the
references a plan file carries: the planner as a pure function."""

from __future__ import annotations

import json

import pytest

from seqops.plan.changes import Disable, RuleDrift, change_from_json
from seqops.plan.errors import IdentityError
from seqops.plan.plan import Plan
from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import Impact, LiveState, LiveStep

from .test_planner import CALL, actions, draft, live, res, seq

EMAIL = {"type": "auto_email", "wait": 0, "template": "intro"}


def twins(*ids: int, name: str = "s", display: str = "S", enabled: bool = True):
    return [live(seq(name, [CALL], displayName=display, enabled=enabled), i) for i in ids]


def test_the_newer_twin_is_retired_and_the_oldest_kept():
    desired = seq("s", [CALL], displayName="S", enabled=True)
    plan = draft([desired], twins(12, 7))
    [change] = plan.changes
    assert isinstance(change, Disable)
    assert (change.action, change.id, change.twin_of) == ("disable", 12, 7)
    assert change.retire_as == "s--retired"
    assert [str(d) for d in change.diff] == [
        "ownership: seqops:s → seqops:s--retired",
        "enabled: true → false",
    ]
    assert "7 and 12 both carry seqops:s" in change.warnings[0]


def test_template_twins_are_retired_by_re_tagging_only():
    desired = res("Template", "t", {"displayName": "T"})
    objects = [live(res("Template", "t", {"displayName": "T"}), i) for i in (3, 4)]
    [change] = draft([desired], objects).changes
    assert (change.kind, change.id, change.retire_as) == ("Template", 4, "t--retired")
    assert [d.path for d in change.diff] == ["ownership"]


def test_a_twin_with_prospects_is_an_error_naming_both_ids():
    desired = seq("s", [CALL], displayName="S", enabled=True)
    plan = draft([desired], twins(7, 12))
    with pytest.raises(IdentityError, match=r"live sequences 7 and 12 .* metadata\.id"):
        finish(plan, {12: Impact(active=3)})
    assert finish(draft([desired], twins(7, 12)), {12: Impact()}).changes[0].id == 12


def test_pinning_keeps_the_pinned_twin_and_retires_the_other_even_with_prospects():
    pinned = res("Sequence", "s", {"displayName": "S", "steps": [CALL], "enabled": True}, id=12)
    plan = finish(draft([pinned], twins(7, 12)), {7: Impact(paused=1)})
    [change] = plan.changes
    assert (change.action, change.id, change.twin_of) == ("disable", 7, None)
    assert change.disruptive  # the disruption rule still guards it


def test_same_key_objects_with_other_display_names_stay_an_error():
    copy = live(seq("s", [CALL], displayName="S (copy)"), 9)
    with pytest.raises(IdentityError, match=r"pin the right one with metadata\.id"):
        draft([seq("s", [CALL], displayName="S")], [*twins(7), copy])


def test_an_interrupted_replace_is_still_superseded_not_a_twin():
    v2 = live(seq("s", [CALL], displayName="S (v2)", enabled=True), 9)
    plan = draft([seq("s", [CALL], displayName="S", enabled=True)], [*twins(7), v2])
    [change] = finish(plan, {}).changes
    assert (change.id, change.twin_of) == (7, None)
    assert "interrupted replace" in (change.reason or "")


def bound_twice(*template_ids: int, step: dict | None = None):
    """A live sequence whose one email step has a binding per template id (ids 500, 501...),
    its step as the provider reads it (`step`, else `EMAIL`)."""
    sequence = live(seq("s", [step or EMAIL], displayName="S"), 1)
    sequence.steps[0] = bound_step(*template_ids)
    return sequence


def bound_step(*template_ids: int) -> LiveStep:
    """Live step 100 with one binding per template id (binding ids 500, 501...)."""
    first, *extra = template_ids
    return LiveStep(
        id=100,
        order=1,
        sequence_template_id=500,
        template_id=first,
        extra_sequence_template_ids=[501 + i for i in range(len(extra))],
        extra_template_ids=list(extra),
    )


def templates():
    return [live(res("Template", "intro"), 20), live(res("Template", "follow-up"), 21)]


AB = {"type": "auto_email", "wait": 0, "templates": ["intro", "follow-up"]}


def test_a_step_bound_twice_plans_a_repair_update():
    desired = seq("s", [EMAIL], displayName="S")
    [change] = draft(
        [desired, res("Template", "intro")], [bound_twice(20, 20), *templates()[:1]]
    ).changes
    assert change.action == "update" and not change.write_attributes
    assert [str(d) for d in change.diff] == ["steps[0].template: intro, intro → intro"]
    assert [(w.order, w.live.id) for w in change.steps] == [(1, 100)]


def test_a_step_bound_to_two_templates_is_two_variants_and_plans_nothing():
    resources = [
        seq("s", [{**AB, "templates": ["follow-up", "intro"]}], displayName="S"),
        *(res("Template", n) for n in ("intro", "follow-up")),
    ]
    assert draft(resources, [bound_twice(20, 21, step=AB), *templates()]).empty


def test_one_template_written_either_way_is_the_same_step():
    one = {"type": "auto_email", "wait": 0, "templates": ["intro"]}
    resources = [seq("s", [one], displayName="S"), res("Template", "intro")]
    assert draft(resources, [bound_twice(20), *templates()[:1]]).empty


def test_a_dropped_variant_is_a_change_of_the_step_naming_it():
    resources = [
        seq("s", [EMAIL], displayName="S"),
        *(res("Template", n) for n in ("intro", "follow-up")),
    ]
    [change] = draft(resources, [bound_twice(20, 21, step=AB), *templates()]).changes
    assert change.action == "update" and [w.order for w in change.steps] == [1]
    [d] = change.diff
    assert (d.path, d.old, d.new) == ("steps[0].templates", ["follow-up", "intro"], ["intro"])
    assert str(d).endswith("(variants: -follow-up)")


def test_an_added_variant_is_a_change_of_the_step_naming_it():
    resources = [
        seq("s", [AB], displayName="S"),
        *(res("Template", n) for n in ("intro", "follow-up")),
    ]
    [change] = draft(resources, [bound_twice(20), *templates()]).changes
    [d] = change.diff
    assert (d.path, d.old, d.new) == ("steps[0].templates", ["intro"], ["follow-up", "intro"])
    assert str(d).endswith("(variants: +follow-up)")


def test_a_variant_bound_twice_is_repaired_and_the_others_kept():
    resources = [
        seq("s", [AB], displayName="S"),
        *(res("Template", n) for n in ("intro", "follow-up")),
    ]
    [change] = draft(resources, [bound_twice(20, 21, 21, step=AB), *templates()]).changes
    [d] = change.diff
    assert (d.path, d.new) == ("steps[0].templates", ["follow-up", "intro"])
    assert sorted(d.old) == ["follow-up", "follow-up", "intro"]
    assert str(d).endswith("(variants: kept)")


def test_reordering_variants_is_not_a_reorder_of_steps():
    a = {**AB, "templates": ["follow-up", "intro"]}
    resources = [
        seq("s", [a, CALL], displayName="S"),
        *(res("Template", n) for n in ("intro", "follow-up")),
    ]
    have = live(seq("s", [AB, CALL], displayName="S"), 1)
    assert draft(resources, [have, *templates()]).empty


def test_extra_bindings_survive_a_saved_plan():
    resources = [seq("s", [EMAIL], displayName="S"), res("Template", "intro")]
    plan = draft(resources, [bound_twice(20, 21, step=AB), *templates()])
    again = Plan.from_json(json.loads(json.dumps(plan.to_json())))
    assert again.changes[0].steps[0].live.extra_sequence_template_ids == [501]


def test_references_keep_only_what_the_changes_name():
    state = LiveState(
        objects=[live(res("Template", "t", {"subject": "old"}), 1)],
        users={"alice@example.com": 1, "bob@example.com": 2},
        stages={"Replied": 3, "Unused stage": 4},
        task_priorities={"High": 5, "Low": 6},
    )
    resources = [
        res("Template", "t", {"subject": "new"}),
        seq("s", [{"type": "call", "priority": "High"}], owner="alice@example.com"),
        res("Ruleset", "r", {"repliedStage": "Replied"}),
    ]
    refs = draft_plan(resources, state, "t").to_json()["references"]
    assert refs == {
        "templates": {},
        "rulesets": {},
        "users": {"alice@example.com": 1},
        "stages": {"Replied": 3},
        "task_priorities": {"High": 5},
    }
    assert "bob@example.com" not in json.dumps(draft_plan(resources[:1], state, "t").to_json())


def test_references_of_steps_and_rulesets_are_kept_for_the_writes():
    state = LiveState(
        objects=[live(res("Template", "intro"), 20), live(res("Ruleset", "r"), 30, owner=None)]
    )
    resources = [res("Template", "intro"), res("Ruleset", "r"), seq("s", [EMAIL], ruleset="r")]
    refs = draft_plan(resources, state, "t").references
    assert (refs.templates, refs.rulesets) == ({"intro": 20}, {"r": 30})


def test_an_automation_rule_drift_round_trips_as_its_own_change_type():
    rule = res("AutomationRule", "r", {"sequence": 700})
    change = RuleDrift(kind="AutomationRule", name="r", desired=rule, sequence_id=700, actions_checked=3,
                       drift=[{"path": "p", "old": 1, "new": 2, "actions": [5, 6]}])  # fmt: skip
    again = change_from_json(json.loads(json.dumps(change.to_json())))
    assert isinstance(again, RuleDrift) and again.to_json() == change.to_json()
    assert (again.id, again.action, again.drifted_actions) == (700, "update", [5, 6])
    assert actions(Plan("t", [again])) == [("update", "r")]
