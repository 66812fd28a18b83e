"""What `plan` refuses before any write (`seqops.plan.account_checks`): the exact message of each
problem, where it points in the manifest, how the lines are ordered and summed up, and the
version name a replace would push over the API's display name limit."""

from __future__ import annotations

import pytest

from seqops.plan.account_checks import (
    AccountCheckError,
    AccountProblem,
    account_problems,
    name_limit,
    replace_problems,
    unknown,
)
from seqops.plan.planner import draft_plan
from seqops.providers.base import LiveState

from .test_account_checks import STATE, res
from .test_planner import CALL, TASK, live, seq


def messages(resources, state=STATE) -> list[tuple[str, str, tuple, str]]:
    return [(p.kind, p.name, p.path, p.message) for p in account_problems(resources, state)]


def test_an_unknown_owner_names_the_accounts_users():
    sequence = res("Sequence", "s", {"owner": "eve@acme.test", "steps": [CALL]})
    [problem] = account_problems([sequence], STATE)
    assert str(problem) == (
        "Sequence/s: unknown owner 'eve@acme.test' (account has: ann@acme.test, bob@acme.test)"
    )
    assert problem.path == ("spec", "owner")


def test_unknown_stages_and_priorities_of_a_ruleset_each_have_their_field():
    rules = res("Ruleset", "r", {"repliedStage": "Repli", "callTaskPriorityFromOpens": "hihg"})
    assert messages([rules]) == [
        (
            "Ruleset",
            "r",
            ("spec", "repliedStage"),
            "unknown stage 'Repli' (account has: Cold, Replied; did you mean 'Replied'?)",
        ),
        (
            "Ruleset",
            "r",
            ("spec", "callTaskPriorityFromOpens"),
            "unknown task priority 'hihg' (account has: high, medium, low; did you mean 'high'?)",
        ),
    ]


def test_a_step_priority_is_checked_at_its_step():
    steps = [CALL, {"type": "task", "priority": "high"}, {"type": "task", "priority": "mid"}]
    [problem] = account_problems([res("Sequence", "s", {"steps": steps})], STATE)
    assert problem.path == ("spec", "steps", 2, "priority")
    assert problem.message.startswith("unknown task priority 'mid' (account has: high, ")


def test_every_resource_is_checked_and_absent_ones_skipped():
    bad = {"owner": "eve@acme.test", "steps": [CALL]}
    resources = [
        res("Sequence", "gone", bad, state="absent"),
        res("Sequence", "a", bad),
        res("Sequence", "b", bad),
    ]
    assert [p.name for p in account_problems(resources, STATE)] == ["a", "b"]


def test_an_account_without_names_says_none():
    sequence = res("Sequence", "s", {"owner": "ann@acme.test", "steps": [CALL]})
    assert messages([sequence], LiveState()) == [
        ("Sequence", "s", ("spec", "owner"), "unknown owner 'ann@acme.test' (account has: none)")
    ]


def test_owners_need_a_closer_match_than_other_names_to_be_suggested():
    users = ["ann@acme.test"]
    assert "did you mean" not in unknown("owner", "eve@acme.test", users)
    assert unknown("stage", "eve@acme.test", users).endswith("did you mean 'ann@acme.test'?)")
    assert unknown("owner", "ann@acme.tst", users).endswith("did you mean 'ann@acme.test'?)")
    assert unknown("stage", "Cold", ["cold"]) == (
        "unknown stage 'Cold' (account has: cold; did you mean 'cold'?)"
    )


@pytest.mark.parametrize(("count", "cut"), [(8, False), (9, True)])
def test_the_names_listed_stop_at_eight(count, cut):
    known = [f"p{i}" for i in range(count)]
    text = unknown("task priority", "zzz", known)
    listed = ", ".join(known[:8]) + (f", … ({count} in all)" if cut else "")
    assert text == f"unknown task priority 'zzz' (account has: {listed})"


def test_integers_over_the_api_range_name_their_unit():
    sequence = res(
        "Sequence",
        "s",
        {
            "throttleCapacity": 2**31,
            "maxActivations": 2**31 - 1,
            "primaryReplyPauseDuration": "4000w",
            "steps": [CALL, {"type": "call", "wait": "4000w"}],
        },
    )
    rules = res("Ruleset", "r", {"applyCompletedStageIn": "4000w"})
    over = "is over the API's largest integer 2147483647"
    assert sorted(messages([sequence, rules])) == [
        ("Ruleset", "r", ("spec", "applyCompletedStageIn"), f"2419200000 seconds {over}"),
        ("Sequence", "s", ("spec", "primaryReplyPauseDuration"), f"2419200000 seconds {over}"),
        ("Sequence", "s", ("spec", "steps", 1, "wait"), f"2419200000 seconds {over}"),
        ("Sequence", "s", ("spec", "throttleCapacity"), f"2147483648 {over}"),
    ]


def test_the_display_name_limits_are_the_models():
    assert (name_limit("Sequence"), name_limit("Template"), name_limit("Ruleset")) == (
        255,
        225,
        255,
    )
    assert name_limit("AutomationRule") is None and name_limit("Nothing") is None


def replace_of(display_name: str):
    old = live(seq("s", [CALL, TASK], displayName=display_name), 1)
    plan = draft_plan([seq("s", [TASK], displayName=display_name)], LiveState(objects=[old]), "t")
    return plan.changes


def test_a_replace_whose_version_name_is_too_long_is_refused_with_the_length_to_fit():
    name = "x" * 250 + "abcde"
    [problem] = replace_problems(replace_of(name))
    assert (problem.kind, problem.name, problem.path) == ("Sequence", "s", ("spec", "displayName"))
    assert problem.message == (
        "a replace names the new version '…xxabcde (v2)', 270 characters once it drains in "
        "turn ('… (v2, retiring)'): over the API's limit of 255; shorten displayName to 240 "
        "characters or fewer"
    )


def test_a_replace_whose_longest_version_name_fits_is_not_refused():
    """The longest name the new version can get is `… (v2, retiring)`: 15 more characters."""
    assert replace_problems(replace_of("x" * 240)) == []
    assert replace_problems(replace_of("x" * 241)) != []


def problem(name: str, message: str = "bad") -> AccountProblem:
    return AccountProblem("Sequence", name, ("spec", "owner"), message)


def test_located_lines_are_sorted_by_file_and_line_and_unplaced_ones_first():
    places = {"b": ("b.yaml", 3, 5), "a": ("b.yaml", 12, 1), "c": ("a.yaml", 40, 2)}
    seen = []

    def locate(kind, name, path):
        seen.append((kind, name, path))
        return places.get(name)

    error = AccountCheckError([problem(n) for n in ("a", "b", "c", "d")])
    assert error.located(locate) == [
        "Sequence/d: bad",
        "a.yaml:40:2: Sequence/c: bad",
        "b.yaml:3:5: Sequence/b: bad",
        "b.yaml:12:1: Sequence/a: bad",
    ]
    assert seen[0] == ("Sequence", "a", ("spec", "owner"))
    assert error.located(None) == [f"Sequence/{n}: bad" for n in "abcd"]
    assert str(error) == "\n".join(f"Sequence/{n}: bad" for n in "abcd")


def test_the_summary_counts_the_problems():
    assert AccountCheckError([problem("a")]).summary == (
        "1 value the account would refuse: fix the manifests (nothing was written)"
    )
    assert AccountCheckError([problem("a"), problem("b")]).summary.startswith(
        "2 values the account would refuse: "
    )
