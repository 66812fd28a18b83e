"""The safety rules on hand-built plans: thresholds, their boundaries, what each rule counts,
what its refusal says, and which flag lifts it."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from seqops.config import Safety
from seqops.plan import safety
from seqops.plan.changes import Adopt, Create, Delete, Disable, Enable, Replace, Update
from seqops.plan.diff import FieldDiff
from seqops.plan.plan import Plan
from seqops.plan.safety import (
    DeleteNotAllowed,
    DisruptionRequired,
    SafetyThresholds,
    TooManyChanges,
    TooManyStops,
    TooManyUpdates,
    UnsafePlan,
)
from seqops.providers.base import Impact, SequenceImpact

from .test_planner import CALL, live, res, seq

DEFAULT = SafetyThresholds()


def owned_seq(name: str, id: int, enabled: bool = True, owner: str | None = "auto"):
    return live(seq(name, [CALL], enabled=enabled), id, owner=owner)


def owned_template(name: str, id: int, owner: str | None = "auto"):
    return live(res("Template", name, {"subject": "a"}), id, owner=owner)


def disables(n: int, start: int = 0) -> list[Disable]:
    return [
        Disable(kind="Sequence", name=f"s{i}", existing=owned_seq(f"s{i}", i + 1))
        for i in range(start, start + n)
    ]


def updates(n: int) -> list[Update]:
    return [
        Update(kind="Template", name=f"t{i}", existing=owned_template(f"t{i}", i + 100))
        for i in range(n)
    ]


def plan_of(changes, owned: int = 0, enabled: int = 0, kinds=None) -> Plan:
    return Plan(
        "t",
        list(changes),
        owned_resources=owned,
        enabled_sequences=enabled,
        manifest_kinds={"Sequence": 5} if kinds is None else kinds,
    )


def rules(plan: Plan, thresholds: SafetyThresholds = DEFAULT) -> list[type]:
    return [type(v) for v in safety.violations(plan, thresholds)]


# --- thresholds ---------------------------------------------------------------------------


def test_default_thresholds_share_one_fraction():
    assert (DEFAULT.max_change_fraction, DEFAULT.min_owned, DEFAULT.disruption) == (0.3, 10, True)
    assert DEFAULT.stop_fraction == 0.3 and DEFAULT.update_fraction == 0.3


def test_each_fraction_overrides_only_its_own_rule():
    stops = SafetyThresholds(max_change_fraction=0.4, max_stop_fraction=0.1)
    assert (stops.stop_fraction, stops.update_fraction) == (0.1, 0.4)
    ups = SafetyThresholds(max_change_fraction=0.4, max_update_fraction=0.2)
    assert (ups.stop_fraction, ups.update_fraction) == (0.4, 0.2)


def test_a_zero_fraction_is_a_setting_not_a_missing_one():
    zero = SafetyThresholds(max_stop_fraction=0.0, max_update_fraction=0.0)
    assert (zero.stop_fraction, zero.update_fraction) == (0.0, 0.0)


@pytest.mark.parametrize("given", [None, {}, SimpleNamespace(), Safety()])
def test_missing_settings_default(given):
    assert SafetyThresholds.from_config(given) == DEFAULT


def test_settings_from_a_mapping_are_converted():
    got = SafetyThresholds.from_config(
        {
            "max_change_fraction": "0.5",
            "min_owned": "3",
            "disruption": 0,
            "max_stop_fraction": "0.25",
            "max_update_fraction": 1,
        }
    )
    assert got == SafetyThresholds(0.5, 3, False, 0.25, 1.0)
    assert isinstance(got.max_change_fraction, float) and isinstance(got.min_owned, int)
    assert isinstance(got.max_stop_fraction, float) and isinstance(got.max_update_fraction, float)
    assert got.disruption is False


def test_settings_from_the_target_config_object():
    config = Safety(
        disruption=False,
        max_change_fraction=0.6,
        min_owned=4,
        max_stop_fraction=0.2,
        max_update_fraction=0.7,
    )
    got = SafetyThresholds.from_config(config)
    assert got == SafetyThresholds(0.6, 4, False, 0.2, 0.7)
    assert (got.stop_fraction, got.update_fraction) == (0.2, 0.7)


def test_a_percent_is_a_fraction_and_an_explicit_fraction_wins():
    assert SafetyThresholds.from_config({"max_change_percent": 50}).max_change_fraction == 0.5
    obj = SimpleNamespace(max_change_percent=20)
    assert SafetyThresholds.from_config(obj).max_change_fraction == 0.2
    both = {"max_change_fraction": 0.1, "max_change_percent": 50}
    assert SafetyThresholds.from_config(both).max_change_fraction == 0.1


def test_zero_settings_are_kept_not_defaulted():
    got = SafetyThresholds.from_config({"max_change_fraction": 0, "min_owned": 0})
    assert (got.max_change_fraction, got.min_owned) == (0.0, 0)
    assert SafetyThresholds.from_config({"max_stop_fraction": 0}).stop_fraction == 0.0


# --- the stop rule ------------------------------------------------------------------------


def test_stopping_more_than_the_fraction_of_enough_enabled_sequences_needs_force():
    assert rules(plan_of(disables(4), enabled=10)) == [TooManyStops]
    assert rules(plan_of(disables(3), enabled=10)) == []  # exactly 30%: allowed
    assert rules(plan_of(disables(4), enabled=10), SafetyThresholds(max_stop_fraction=0.4)) == []


def test_the_stop_fraction_counts_only_from_min_owned_enabled_sequences():
    assert rules(plan_of(disables(5), enabled=10), SafetyThresholds(min_owned=10)) == [TooManyStops]
    assert rules(plan_of(disables(5), enabled=9), SafetyThresholds(min_owned=10)) == []
    assert rules(plan_of(disables(5), enabled=9), SafetyThresholds(min_owned=9)) == [TooManyStops]


def test_stopping_every_enabled_sequence_always_needs_force():
    [refusal] = safety.violations(plan_of(disables(1), enabled=1), DEFAULT)
    assert isinstance(refusal, TooManyStops) and refusal.rule == "stops-everything"
    [more] = safety.violations(plan_of(disables(3), enabled=2), DEFAULT)
    assert more.rule == "stops-everything"
    free = SafetyThresholds(max_stop_fraction=1.0)
    assert rules(plan_of(disables(12), enabled=12), free) == [TooManyStops]


def test_no_enabled_sequences_or_no_stops_is_no_stop_rule():
    assert rules(plan_of(disables(2), enabled=0)) == []
    assert rules(plan_of([], enabled=10)) == []


def test_the_stop_refusal_names_its_numbers_and_the_likely_cause():
    changes = disables(4)
    for c in changes:
        c.reason = "no manifest: retired"
    [refusal] = safety.violations(plan_of(changes, enabled=10, kinds={"Sequence": 6}), DEFAULT)
    assert str(refusal) == (
        "refused by the too-many-stops rule: 4 of 10 enabled owned sequences (40%) would stop "
        "sending (disable, retire or delete), more than 30%; likely cause: 4 owned sequence(s) "
        "have no manifest among the 6 Sequence manifests given: only some of the manifest "
        "folders given?; rerun with --force"
    )
    assert (refusal.rule, refusal.flag) == ("too-many-stops", "--force")
    assert (refusal.changed, refusal.owned, refusal.limit) == (4, 10, 0.3)
    assert refusal.changes == {("Sequence", f"s{i}") for i in range(4)}
    assert isinstance(refusal, TooManyChanges) and isinstance(refusal, UnsafePlan)


def test_the_stops_everything_refusal_without_a_cause():
    refusal = TooManyStops([("Sequence", "a"), ("Sequence", "b")], 2, 0.3, "")
    assert str(refusal) == (
        "refused by the stops-everything rule: 2 of 2 enabled owned sequences (100%) would stop "
        "sending (disable, retire or delete), every one of them; rerun with --force"
    )
    assert refusal.rule == "stops-everything" and TooManyStops.rule == "too-many-stops"


@pytest.mark.parametrize(
    "change",
    [
        Disable(kind="Sequence", name="s", existing=owned_seq("s", 1)),
        Delete(kind="Sequence", name="s", existing=owned_seq("s", 1)),
    ],
)
def test_disabling_or_deleting_an_enabled_owned_sequence_stops_it(change):
    assert safety.stops_sending(change)


@pytest.mark.parametrize(
    "change",
    [
        Disable(kind="Sequence", name="s", existing=owned_seq("s", 1, enabled=False)),
        Disable(kind="Sequence", name="s", existing=owned_seq("s", 1, owner=None)),
        Disable(kind="Sequence", name="s", existing=owned_seq("s", 1, owner="s--retired")),
        Disable(kind="Sequence", name="s", existing=owned_seq("s", 1), retire_as="s--retired"),
        Disable(kind="Template", name="t", existing=owned_template("t", 1)),
        Update(kind="Sequence", name="s", existing=owned_seq("s", 1)),
        Enable(kind="Sequence", name="s", existing=owned_seq("s", 1)),
        Replace(kind="Sequence", name="s", existing=owned_seq("s", 1), new_display_name="s (v2)"),
    ],
    ids=["disabled", "unowned", "retired", "retire-as", "template", "update", "enable", "replace"],
)
def test_what_is_not_a_stop(change):
    assert not safety.stops_sending(change)
    assert rules(plan_of([change], enabled=1)) == []


# --- the update rule ----------------------------------------------------------------------


def test_updating_more_than_the_fraction_of_enough_owned_resources_needs_force():
    assert rules(plan_of(updates(4), owned=10)) == [TooManyUpdates]
    assert rules(plan_of(updates(3), owned=10)) == []  # exactly 30%
    assert rules(plan_of(updates(4), owned=10), SafetyThresholds(max_update_fraction=0.4)) == []
    assert rules(plan_of(updates(4), owned=10), SafetyThresholds(max_stop_fraction=0.4)) == [
        TooManyUpdates
    ]


def test_the_update_rule_counts_only_from_min_owned_resources():
    assert rules(plan_of(updates(9), owned=9)) == []
    assert rules(plan_of(updates(9), owned=9), SafetyThresholds(min_owned=9)) == [TooManyUpdates]
    assert rules(plan_of(updates(1), owned=0), SafetyThresholds(min_owned=0)) == []


def test_one_resource_with_two_changes_is_counted_once():
    t = owned_template("t0", 100)
    twice = [
        Update(kind="Template", name="t0", existing=t),
        Disable(kind="Template", name="t0", existing=t),
    ]
    assert rules(plan_of(twice + updates(3)[1:], owned=10)) == []  # 3 resources: 30%
    [refusal] = safety.violations(plan_of(twice + updates(5)[1:], owned=10), DEFAULT)
    assert refusal.changed == 5


def test_the_update_refusal_names_its_numbers():
    [refusal] = safety.violations(plan_of(updates(5), owned=12), DEFAULT)
    assert str(refusal) == (
        "refused by the too-many-updates rule: 5 of 12 owned resources (42%) would be updated, "
        "more than 30%; rerun with --force"
    )
    assert (refusal.rule, refusal.flag) == ("too-many-updates", "--force")
    assert (refusal.changed, refusal.owned, refusal.limit) == (5, 12, 0.3)
    assert refusal.changes == {("Template", f"t{i}") for i in range(5)}


@pytest.mark.parametrize(
    ("change", "counted"),
    [
        (Update(kind="Sequence", name="s", existing=owned_seq("s", 1)), True),
        (
            Replace(kind="Sequence", name="s", existing=owned_seq("s", 1), new_display_name="x"),
            True,
        ),
        (Disable(kind="Template", name="t", existing=owned_template("t", 1)), True),
        (Delete(kind="Template", name="t", existing=owned_template("t", 1)), True),
        (Disable(kind="Sequence", name="s", existing=owned_seq("s", 1)), False),
        (Delete(kind="Sequence", name="s", existing=owned_seq("s", 1)), False),
        (Enable(kind="Sequence", name="s", existing=owned_seq("s", 1)), False),
        (Create(kind="Sequence", name="s"), False),
        (Update(kind="Template", name="t", existing=owned_template("t", 1, owner=None)), False),
        (Adopt(kind="Template", name="t", existing=owned_template("t", 1, owner=None)), False),
        (
            Update(kind="Template", name="t", existing=owned_template("t", 1, owner="t--retired")),
            False,
        ),
    ],
)
def test_what_counts_as_an_update_of_an_owned_resource(change, counted):
    assert safety.updates_owned(change) is counted


# --- the delete and disruption rules ------------------------------------------------------


def test_a_delete_needs_allow_delete_and_names_what_goes():
    changes = [
        Delete(kind="Template", name="t", existing=owned_template("t", 5)),
        Delete(kind="Sequence", name="s", existing=owned_seq("s", 6, enabled=False)),
        Disable(kind="Sequence", name="d", existing=owned_seq("d", 7, enabled=False)),
    ]
    [refusal] = safety.violations(plan_of(changes, owned=50, enabled=50), DEFAULT)
    assert isinstance(refusal, DeleteNotAllowed)
    assert refusal.deletes == ["Sequence/s", "Template/t"]  # sequences go first
    assert refusal.changes == {("Template", "t"), ("Sequence", "s")}
    assert str(refusal) == (
        "refused: the plan deletes Sequence/s, Template/t; rerun with --allow-delete"
    )
    assert (refusal.rule, refusal.flag) == ("delete", "--allow-delete")


def busy(name: str, id: int, active: int, paused: int = 0, pending: int = 0) -> Update:
    return Update(
        kind="Sequence",
        name=name,
        existing=owned_seq(name, id),
        diff=[FieldDiff("steps[0].wait", "1d", "2d")],
        impact=Impact(active=active, paused=paused, pending=pending),
    )


def test_changes_that_reach_prospects_need_allow_disruption_sorted_and_once():
    changes = [busy("b", 1, 2, 1, 4), busy("a", 2, 0, 3), busy("quiet", 3, 0)]
    [refusal] = safety.violations(plan_of(changes, owned=50), DEFAULT)
    assert isinstance(refusal, DisruptionRequired)
    assert refusal.disrupted == [("Sequence/a", Impact(0, 3)), ("Sequence/b", Impact(2, 1, 4))]
    assert refusal.changes == {("Sequence", "a"), ("Sequence", "b")}
    assert str(refusal) == (
        "refused by the disruption rule: 2 change(s) reach prospects already in sequences "
        "(Sequence/a: 0 active, 3 paused; Sequence/b: 2 active, 1 paused, 4 pending); "
        "rerun with --allow-disruption"
    )
    assert (refusal.rule, refusal.flag) == ("disruption", "--allow-disruption")
    assert rules(plan_of(changes, owned=50), SafetyThresholds(disruption=False)) == []


def test_a_template_change_names_the_sequences_it_reaches():
    via = (SequenceImpact(1, "Intro", active=2), SequenceImpact(2, "Follow", paused=1))
    t = Update(
        kind="Template",
        name="t",
        existing=owned_template("t", 9),
        impact=Impact(active=2, paused=1, sequences=via),
        diff=[FieldDiff("subject", "a", "b")],
    )
    [refusal] = safety.violations(plan_of([t, busy("s", 1, 1)], owned=50), DEFAULT)
    assert str(refusal) == (
        "refused by the disruption rule: 2 change(s) reach prospects already in sequences "
        "(Sequence/s: 1 active, 0 paused; Template/t: 2 active, 1 paused via 'Intro', 'Follow'); "
        "rerun with --allow-disruption"
    )


# --- several rules: order, flags, requires ------------------------------------------------


def everything() -> Plan:
    changes = disables(4) + updates(5)
    changes.append(Delete(kind="Template", name="gone", existing=owned_template("gone", 99)))
    changes.append(busy("busy", 50, 1))
    return plan_of(changes, owned=20, enabled=10)


def test_every_rule_crossed_is_reported_in_order():
    assert rules(everything()) == [
        DeleteNotAllowed,
        DisruptionRequired,
        TooManyStops,
        TooManyUpdates,
    ]


def test_required_flags_and_annotations():
    plan = everything()
    assert safety.required_flags(plan, DEFAULT) == [
        "--allow-delete",
        "--allow-disruption",
        "--force",
    ]
    safety.annotate(plan, DEFAULT)
    assert plan.requires == ["--allow-delete", "--allow-disruption", "--force"]
    by_name = {c.name: c.requires for c in plan.changes}
    assert by_name["gone"] == ["--allow-delete", "--force"]  # a delete and a template update
    assert by_name["busy"] == ["--allow-disruption", "--force"]
    assert by_name["s0"] == ["--force"] and by_name["t0"] == ["--force"]
    calm = safety.annotate(plan_of(updates(1), owned=20), DEFAULT)
    assert calm.requires == [] and calm.changes[0].requires == []


def test_given_flags_are_exactly_those_switched_on():
    assert safety.given_flags(False, False, False) == set()
    assert safety.given_flags(True, False, False) == {"--allow-disruption"}
    assert safety.given_flags(False, True, False) == {"--force"}
    assert safety.given_flags(False, False, True) == {"--allow-delete"}
    assert safety.given_flags(True, True, True) == set(safety.FLAGS)


def test_each_flag_lifts_only_its_rules():
    plan = everything()
    assert [type(v) for v in safety.unlifted(plan, DEFAULT, {"--force"})] == [
        DeleteNotAllowed,
        DisruptionRequired,
    ]
    assert [type(v) for v in safety.unlifted(plan, DEFAULT, {"--allow-delete"})] == [
        DisruptionRequired,
        TooManyStops,
        TooManyUpdates,
    ]
    assert safety.unlifted(plan, DEFAULT, set(safety.FLAGS)) == []


def test_check_raises_the_first_rule_not_lifted():
    plan = everything()
    with pytest.raises(DeleteNotAllowed):
        safety.check(plan, DEFAULT, allow_disruption=True, force=True, allow_delete=False)
    with pytest.raises(DisruptionRequired):
        safety.check(plan, DEFAULT, allow_disruption=False, force=False)
    with pytest.raises(TooManyStops):
        safety.check(plan, DEFAULT, allow_disruption=True, force=False)
    safety.check(plan, DEFAULT, allow_disruption=True, force=True)
    with pytest.raises(DeleteNotAllowed):
        plan.raise_if_unsafe(DEFAULT, allow_disruption=True, force=True, allow_delete=False)
    plan.raise_if_unsafe(DEFAULT, allow_disruption=True, force=True)
    with pytest.raises(TooManyStops):
        plan.raise_if_unsafe(DEFAULT, allow_disruption=True, force=False, allow_delete=True)


# --- resuming: the owned state before the interrupted run ---------------------------------


def completing(n: int) -> list[Update]:
    return [
        Update(
            kind="Sequence",
            name=f"new{i}",
            existing=owned_seq(f"new{i}", i + 200, enabled=False),
            completes_create=True,
            impact=Impact(),
        )
        for i in range(n)
    ]


def test_completing_an_interrupted_create_is_not_an_update():
    assert rules(plan_of(completing(5), owned=10)) == []
    unmarked = [dataclasses.replace(c, completes_create=False) for c in completing(5)]
    assert rules(plan_of(unmarked, owned=10)) == [TooManyUpdates]


def test_an_old_versions_writes_are_never_updates_nor_stops():
    old = [
        Disable(
            kind="Sequence",
            name=f"s{i}",
            existing=owned_seq(f"s{i}", i + 1),
            old_version=True,
            retire_as=f"s{i}--retired",
        )
        for i in range(5)
    ]
    assert rules(plan_of(old, owned=10, enabled=10)) == []
