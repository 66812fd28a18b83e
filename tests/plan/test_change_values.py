"""Changes as values: their order, whether they reach prospects, their text, and their exact
round trip through a saved plan file."""

from __future__ import annotations

import json

import pytest

from seqops.plan.changes import (
    ACTIONS,
    Adopt,
    Change,
    Create,
    Delete,
    Disable,
    Enable,
    Replace,
    RuleDrift,
    Update,
    change_from_json,
)
from seqops.plan.diff import FieldDiff
from seqops.plan.plan import Plan
from seqops.plan.retiring import Outcome
from seqops.plan.steps import StepWrite
from seqops.providers.base import Impact, LiveObject, LiveStep, SequenceImpact

from .test_planner import CALL, TASK, live, res, seq

DIFF = [FieldDiff("steps[0].wait", 86400, 3600)]


SAVED_FIRST = ["action", "kind", "name", "id", "diff", "impact", "warnings", "requires", "reason"]
"""The keys every saved change starts with, in order."""


def a_sequence(id: int = 7, owner: str | None = "s") -> LiveObject:
    return live(seq("s", [CALL, TASK], displayName="S", enabled=True), id, owner=owner)


def again(change: Change) -> Change:
    """The change as a saved plan file gives it back."""
    return change_from_json(json.loads(json.dumps(change.to_json())))


# --- order ------------------------------------------------------------------------------


def test_the_rank_orders_references_sequences_disables_deletes_enables():
    ranks = {
        "template": Update(kind="Template", name="x").rank,
        "ruleset": Create(kind="Ruleset", name="x").rank,
        "sequence": Update(kind="Sequence", name="x").rank,
        "replace": Replace(kind="Sequence", name="x", new_display_name="X (v2)").rank,
        "disable": Disable(kind="Sequence", name="x").rank,
        "delete sequence": Delete(kind="Sequence", name="x").rank,
        "delete template": Delete(kind="Template", name="x").rank,
        "enable": Enable(kind="Sequence", name="x").rank,
        "old version": Disable(kind="Sequence", name="x", old_version=True).rank,
    }
    assert ranks == {
        "template": 0,
        "ruleset": 0,
        "sequence": 1,
        "replace": 1,
        "disable": 2,
        "delete sequence": 3,
        "delete template": 4,
        "enable": 5,
        "old version": 6,
    }


def test_within_a_rank_kinds_then_names_then_actions_order():
    changes = [
        Update(kind="Template", name="a"),
        Create(kind="Ruleset", name="z"),
        Create(kind="Sequence", name="b"),
        Update(kind="Sequence", name="a"),
        Update(kind="Other", name="a"),
        Adopt(kind="Sequence", name="b"),
        Create(kind="Template", name="b"),
    ]
    assert [(c.kind, c.name, c.action) for c in sorted(changes)] == [
        ("Ruleset", "z", "create"),
        ("Template", "a", "update"),
        ("Template", "b", "create"),
        ("Sequence", "a", "update"),
        ("Sequence", "b", "create"),
        ("Sequence", "b", "adopt"),
        ("Other", "a", "update"),
    ]
    assert Create(kind="Sequence", name="b").sort_key == (1, 2, "b", 0)
    assert Update(kind="Other", name="a").sort_key == (1, 9, "a", 1)
    assert Disable(kind="Template", name="t").sort_key == (2, 1, "t", ACTIONS.index("disable"))


def test_a_plan_lists_its_changes_in_execution_order():
    plan = Plan(
        "t",
        [
            Enable(kind="Sequence", name="a"),
            Delete(kind="Template", name="a"),
            Delete(kind="Sequence", name="a"),
            Disable(kind="Sequence", name="a"),
            Update(kind="Sequence", name="a"),
            Update(kind="Template", name="a"),
        ],
    )
    assert [(c.action, c.kind) for c in plan.changes] == [
        ("update", "Template"),
        ("update", "Sequence"),
        ("disable", "Sequence"),
        ("delete", "Sequence"),
        ("delete", "Template"),
        ("enable", "Sequence"),
    ]


# --- disruptive -------------------------------------------------------------------------

BUSY = Impact(active=1)
PAUSED = Impact(paused=1)
PENDING = Impact(pending=2)
EMPTY = Impact()
COSMETIC = [FieldDiff("displayName", "A", "B"), FieldDiff("throttleMaxAddsPerDay", 100, 90)]
REPLY = [FieldDiff("primaryReplyAction", "finish", "pause")]
SUBJECT = [FieldDiff("subject", "a", "b")]
ADDS_ONLY = [FieldDiff("permitDuplicateProspects", "disallow", "allow")]
UNSUBSCRIBE = [FieldDiff("includeUnsubscribeLinks", True, False)]


