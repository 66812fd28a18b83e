"""Edges a reader relies on: the day a step fires when its wait is a second short of a day,
an email step's note said once (in its line, not again as a block), what an email hides
(a template element, a style inside it) never read as its words, a removed word before a
paragraph break, and a value in a Markdown table cell written as YAML would write it."""

from __future__ import annotations

from seqops.render import MarkdownRenderer, TextRenderer
from seqops.render.markdown import cell
from seqops.render.mdtext import change

from .test_body_words import quoted
from .test_markdown import live, plan_of, res

LONG = "Reference the intro email and ask how they build their forecast today, in detail."


def test_a_step_a_second_short_of_a_day_fires_on_the_day_of_enrolment():
    steps = [{"type": "call", "wait": 86399}, {"type": "call", "wait": 1}]
    md = MarkdownRenderer().render(plan_of([res("Sequence", "s", {"steps": steps})], []))
    assert "| 1 | 1 | 23h 59m 59s | Call |  |  | 🆕 added |" in md.splitlines()
    assert "| 2 | 2 | 1s | Call |  |  | 🆕 added |" in md.splitlines()


def test_a_removed_email_steps_note_is_said_in_its_line_only():
    """A call's or task's long note is printed whole below its line; an email step's note is
    part of its settings (the email is what it sends), said once."""
    email = {"type": "manual_email", "wait": "0", "template": "intro", "note": LONG}
    call = {"type": "call", "wait": "1d"}
    old = res("Sequence", "s", {"steps": [email, call]})
    new = res("Sequence", "s", {"steps": [call]})
    intro = res("Template", "intro", {"subject": "Hi"})
    lines = (
        TextRenderer().render(plan_of([intro, new], [live(intro, 2), live(old, 1)])).splitlines()
    )
    removed = [line for line in lines if "removed" in line and "[red]" in line]
    assert removed == [
        f"    [red]- step 1 · Manual email “intro” removed (wait 0, note {LONG}); step 2 moves up "
        "one (now step 1)[/red]"
    ]
    assert not [line for line in lines if "Note" in line]


def test_what_an_email_hides_is_never_read_as_its_words():
    hidden = "<template><style>p{}</style>Draft to self</template><p>Hi there</p>"
    assert quoted(None, hidden)[2:] == ["> Hi there"]


def test_a_word_removed_where_a_paragraph_now_breaks_is_struck_in_the_first():
    lines = quoted("<p>A B C</p>", "<p>A</p><p>C</p>")[2:]
    assert [line.rstrip() for line in lines] == ["> A <del>B</del>", ">", "> C"]


def test_a_table_cell_writes_a_value_as_yaml_would_and_a_change_as_old_then_new():
    assert [cell(v) for v in (True, False, None, "a|b *c*", ["x", "y"], 3, {"a": 1})] == [
        "true",
        "false",
        "—",
        "'a\\|b \\*c\\*'",
        "x, y",
        "3",
        "{a: 1}",
    ]
    assert [change(None, "x"), change("a", None), change("a", "b"), change("a", "a")] == [
        "x",
        "~~a~~",
        "a → **b**",
        "a",
    ]


def test_a_template_named_with_a_dash_and_an_added_steps_long_note_read_whole():
    """Bug: the steps table dropped every `—` from a template's name (`Q3  Intro`)."""
    intro = res("Template", "intro", {"displayName": "Q3 — Intro", "subject": "Hi"})
    first = {"type": "call", "wait": "0"}
    task = {"type": "task", "wait": "1d", "note": "Connect"}
    email = {"type": "auto_email", "wait": "1d", "template": "intro"}
    old = res("Sequence", "s", {"steps": [first, task, email]})
    new = res(
        "Sequence", "s", {"steps": [first, email, {"type": "call", "wait": "1d", "note": LONG}]}
    )
    lines = (
        MarkdownRenderer()
        .render(plan_of([intro, new], [live(intro, 2), live(old, 1)]))
        .splitlines()
    )
    assert (
        "| 3 → **2** | 3 → **2** | 1d | Automatic email | Q3 — Intro <sub>intro</sub> |  | "
        "⬆️ up 1<br>⏩ fires 1d earlier |"
    ) in lines
    start = lines.index("**Step 3: note** (inserted)")
    assert lines[start : start + 5] == [
        "**Step 3: note** (inserted)",
        "",
        "```diff",
        f"+{LONG}",
        "```",
    ]
