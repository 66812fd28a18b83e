"""What each live step achieved, next to what the plan does to it: a reviewer weighs a step's
results before retiming or removing it. The figures read the same in every format, with a
step that only counted opens and replies said without a delivered count."""

from __future__ import annotations

from seqops.providers.base import LiveObject, LiveStep, Results
from seqops.render import HtmlRenderer, MarkdownRenderer, TextRenderer

from .test_markdown import live, plan_of, res
from .test_reader_reads import CALL, INTRO, TASK, reading, section

SENT = "1,000 delivered, 30.0 % opened, 2.0 % replied"
OPENED = "5 opened, 1 replied"


def retimed():
    """The first email waits an hour, the call after it (which has results) is removed."""
    old = res(
        "Sequence", "s", {"displayName": "S", "steps": [INTRO, {**CALL, "note": "Ring"}, TASK]}
    )
    new = res("Sequence", "s", {"displayName": "S", "steps": [{**INTRO, "wait": "1h"}, TASK]})
    intro = res("Template", "intro", {"displayName": "Intro email", "subject": "Hi"})
    counted = [
        LiveStep(1, 1, results=Results(delivered=1000, opened=300, replied=20)),
        LiveStep(2, 2, results=Results(opened=5, replied=1)),
        LiveStep(3, 3),
    ]
    return plan_of([intro, new], [live(intro, 2), LiveObject(old, 1, "t0", "s", counted)])


def test_the_pr_comment_puts_each_steps_results_on_its_line_and_in_its_row():
    lines = section(MarkdownRenderer().render(retimed()), "Sequence/s")
    start = lines.index(
        "| Step | Day | Wait | Type | Template | Details | Results so far | Change |"
    )
    assert lines[start - 5 :] == [
        f"- ✏️ step 1 · Automatic email “Intro email”: wait 0 → **1h** — 📊 {SENT} so far",
        "- 🗑️ step 2 · Call “Ring” removed (wait 2d, priority high); step 3 moves up one (now "
        f"step 2) — 📊 {OPENED} so far",
        "- ⏩ step 1 fires 1h later",
        "- ⏩ step 2 fires 1d 23h earlier",
        "",
        "| Step | Day | Wait | Type | Template | Details | Results so far | Change |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| 1 | 1 | 0 → **1h** | Automatic email | Intro email <sub>intro</sub> |  | {SENT} | "
        "✏️ changed<br>⏩ fires 1h later |",
        f"| 2 | ~~3~~ | ~~2d~~ | ~~Call~~ |  | ~~Priority: high<br>Note: Ring~~ | {OPENED} | "
        "🗑️ removed |",
        "| 3 → **2** | 4 → **2** | 1d | Task |  | Note: Connect on LinkedIn |  | ⬆️ up 1<br>⏩ "
        "fires 1d 23h earlier |",
        "",
    ]


def test_the_terminal_says_each_steps_results_under_it():
    lines = TextRenderer().render(retimed()).splitlines()
    start = lines.index(
        "    [yellow]~ step 1 · Automatic email “Intro email”: wait 0 → 1h[/yellow]"
    )
    assert lines[start : start + 6] == [
        "    [yellow]~ step 1 · Automatic email “Intro email”: wait 0 → 1h[/yellow]",
        f"        [dim]results so far: {SENT}[/dim]",
        "    [red]- step 2 · Call “Ring” removed (wait 2d, priority high); step 3 moves up one "
        "(now step 2)[/red]",
        f"        [dim]results so far: {OPENED}[/dim]",
        "    [cyan]⏩ step 1 fires 1h later[/cyan]",
        "    [cyan]⏩ step 2 fires 1d 23h earlier[/cyan]",
    ]


def test_the_html_review_has_a_results_column_beside_each_row():
    lines = reading(HtmlRenderer().render(retimed()))
    start = lines.index("Step | Day | Wait | Type | Template | Details | Results so far | Change")
    assert lines[start + 1 : start + 4] == [
        f"1 | 1 | 0 → 1h | Automatic email | Intro email intro |  | {SENT} | ✏️ changed / ⏩ "
        "fires 1h later",
        f"2 | 3 | 2d | Call |  | Priority: high / Note: Ring | {OPENED} | 🗑️ removed",
        "3 → 2 | 4 → 2 | 1d | Task |  | Note: Connect on LinkedIn |  | ⬆️ up 1 / ⏩ fires 1d 23h "
        "earlier",
    ]