def replace(fate: str | None, impact: Impact) -> Replace:
    outcome = None if fate is None else Outcome.of(fate, "s", "S", True, None)
    return Replace(kind="Sequence", name="s", new_display_name="x", impact=impact, outcome=outcome)


@pytest.mark.parametrize(
    ("change", "disruptive"),
    [
        (Update(kind="Sequence", name="s", impact=BUSY, diff=DIFF), True),
        (Update(kind="Sequence", name="s", impact=PAUSED, diff=DIFF), True),
        (Update(kind="Sequence", name="s", impact=BUSY, diff=REPLY), True),
        (Update(kind="Sequence", name="s", impact=BUSY, diff=COSMETIC), False),
        (Update(kind="Sequence", name="s", impact=PENDING, diff=DIFF), False),
        (Update(kind="Sequence", name="s", impact=EMPTY, diff=DIFF), False),
        (Update(kind="Sequence", name="s", impact=None, diff=DIFF), False),
        (replace("drain", BUSY), False),
        (replace("stop", BUSY), True),
        (replace("stop", EMPTY), False),
        (replace("start", PENDING), True),
        (replace("hold", PENDING), True),
        (replace(None, BUSY), False),
        (Disable(kind="Sequence", name="s", impact=PAUSED), True),
        (Disable(kind="Sequence", name="s", impact=PENDING), True),
        (Disable(kind="Sequence", name="s", impact=EMPTY), False),
        (Delete(kind="Sequence", name="s", impact=BUSY), True),
        (Create(kind="Sequence", name="s", impact=BUSY), False),
        (Enable(kind="Sequence", name="s", impact=PENDING), True),
        (Enable(kind="Sequence", name="s", impact=PAUSED), True),
        (Enable(kind="Sequence", name="s", impact=EMPTY), False),
        (Adopt(kind="Sequence", name="s", impact=BUSY), False),
        (Adopt(kind="Sequence", name="s", impact=BUSY, diff=DIFF), True),
        (Adopt(kind="Sequence", name="s", impact=BUSY, diff=COSMETIC), False),
        (Update(kind="Template", name="t", impact=BUSY, diff=SUBJECT), True),
        (Update(kind="Template", name="t", impact=BUSY, diff=COSMETIC[:1]), False),
        (Update(kind="Ruleset", name="r", impact=PAUSED, diff=UNSUBSCRIBE), True),
        (Update(kind="Ruleset", name="r", impact=PAUSED, diff=ADDS_ONLY), False),
        (Adopt(kind="Template", name="t", impact=BUSY, diff=DIFF), True),
        (Adopt(kind="Template", name="t", impact=BUSY), False),
        (Update(kind="Template", name="t", impact=PENDING, diff=SUBJECT), False),
        (Disable(kind="Template", name="t", impact=BUSY), False),
        (Delete(kind="Template", name="t", impact=BUSY), False),
        (Update(kind="AutomationRule", name="r", impact=BUSY, diff=DIFF), False),
    ],
)
def test_what_reaches_prospects_already_in_a_sequence(change, disruptive):
    assert change.disruptive is disruptive


# --- text and identity ------------------------------------------------------------------


def test_a_change_names_its_action_kind_name_and_live_id():
    assert (
        str(Update(kind="Sequence", name="s", existing=a_sequence(7))) == "update Sequence/s (id 7)"
    )
    assert str(Create(kind="Template", name="t")) == "create Template/t"
    assert str(Disable(kind="Sequence", name="s", existing=a_sequence(0))) == (
        "disable Sequence/s (id 0)"
    )


def test_id_and_planned_updated_at_come_from_the_live_object():
    change = Update(kind="Sequence", name="s", existing=live(seq("s", []), 3, updated="t9"))
    assert (change.id, change.planned_updated_at) == (3, "t9")
    assert (
        Create(kind="Sequence", name="s").id,
        Create(kind="Sequence", name="s").planned_updated_at,
    ) == (None, None)


# --- the saved form ---------------------------------------------------------------------


