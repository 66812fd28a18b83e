"""How the PR comment spends its character budget, to the character: whole while it fits,
then the largest sections folded one by one, only as many as needed, then (when even the
folded lines do not fit) the last ones left out and counted. A note says what was done."""

from __future__ import annotations

from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import LiveObject, LiveState
from seqops.render import MarkdownRenderer
from seqops.render.fold import NOTE_ROOM, size

from .test_markdown_limit import big_body, template

NOTE = (
    "> 📎 **This plan is too long for one GitHub comment**: {} to stay under GitHub's "
    "65,536-character limit. Run `seqops plan` or open the plan file (the CI artifact) for "
    "every diff."
)


def plan_of_sizes(paragraphs: list[int]):
    """One template update a size, each body rewritten: the sizes differ, the largest last."""
    desired, live = [], []
    for i, count in enumerate(paragraphs):
        desired.append(template(f"t-{i}", big_body(i, count) + "<p>v2</p>"))
        live.append(template(f"t-{i}", big_body(i, count)[::-1]))
    objects = [LiveObject(r, n + 1, "t0", r.name) for n, r in enumerate(live)]
    return finish(draft_plan(desired, LiveState(objects=objects), "sandbox"), {})


def folded_names(md: str) -> list[str]:
    """The templates whose section is folded, in the order the comment lists them."""
    out = []
    for part in md.split("<details>\n<summary>")[1:]:
        if part.split("</summary>", 1)[1].startswith("\n\n_Folded to fit the comment"):
            out.append(part.split("Template/", 1)[1].split("<", 1)[0])
    return out


def test_a_comment_that_fits_its_budget_is_whole_and_one_over_is_folded():
    plan = plan_of_sizes([4, 8])
    whole = MarkdownRenderer(budget=10**9).render(plan)
    # the budget counts the comment and the newline that ends it
    assert MarkdownRenderer(budget=size(whole) + 1).render(plan) == whole
    over = MarkdownRenderer(budget=size(whole) - 1).render(plan)
    assert folded_names(over) == ["t-1"] and size(over) < size(whole)


def test_only_the_largest_sections_fold_and_only_as_many_as_needed():
    plan = plan_of_sizes([12, 6, 30, 20])
    renderer = MarkdownRenderer(budget=10**9)
    whole = renderer.render(plan)
    saved = {
        c.name: size(renderer.section(c, plan.templates)) - size(renderer.folded(c))
        for c in plan.changes
    }
    # a note takes the room kept for it: folding t-2 alone must leave the rest within that
    just = size(whole) + 1 - saved["t-2"] + NOTE_ROOM
    md = MarkdownRenderer(budget=just).render(plan)
    assert folded_names(md) == ["t-2"]
    assert NOTE.format("1 of 4 sections were folded (largest first)") in md.splitlines()
    two = MarkdownRenderer(budget=just - 1).render(plan)
    assert folded_names(two) == ["t-2", "t-3"]  # the next largest, t-0 and t-1 stay whole
    assert NOTE.format("2 of 4 sections were folded (largest first)") in two.splitlines()
    assert "**Email body**" in two.split("Template/t-0</code>")[1].split("</details>")[0]


def test_when_even_the_folded_lines_do_not_fit_the_last_are_left_out_and_counted():
    plan = plan_of_sizes([3, 3, 3, 3, 3, 3])
    folded = MarkdownRenderer(budget=1_700).render(plan)
    note = NOTE.format("6 of 6 sections were folded (largest first)")
    assert folded_names(folded) == [f"t-{i}" for i in range(6)] and note in folded
    lines = size(folded) - size(note) - 2 + 1  # the comment less its note line
    assert MarkdownRenderer(budget=lines + NOTE_ROOM).render(plan) == folded
    short = MarkdownRenderer(budget=lines + NOTE_ROOM - 1).render(plan)
    assert folded_names(short) == [f"t-{i}" for i in range(5)]
    assert NOTE.format("6 of 6 sections were folded (largest first) and 1 left out") in short
    assert short.split("</details>\n\n")[-1].splitlines()[0] == (
        "_…and 1 more changes, not listed here: see the full plan._"
    )
    assert "| ✏️ update | 6 | changed in place |" in short  # the summary still counts them all
