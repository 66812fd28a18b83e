"""Field-level diffs of a resource's managed attributes, and how a reviewer reads a value
(`seqops.plan.diff`)."""

from __future__ import annotations

import json

import pytest

from seqops.manifest.models.sequence import SequenceSpec, Step
from seqops.plan.diff import (
    FieldDiff,
    attribute_diff,
    display,
    essence,
    show,
    variants_change,
)

from .test_planner import res, seq


def paths(diffs: list[FieldDiff]) -> list[tuple]:
    return [(d.path, d.old, d.new) for d in diffs]


# essence and attribute diffs ----------------------------------------------------------------


def test_the_essence_is_the_managed_fields_with_the_display_name_first():
    desired = seq("s", [{"type": "call"}], enabled=True, tags=["b", "a", "b"], owner="x@y.z")
    data = essence(desired)
    assert next(iter(data)) == "displayName"
    assert data == {"displayName": "s", "sequenceType": "interval", "tags": ["a", "b"]} | {
        "owner": "x@y.z"
    }


def test_the_essence_of_a_resource_without_tags_has_none():
    assert essence(res("Template", "t", {"displayName": "T", "subject": "Hi"})) == {
        "displayName": "T",
        "subject": "Hi",
    }


def test_a_new_resource_diffs_every_managed_field_from_unset():
    desired = res("Template", "t", {"subject": "Hi", "tags": ["x"], "trackOpens": False})
    assert paths(attribute_diff(desired, None)) == [
        ("displayName", None, "t"),
        ("subject", None, "Hi"),
        ("trackOpens", None, False),
        ("tags", None, ["x"]),
    ]


def test_only_the_managed_fields_that_differ_are_diffed():
    desired = res("Template", "t", {"subject": "Hi", "trackOpens": True})
    have = res("Template", "t", {"subject": "Hi", "trackOpens": False, "bodyHtml": "<p>x</p>"})
    assert paths(attribute_diff(desired, have)) == [("trackOpens", False, True)]


def test_a_field_the_live_object_lacks_is_diffed_from_unset():
    desired = res("Template", "t", {"subject": "Hi"})
    assert paths(attribute_diff(desired, res("Template", "t"))) == [("subject", None, "Hi")]


def test_tags_are_compared_as_a_set():
    desired = res("Template", "t", {"tags": ["b", "a"]})
    assert attribute_diff(desired, res("Template", "t", {"tags": ["a", "b", "a"]})) == []
    assert paths(attribute_diff(desired, res("Template", "t", {"tags": ["c", "a"]}))) == [
        ("tags", ["a", "c"], ["a", "b"])
    ]


def test_no_live_tags_matches_an_empty_tag_list_only():
    assert attribute_diff(res("Template", "t", {"tags": []}), res("Template", "t")) == []
    assert paths(attribute_diff(res("Template", "t", {"tags": ["a"]}), res("Template", "t"))) == [
        ("tags", None, ["a"])
    ]


def test_the_display_name_is_always_managed():
    live = res("Template", "t", {"displayName": "Old"})
    assert paths(attribute_diff(res("Template", "t"), live)) == [("displayName", "Old", "t")]


def test_a_versioned_sequence_name_is_the_same_name_but_not_for_templates():
    assert (
        attribute_diff(seq("s", [], displayName="Demo"), seq("s", [], displayName="Demo (v3)"))
        == []
    )
    assert paths(
        attribute_diff(seq("s", [], displayName="Demo"), seq("s", [], displayName="Other (v3)"))
    ) == [("displayName", "Other (v3)", "Demo")]
    desired = res("Template", "t", {"displayName": "Demo"})
    live = res("Template", "t", {"displayName": "Demo (v2)"})
    assert paths(attribute_diff(desired, live)) == [("displayName", "Demo (v2)", "Demo")]