def test_an_update_is_saved_with_every_field_the_executor_needs():
    desired = seq("s", [CALL], displayName="S", enabled=True)
    step = LiveStep(id=701, order=1, template_id=5)
    change = Update(
        kind="Sequence",
        name="s",
        desired=desired,
        existing=a_sequence(7),
        diff=DIFF,
        impact=Impact(active=2, paused=1),
        warnings=["w"],
        reason="why",
        requires=["--force"],
        write_attributes=False,
        steps=[StepWrite(1, step), StepWrite(2)],
    )
    doc = change.to_json()
    assert list(doc)[:9] == SAVED_FIRST
    assert doc["action"] == "update" and (doc["kind"], doc["name"], doc["id"]) == (
        "Sequence",
        "s",
        7,
    )
    assert doc["diff"] == [{"path": "steps[0].wait", "old": 86400, "new": 3600}]
    assert doc["impact"] == {"active": 2, "paused": 1}
    assert (doc["warnings"], doc["requires"], doc["reason"]) == (["w"], ["--force"], "why")
    assert doc["updated_at"] == "t0" and "lint" not in doc
    assert doc["desired"]["metadata"]["name"] == "s"
    assert None not in doc["desired"]["spec"].values()  # unset fields are left out
    assert doc["desired"]["spec"]["displayName"] == "S"
    assert doc["live"]["owner"] == "s" and doc["live"]["resource"]["kind"] == "Sequence"
    assert [s["id"] for s in doc["live"]["steps"]] == [700, 701]
    assert doc["write_attributes"] is False
    assert doc["steps"][0] == {
        "order": 1,
        "op": "update",
        "live": {
            "id": 701,
            "order": 1,
            "updated_at": None,
            "sequence_template_id": None,
            "template_id": 5,
            "extra_sequence_template_ids": [],
            "extra_template_ids": [],
            "unreadable_template_ids": [],
        },
    }
    assert doc["steps"][1] == {"order": 2, "op": "create", "live": None}
    back = again(change)
    assert type(back) is Update and back.to_json() == doc
    assert back.steps == change.steps and back.existing == change.existing
    assert back.desired == desired and back.diff == DIFF
    assert back.write_attributes is False
    assert back.requires == ["--force"]


def test_lint_findings_are_saved_only_when_there_are_some():
    change = Create(kind="Template", name="t", lint=[{"rule": "r", "message": "m"}])
    assert change.to_json()["lint"] == [{"rule": "r", "message": "m"}]
    assert again(change).lint == [{"rule": "r", "message": "m"}]
    assert "lint" not in Create(kind="Template", name="t").to_json()


def test_a_create_has_no_live_side():
    desired = res("Template", "t", {"subject": "hi"})
    doc = Create(kind="Template", name="t", desired=desired).to_json()
    assert (doc["id"], doc["live"], doc["updated_at"], doc["impact"]) == (None, None, None, None)
    assert set(doc) == {*SAVED_FIRST, "updated_at", "desired", "live"}
    back = again(Create(kind="Template", name="t", desired=desired))
    assert type(back) is Create and back.existing is None and back.desired == desired
    assert back.warnings == [] and back.reason is None and back.impact is None


def test_a_replace_keeps_its_new_name_and_whether_to_enable_it():
    change = Replace(
        kind="Sequence", name="s", existing=a_sequence(), new_display_name="S (v2)", enable_new=True
    )
    doc = change.to_json()
    assert (doc["new_display_name"], doc["enable_new"]) == ("S (v2)", True)
    back = again(change)
    assert type(back) is Replace
    assert (back.new_display_name, back.enable_new) == ("S (v2)", True)
    assert again(Replace(kind="Sequence", name="s", new_display_name="S (v3)")).enable_new is False


def test_a_disable_keeps_how_it_retires():
    change = Disable(
        kind="Sequence",
        name="s",
        existing=a_sequence(9),
        retire_as="s--retired",
        twin_of=4,
        old_version=True,
    )
    doc = change.to_json()
    assert (doc["retire_as"], doc["twin_of"], doc["old_version"]) == ("s--retired", 4, True)
    back = again(change)
    assert type(back) is Disable
    assert (back.retire_as, back.twin_of, back.old_version, back.rank) == ("s--retired", 4, True, 6)
    plain = again(Disable(kind="Sequence", name="s", existing=a_sequence(9)))
    assert (plain.retire_as, plain.twin_of, plain.old_version, plain.rank) == (None, None, False, 2)


@pytest.mark.parametrize("cls", [Create, Update, Adopt, Enable, Disable, Delete])
def test_every_action_comes_back_as_its_own_type(cls):
    change = cls(kind="Sequence", name="s", existing=a_sequence())
    back = again(change)
    assert type(back) is cls and back.action == change.action == back.to_json()["action"]
    assert back.to_json() == change.to_json()


