"""Blocks of the PR comment: a sequence that changes type (steps after waits -> steps on dates)
gets two charts, each on its own axis (days after enrolment before, calendar dates after: one
shared axis would put the interval steps on 1970's dates); a change's warnings, one a line."""

from __future__ import annotations

import re

from seqops.render import MarkdownRenderer

from .test_markdown import EMAIL, TEMPLATES, live, plan_of, res

CALL = {"type": "call", "wait": "2d", "note": "Ring"}


def retyped():
    old = res("Sequence", "launch", {"displayName": "Launch", "steps": [EMAIL, CALL]})
    dated = [
        {"type": "auto_email", "template": "intro", "date": "2030-03-02"},
        {"type": "call", "date": "2030-03-04", "note": "Ring"},
    ]
    new = res(
        "Sequence", "launch", {"displayName": "Launch", "sequenceType": "date", "steps": dated}
    )
    return plan_of([TEMPLATES[0], new], [live(TEMPLATES[0], 5), live(old, 1)])


def charts(md: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", md, re.S)


def test_a_sequence_that_changes_type_is_charted_before_in_days_and_after_in_dates():
    before, after = charts(MarkdownRenderer().render(retyped()))
    assert before.splitlines()[:4] == [
        "gantt",
        "    title Launch (Before)",
        "    dateFormat x",
        "    axisFormat %Q",
    ]
    assert after.splitlines()[:4] == [
        "gantt",
        "    title Launch (After)",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %b %d",
    ]
    assert "2030-03-02" in after and "2030-03-04" in after and "2030" not in before


def test_each_warning_of_a_change_is_its_own_line_in_the_pr_comment():
    from seqops.plan.changes import RuleDrift
    from seqops.plan.diff import FieldDiff
    from seqops.plan.plan import Plan

    rule = res("AutomationRule", "prospection", {"sequence": 700})
    drift = RuleDrift(
        kind="AutomationRule",
        name="prospection",
        desired=rule,
        sequence_id=700,
        actions_checked=4,
        diff=[FieldDiff("onSuccess.relaunch.delay", 3, 5)],
        warnings=["2 of 4 running actions differ", "read-only: fix it in Coefficy"],
    )
    md = MarkdownRenderer().render(Plan("coefficy", [drift], target_description="cf"))
    lines = md.splitlines()
    at = lines.index("- ⚠️ 2 of 4 running actions differ")
    assert lines[at + 1] == "- ⚠️ read-only: fix it in Coefficy"