def test_durations_are_compared_in_seconds_and_shown_in_manifest_units():
    desired = res("Ruleset", "r", {"applyCompletedStageIn": "2d"})
    assert attribute_diff(desired, res("Ruleset", "r", {"applyCompletedStageIn": "48h"})) == []
    live = res("Ruleset", "r", {"applyCompletedStageIn": "90m"})
    assert paths(attribute_diff(desired, live)) == [("applyCompletedStageIn", "90m", "2d")]


def test_steps_and_enabled_are_not_field_diffs():
    desired = seq("s", [{"type": "call"}], enabled=True)
    assert attribute_diff(desired, seq("s", [{"type": "task"}], enabled=False)) == []


# values as a reviewer reads them ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "(unset)"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        ("2d", "2d"),
        ("alice@example.com", "alice@example.com"),
        ("two words", "'two words'"),
        ("", "''"),
        ("x" * 80, "x" * 80),
        ("x" * 81, "'" + "x" * 77 + "...'"),
        ("a b" + "c" * 77, "'a b" + "c" * 77 + "'"),
        ("a b" + "c" * 78, "'a b" + "c" * 74 + "...'"),
        (["a", "b c"], "a, 'b c'"),
        ([], "[]"),
        ({"title": "Meeting", "deadline": 30}, "{title: Meeting, deadline: 30}"),
        ([{"a": [1, None]}, [True]], "{a: [1, (unset)]}, [true]"),
    ],
)
def test_a_value_is_shown_the_way_yaml_writes_it(value, text):
    assert show(value) == text


def test_a_field_diff_reads_as_old_to_new():
    assert str(FieldDiff("subject", "Hi there", None)) == "subject: 'Hi there' → (unset)"
    assert str(FieldDiff("steps[0].template", "a", "b")) == "steps[0].template: a → b"


def test_a_variants_diff_says_which_variants_come_and_go():
    text = str(FieldDiff("steps[1].templates", ["a", "b"], ["b", "c", "d"]))
    assert text == "steps[1].templates: a, b → b, c, d (variants: +c +d -a)"
    assert variants_change(["a", "a"], ["a"]) == "kept"
    assert variants_change(None, "intro") == "+intro"
    assert variants_change("intro", ["intro", "next"]) == "+next"
    assert variants_change("intro", None) == "-intro"
    assert variants_change(["b", "a"], []) == "-a -b"


def test_a_step_entry_round_trips_with_its_one_based_steps():
    entry = FieldDiff("steps[2].wait", "1d", "2d", "changed", 3, 2)
    data = entry.to_json()
    assert data == {
        "path": "steps[2].wait",
        "old": "1d",
        "new": "2d",
        "op": "changed",
        "old_index": 3,
        "new_index": 2,
        "old_step": 4,
        "new_step": 3,
    }
    assert FieldDiff.from_json(json.loads(json.dumps(data))) == entry


def test_removed_and_inserted_entries_have_no_step_on_the_other_side():
    removed = FieldDiff("steps[0]", {"type": "call"}, None, "removed", 0, None).to_json()
    assert (removed["old_step"], removed["new_step"]) == (1, None)
    inserted = FieldDiff("steps[0]", None, {"type": "call"}, "inserted", None, 0).to_json()
    assert (inserted["old_step"], inserted["new_step"]) == (None, 1)


def test_an_attribute_entry_is_plain_path_old_new():
    entry = FieldDiff("subject", "a", "b")
    assert entry.to_json() == {"path": "subject", "old": "a", "new": "b"}
    assert FieldDiff.from_json({"path": "subject"}) == FieldDiff("subject", None, None)


def test_only_duration_fields_are_shown_as_durations():
    assert display(Step, "wait", 172800) == "2d"
    assert display(Step, "autoskipAfter", 5400) == "90m"
    assert display(Step, "wait", "2d") == "2d"
    assert display(SequenceSpec, "throttleCapacity", 86400) == 86400
    assert display(SequenceSpec, "primaryReplyPauseDuration", 3600) == "1h"
    assert display(SequenceSpec, "primaryReplyPauseDuration", True) is True
