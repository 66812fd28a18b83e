"""The names a manifest refers to (`references.names_in`) and the ids a plan keeps for them
(`references.referenced`): every table a write resolves, and nothing the changes do not name."""

from __future__ import annotations

from seqops.plan.changes import Create, Delete, Update
from seqops.plan.references import names_in, referenced
from seqops.providers.base import Ids

from .test_planner import res, seq

RULES = {
    "bouncedStage": "Bounced",
    "completedStage": "Done",
    "deliveredStage": "Delivered",
    "finishedStage": "Finished",
    "optedOutStage": "Out",
    "repliedStage": "Replied",
    "startedStage": "Started",
    "callTaskPriority": "High",
    "callTaskPriorityFromClicks": "Medium",
    "callTaskPriorityFromOpens": "Low",
}


def test_a_sequence_names_its_owner_ruleset_templates_and_priorities():
    steps = [
        {"type": "auto_email", "template": "intro"},
        {"type": "auto_email", "templates": ["b-one", "b-two"]},
        {"type": "call", "priority": "High"},
        {"type": "task", "note": "x"},
    ]
    s = seq("s", steps, owner="ann@example.com", ruleset="r")
    assert list(names_in(s)) == [
        ("users", "ann@example.com"),
        ("rulesets", "r"),
        ("templates", "intro"),
        ("templates", "b-one"),
        ("templates", "b-two"),
        ("task_priorities", "High"),
    ]


def test_a_bare_sequence_names_nothing():
    assert list(names_in(seq("s", [{"type": "call"}]))) == []


def test_a_ruleset_names_every_stage_and_priority_it_sets():
    got = list(names_in(res("Ruleset", "r", RULES)))
    assert got == [
        ("stages", "Bounced"),
        ("stages", "Done"),
        ("stages", "Delivered"),
        ("stages", "Finished"),
        ("stages", "Out"),
        ("stages", "Replied"),
        ("stages", "Started"),
        ("task_priorities", "High"),
        ("task_priorities", "Medium"),
        ("task_priorities", "Low"),
    ]
    assert list(names_in(res("Ruleset", "r", {"repliedStage": "Replied"}))) == [
        ("stages", "Replied")
    ]


def test_templates_and_nothing_name_nothing():
    assert list(names_in(res("Template", "t", {"subject": "s"}))) == []
    assert list(names_in(None)) == []


def account() -> Ids:
    return Ids(
        templates={"intro": 1, "unused": 2},
        rulesets={"r": 3, "other": 4},
        users={"ann@example.com": 5, "bob@example.com": 6},
        stages={"Replied": 7, "Lost": 8},
        task_priorities={"High": 9, "Low": 10},
    )


def test_only_the_ids_the_desired_side_names_are_kept():
    s = seq(
        "s",
        [{"type": "auto_email", "template": "intro"}, {"type": "call", "priority": "High"}],
        owner="ann@example.com",
        ruleset="r",
    )
    changes = [
        Update(kind="Sequence", name="s", desired=s),
        Create(
            kind="Ruleset", name="r2", desired=res("Ruleset", "r2", {"repliedStage": "Replied"})
        ),
        Delete(kind="Template", name="unused"),
    ]
    assert referenced(account(), changes) == Ids(
        templates={"intro": 1},
        rulesets={"r": 3},
        users={"ann@example.com": 5},
        stages={"Replied": 7},
        task_priorities={"High": 9},
    )


def test_a_name_the_account_lacks_is_left_for_the_executor_to_add():
    s = seq("s", [{"type": "auto_email", "template": "new"}], ruleset="new-r")
    assert referenced(account(), [Create(kind="Sequence", name="s", desired=s)]) == Ids()
    assert referenced(account(), []) == Ids()