def test_an_adopt_keeps_its_step_writes():
    change = Adopt(kind="Sequence", name="s", existing=a_sequence(owner=None), steps=[StepWrite(3)])
    back = again(change)
    assert type(back) is Adopt and back.steps == [StepWrite(3)] and back.existing.owner is None


def test_the_impact_saves_pending_and_carriers_only_when_present():
    carriers = (SequenceImpact(1, "A", active=2), SequenceImpact(2, "B", paused=3))
    full = Update(kind="Template", name="t", impact=Impact(2, 3, 4, carriers))
    assert full.to_json()["impact"] == {
        "active": 2,
        "paused": 3,
        "pending": 4,
        "sequences": [
            {"id": 1, "name": "A", "active": 2, "paused": 0},
            {"id": 2, "name": "B", "active": 0, "paused": 3},
        ],
    }
    assert again(full).impact == Impact(2, 3, 4, carriers)
    bare = Update(kind="Sequence", name="s", impact=Impact(active=1))
    assert bare.to_json()["impact"] == {"active": 1, "paused": 0}
    assert again(bare).impact == Impact(active=1)
    assert again(Update(kind="Sequence", name="s", impact=Impact())).impact == Impact()


def test_a_saved_change_without_optional_fields_reads_with_defaults():
    minimal = {"action": "enable", "kind": "Sequence", "name": "s"}
    back = change_from_json(minimal)
    assert type(back) is Enable and (back.kind, back.name) == ("Sequence", "s")
    assert (back.existing, back.desired, back.impact, back.reason) == (None, None, None, None)
    assert (back.diff, back.warnings) == ([], [])
    no_id = {**a_sequence_doc(), "id": None}
    assert change_from_json(no_id).existing is None


def a_sequence_doc() -> dict:
    return Update(kind="Sequence", name="s", existing=a_sequence(7)).to_json()


def test_the_live_side_comes_back_with_its_id_updated_at_owner_and_steps():
    doc = a_sequence_doc()
    doc["updated_at"] = "t5"
    back = change_from_json(doc)
    assert (back.existing.id, back.existing.updated_at, back.existing.owner) == (7, "t5", "s")
    assert [(s.id, s.order) for s in back.existing.steps] == [(700, 1), (701, 2)]
    assert back.existing.resource == a_sequence().resource
    del doc["live"]["owner"], doc["live"]["steps"]
    bare = change_from_json(doc)
    assert bare.existing.owner is None and bare.existing.steps == []


def test_an_automation_rule_drift_keeps_its_coefficy_data():
    drift = [{"path": "a", "actions": [9, 3]}, {"path": "b", "actions": [3, 1]}, {"path": "c"}]
    change = RuleDrift(
        kind="AutomationRule", name="r", sequence_id=70, actions_checked=4, drift=drift
    )
    assert change.id == 70 and change.drifted_actions == [1, 3, 9]
    doc = change.to_json()
    assert (doc["sequence_id"], doc["actions_checked"], doc["drift"]) == (70, 4, drift)
    assert doc["action"] == "update" and doc["id"] == 70
    back = again(change)
    assert type(back) is RuleDrift and (back.sequence_id, back.actions_checked) == (70, 4)
    assert back.drift == drift
    assert RuleDrift(kind="AutomationRule", name="r", sequence_id=1).drifted_actions == []


def test_a_date_sequence_is_saved_as_plain_json():
    dated = seq("d", [{"type": "call", "date": "2024-05-01"}], sequenceType="date")
    change = Update(kind="Sequence", name="d", desired=dated, existing=live(dated, 3))
    doc = json.loads(json.dumps(change.to_json()))
    assert doc["desired"]["spec"]["steps"][0]["date"] == "2024-05-01"
    assert doc["live"]["resource"]["spec"]["steps"][0]["date"] == "2024-05-01"
    assert change_from_json(doc).desired == dated


def test_changes_with_the_same_order_keep_the_order_they_were_planned_in():
    first = Disable(kind="Sequence", name="s", twin_of=1, existing=a_sequence(8))
    second = Disable(kind="Sequence", name="s", twin_of=1, existing=a_sequence(9))
    assert not first < second and not second < first
    assert [c.id for c in sorted([first, second])] == [8, 9]
    assert [c.id for c in Plan("t", [second, first]).changes] == [9, 8]
