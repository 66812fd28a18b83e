"""The stop and update rules on hand-built live states: what counts, against what."""

from __future__ import annotations

from seqops.plan.planner import finish
from seqops.plan.safety import (
    DisruptionRequired,
    SafetyThresholds,
    TooManyStops,
    TooManyUpdates,
    annotate,
)
from seqops.providers.base import Impact

from .test_planner import CALL, draft, live, res, seq

DEFAULT = SafetyThresholds()


def rules(plan, thresholds=DEFAULT) -> set[type]:
    return {type(v) for v in plan.violations(thresholds)}


def test_below_min_owned_only_stopping_everything_counts():
    objects = [live(seq(f"s{i}", [CALL], enabled=True), i + 1) for i in range(3)]
    keep_one = [seq("s0", [CALL], enabled=True), seq("s1", [CALL], enabled=False)]
    plan = draft(keep_one, objects)  # s1 disabled, s2 retired: 2 of 3, under min_owned
    assert [c.action for c in plan.changes] == ["disable", "disable"]
    assert not rules(plan)
    none = draft([seq("s0", [CALL], enabled=False), seq("s1", [CALL], enabled=False)], objects)
    [refusal] = none.violations(DEFAULT)
    assert "stops-everything rule: 3 of 3 enabled owned sequences (100%)" in str(refusal)
    assert "likely cause: 1 owned sequence(s) have no manifest among the 2" in str(refusal)
    off = [seq(f"s{i}", [CALL], enabled=False) for i in range(3)]
    [refusal] = draft(off, objects).violations(DEFAULT)
    assert "likely cause" not in str(refusal)  # every manifest turns it off: no mistake seen


def test_twins_and_retired_versions_are_not_stops():
    kept = live(seq("s", [CALL], enabled=True), 1)
    twin = live(seq("s", [CALL], enabled=True), 2)
    retired = live(seq("s", [CALL], displayName="s (old)", enabled=True), 3, owner="s--retired")
    plan = finish(draft([seq("s", [CALL], enabled=True)], [kept, twin, retired]), {})
    assert plan.enabled_sequences == 2  # the retired version is not counted
    assert [c.action for c in plan.changes] == ["disable", "disable"]  # twin, old version
    assert not rules(plan)  # s goes on sending: nothing stops


def test_disabled_sequences_are_neither_counted_nor_stopped():
    objects = [live(seq(f"on{i}", [CALL], enabled=True), i + 1) for i in range(2)]
    objects += [live(seq(f"off{i}", [CALL], enabled=False), i + 10) for i in range(5)]
    plan = draft([seq("on0", [CALL], enabled=True)], objects)
    assert plan.enabled_sequences == 2
    assert [c.name for c in plan.changes] == ["on1"]  # the disabled ones stay as they are
    assert not rules(plan, SafetyThresholds(min_owned=3))
    assert rules(plan, SafetyThresholds(min_owned=2)) == {TooManyStops}


def test_retiring_templates_counts_as_updates_not_stops():
    objects = [live(res("Template", f"t{i}", {"subject": "a"}), i + 1) for i in range(10)]
    objects.append(live(seq("s", [CALL], enabled=True), 50))
    resources = [res("Template", f"t{i}", {"subject": "a"}) for i in range(6)]
    resources.append(seq("s", [CALL], enabled=True))
    plan = draft(resources, objects, allow_delete=True)
    assert sum(c.kind == "Template" and c.action == "delete" for c in plan.changes) == 4
    assert TooManyUpdates in rules(plan) and TooManyStops not in rules(plan)


def test_requires_marks_the_changes_each_rule_counts():
    objects = [live(res("Template", "t", {"subject": "a"}), 1)]
    objects += [live(seq(f"s{i}", [CALL], enabled=True), i + 10) for i in range(2)]
    resources = [res("Template", "t", {"subject": "b"}), seq("s0", [CALL], enabled=False)]
    resources.append(seq("s1", [CALL], enabled=False))
    plan = annotate(finish(draft(resources, objects), {10: Impact(active=1)}), DEFAULT)
    by_name = {c.name: c.requires for c in plan.changes}
    assert by_name == {"t": [], "s0": ["--allow-disruption", "--force"], "s1": ["--force"]}
    assert plan.requires == ["--allow-disruption", "--force"]


def test_a_sequence_with_only_pending_prospects_is_never_deleted():
    objects = [live(seq("gone", [CALL], enabled=False), 7), live(seq("kept", [CALL]), 8)]
    plan = finish(draft([seq("kept", [CALL])], objects, allow_delete=True), {7: Impact(pending=3)})
    [change] = plan.changes  # disabled already: re-tagged retired, saying who never starts
    assert (change.action, change.id, change.retire_as) == ("disable", 7, "gone--retired")
    assert "3 pending prospects never start" in change.reason
    assert rules(plan) == {DisruptionRequired}
