"""The collapsed title of each change (the PR comment's `<summary>`, the HTML review's line
under each heading): what changes in a few words, a short value before and after, a long or
unset one by its name only, the first four things and how many more."""

from __future__ import annotations

import pytest

from seqops.render import HtmlRenderer, MarkdownRenderer

from .test_markdown import live, plan_of, res
from .test_reader_reads import reading

CALL = {"type": "call", "wait": "2d", "note": "Ring them"}


def title_of(old: dict, new: dict, old_steps=None, new_steps=None) -> str:
    """The PR comment's title of one sequence change, after the sequence's name; checked to
    read the same in the HTML review."""
    before = res("Sequence", "s", {"displayName": "S", "steps": old_steps or [CALL], **old})
    after = res("Sequence", "s", {"displayName": "S", "steps": new_steps or [CALL], **new})
    plan = plan_of([after], [live(before, 1)])
    md = MarkdownRenderer().render(plan)
    [line] = [x for x in md.splitlines() if x.startswith("<summary>") and "Sequence/s" in x]
    what = line.removesuffix("</summary>").split("“S”: ", 1)[1]
    lines = reading(HtmlRenderer().render(plan))
    assert lines[lines.index(next(x for x in lines if "Sequence/s" in x)) + 1] == what
    return what


@pytest.mark.parametrize(
    ("old", "new", "title"),
    [
        ({"shareType": "private"}, {"shareType": "shared"}, "shared with only the owner → everyone"),
        ({"primaryReplyPauseDuration": "1d"}, {"primaryReplyPauseDuration": "2d"},
         "pause after the prospect replies 1d → 2d"),
        # 24 characters of values at most: "Warm" and "Cold leads from fair" are 24
        ({"description": "Warm"}, {"description": "Cold leads from fair"},
         "description Warm → Cold leads from fair"),
        ({"description": "Warm"}, {"description": "Cold leads from fairs"}, "description"),
        ({}, {"description": "Warm"}, "description"),  # newly set: no "None → Warm"
        ({"tags": ["a"]}, {"tags": ["a", "b"]}, "tags"),  # a list: its name only
    ],
)  # fmt: skip
def test_a_setting_is_titled_with_its_short_values_or_its_name_alone(old, new, title):
    assert title_of(old, new) == title


def test_more_than_four_things_are_counted_after_the_first_four():
    new = {"description": "x", "tags": ["q"], "shareType": "shared", "throttleCapacity": 20}
    new["throttleMaxAddsPerDay"] = 5
    assert title_of({"throttleCapacity": 10}, new) == (
        "description, shared with, tags, most active prospects per user 10 → 20, 1 more"
    )
    del new["throttleMaxAddsPerDay"]
    assert title_of({"throttleCapacity": 10}, new) == (
        "description, shared with, tags, most active prospects per user 10 → 20"
    )


def test_a_step_is_titled_by_what_changes_in_it():
    long = "Ask how they forecast today, which tools they use and who signs off on a purchase."
    assert title_of({}, {}, [CALL], [{**CALL, "note": long}]) == "step 1 note"
    assert title_of({}, {}, [CALL], [{**CALL, "wait": "3d", "priority": "high"}]) == (
        "step 1 wait 2d → 3d, priority"
    )
