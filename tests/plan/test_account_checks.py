"""Account-defined names and API limits checked against a hand-built live state."""

from __future__ import annotations

from seqops.manifest.models import manifest_adapter
from seqops.plan.account_checks import account_problems, unknown
from seqops.providers.base import LiveState

STATE = LiveState(
    users={"ann@acme.test": 1, "bob@acme.test": 2},
    stages={"Cold": 1, "Replied": 2},
    task_priorities={"high": 1, "medium": 2, "low": 3},
)


def res(kind: str, name: str, spec: dict, **top):
    data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}
    return manifest_adapter.validate_python({**data, **top})


def test_known_names_pass():
    seq = res(
        "Sequence", "s", {"owner": "bob@acme.test", "steps": [{"type": "call", "priority": "low"}]}
    )
    rules = res("Ruleset", "r", {"repliedStage": "Replied", "callTaskPriorityFromOpens": "high"})
    assert account_problems([seq, rules], STATE) == []


def test_each_unknown_name_has_its_path():
    seq = res(
        "Sequence",
        "s",
        {"owner": "eve@acme.test", "steps": [{"type": "call"}, {"type": "task", "priority": "p1"}]},
    )
    rules = res("Ruleset", "r", {"finishedStage": "Done", "callTaskPriorityFromClicks": "top"})
    found = {(p.kind, p.path) for p in account_problems([seq, rules], STATE)}
    assert found == {
        ("Sequence", ("spec", "owner")),
        ("Sequence", ("spec", "steps", 1, "priority")),
        ("Ruleset", ("spec", "finishedStage")),
        ("Ruleset", ("spec", "callTaskPriorityFromClicks")),
    }


def test_absent_resources_are_not_checked():
    seq = res("Sequence", "s", {"owner": "eve@acme.test"}, state="absent")
    assert account_problems([seq], STATE) == []


def test_suggestions_fold_case_and_long_lists_are_cut():
    assert unknown("task priority", "HIGH", ["high", "low"]).endswith("did you mean 'high'?)")
    assert "did you mean" not in unknown("task priority", "urgent", ["high", "medium", "low"])
    many = [f"user{i}@acme.test" for i in range(20)]
    text = unknown("owner", "x@y.test", many)
    assert "user7@acme.test, … (20 in all)" in text and "user8@" not in text


def test_integers_over_the_api_range():
    seq = res(
        "Sequence",
        "s",
        {"throttleCapacity": 2**31 - 1, "steps": [{"type": "call", "wait": "4000w"}]},
    )
    [problem] = account_problems([seq], STATE)
    assert problem.path == ("spec", "steps", 0, "wait")
    assert "2419200000 seconds is over" in problem.message
