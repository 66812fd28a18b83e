"""What a reader must see for every kind of step change, in the text plan, the PR comment and
the HTML review alike: a moved step is moved (never content added), an inserted one inserted, a
removed one removed, a changed one changed, and when steps fire is stated per step, the same in
all three. (The JSON plan's entries for each kind: tests/cli/test_plan_truth.py.)"""

from __future__ import annotations

import io

import html5lib
import pytest
from rich.console import Console

from seqops.plan.plan import Plan
from seqops.providers.base import Impact
from seqops.render import HtmlRenderer, MarkdownRenderer, TextRenderer

from .test_markdown import TEMPLATES, live, plan_of, res

LONG_NOTE = "Reference the intro email and ask how they build their forecast today, in detail."
INTRO = {"type": "auto_email", "wait": "0", "template": "intro"}
CALL = {"type": "call", "wait": "2d", "note": LONG_NOTE, "priority": "high"}
TASK = {"type": "task", "wait": "1d", "note": "Connect on LinkedIn"}
FOLLOW = {"type": "auto_email", "wait": "3d", "template": "follow-up"}
LAST = {"type": "call", "wait": "2d", "note": "Breakup call"}


def both(before: list[dict], after: list[dict]) -> tuple[str, str]:
    """The text plan (as printed, no colour) and the Markdown plan of one sequence change."""
    old = res("Sequence", "outbound", {"displayName": "Outbound", "steps": before})
    new = res("Sequence", "outbound", {"displayName": "Outbound", "steps": after})
    plan = plan_of([*TEMPLATES, new], [live(old, 1)], {1: Impact(active=3)})
    return printed(plan), MarkdownRenderer().render(plan)


def page(before: list[dict], after: list[dict]) -> str:
    """The HTML review's text of the same change, as a browser shows it (one line per item)."""
    old = res("Sequence", "outbound", {"displayName": "Outbound", "steps": before})
    new = res("Sequence", "outbound", {"displayName": "Outbound", "steps": after})
    plan = plan_of([*TEMPLATES, new], [live(old, 1)], {1: Impact(active=3)})
    tree = html5lib.parse(HtmlRenderer().render(plan), namespaceHTMLElements=False)
    return "\n".join(" ".join("".join(li.itertext()).split()) for li in tree.iter("li"))


def table_rows(before: list[dict], after: list[dict]) -> dict[str, str]:
    """The HTML review's steps table of the same change: step column -> the row as read."""
    old = res("Sequence", "outbound", {"displayName": "Outbound", "steps": before})
    new = res("Sequence", "outbound", {"displayName": "Outbound", "steps": after})
    plan = plan_of([*TEMPLATES, new], [live(old, 1)], {1: Impact(active=3)})
    tree = html5lib.parse(HtmlRenderer().render(plan), namespaceHTMLElements=False)
    cells = [[" ".join("".join(td.itertext()).split()) for td in tr] for tr in tree.iter("tr")]
    return {row[0]: " | ".join(row) for row in cells if row and row[0][:1].isdigit()}


def title(md: str) -> str:
    """The PR comment's collapsed title of the sequence change: what it changes, in brief."""
    [line] = [x for x in md.splitlines() if x.startswith("<summary>") and "Sequence/" in x]
    return line.split("“Outbound”: ")[1].split(" — ")[0]


def printed(plan: Plan) -> str:
    out = io.StringIO()
    Console(file=out, no_color=True, width=300).print(TextRenderer().render(plan))
    return out.getvalue()


def test_a_moved_step_is_shown_moved_never_as_its_note_added():
    html = page([INTRO, CALL, FOLLOW, LAST], [INTRO, FOLLOW, CALL, LAST])
    assert "step 3 · Call “Reference the intro" in html and "moved from step 2" in html
    assert "added" not in html and "inserted" not in html
    text, md = both([INTRO, CALL, FOLLOW, LAST], [INTRO, FOLLOW, CALL, LAST])
    moved = [line for line in text.splitlines() if "moved from step" in line]
    assert any(line.strip().startswith("↕ step 3 · Call “Reference the intro") for line in moved)
    assert "+ note" not in text and "+ Note" not in text and LONG_NOTE not in text
    assert "added" not in text.replace("(added)", "")
    assert "- ↕️ step 3 · Call “Reference the intro" in md
    assert "↕️ moved from step 2" in md  # the table says it too
    assert title(md) == "name Outbound → Outbound (v2), step 3 moved from step 2"
    assert "**Step 3: note** (inserted)" not in md and "+" + LONG_NOTE not in md


def test_an_inserted_step_is_inserted_and_pushes_the_later_ones_down():
    html = page([INTRO, FOLLOW, LAST], [INTRO, TASK, FOLLOW, LAST])
    assert "step 2 · Task “Connect on LinkedIn” inserted (wait 1d)" in html
    assert "⏩ steps 3–4 fire 1d later" in html  # noqa: RUF001
    text, md = both([INTRO, FOLLOW, LAST], [INTRO, TASK, FOLLOW, LAST])
    assert "+ step 2 · Task “Connect on LinkedIn” inserted (wait 1d)" in text
    assert "steps 2–3 move down one (now 3–4)" in text  # noqa: RUF001
    assert "- 🆕 step 2 · Task “Connect on LinkedIn” inserted (wait 1d)" in md
    assert "| 🆕 inserted |" in md
    assert title(md) == "name Outbound → Outbound (v2), step 2 inserted"
    assert "⏩ steps 3–4 fire 1d later" in text and "- ⏩ steps 3–4 fire 1d later" in md  # noqa: RUF001


def test_a_removed_step_is_removed_struck_through_and_its_followers_move_up():
    html = page([INTRO, TASK, FOLLOW, LAST], [INTRO, FOLLOW, LAST])
    assert "step 2 · Task “Connect on LinkedIn” removed (wait 1d)" in html
    assert "⏩ steps 2–3 fire 1d earlier" in html  # noqa: RUF001
    text, md = both([INTRO, TASK, FOLLOW, LAST], [INTRO, FOLLOW, LAST])
    assert "- step 2 · Task “Connect on LinkedIn” removed (wait 1d)" in text
    assert "| 2 | ~~2~~ | ~~1d~~ | ~~Task~~ |" in md and "🗑️ removed" in md
    assert title(md) == "name Outbound → Outbound (v2), step 2 removed"
    assert "⏩ steps 2–3 fire 1d earlier" in text and "- ⏩ steps 2–3 fire 1d earlier" in md  # noqa: RUF001


def test_a_changed_step_names_the_field_in_plain_words_before_and_after():
    text, md = both([INTRO, CALL, LAST], [INTRO, {**CALL, "priority": "low"}, LAST])
    assert "~ step 2 · Call “Reference the intro email and ask how they buil…”: " in text
    assert ": priority high → low" in text
    assert "- ✏️ step 2 · Call “Reference the intro email" in md and "priority high → **low**" in md
    assert "Priority: high → **low**" in md  # the steps table
    assert title(md) == "step 2 priority high → low"
    assert "⏩" not in text and "⏩" not in md  # nothing fires at another time
    rows = table_rows([INTRO, CALL, LAST], [INTRO, {**CALL, "priority": "low"}, LAST])
    assert rows["2"].startswith("2 | 3 | 2d | Call |")  # same place, same day, same wait
    assert "Priority: high → low" in rows["2"] and rows["2"].endswith("✏️ changed")
    assert "changed" not in rows["1"] + rows["3"]
    assert "⏩" not in page([INTRO, CALL, LAST], [INTRO, {**CALL, "priority": "low"}, LAST])


def test_timing_is_the_net_shift_of_each_step_never_one_wait_read_alone():
    html = page(
        [INTRO, CALL, FOLLOW, LAST], [INTRO, {**CALL, "wait": "3d"}, {**FOLLOW, "wait": "1d"}, LAST]
    )
    assert "⏩ step 2 fires 1d later" in html and "⏩ steps 3–4 fire 1d earlier" in html  # noqa: RUF001
    # Step 2 waits a day longer, step 3 two days less: step 2 fires 1d later, steps 3-4
    # fire a day *earlier* (the old text said "the steps after it fire 1d later").
    after = [INTRO, {**CALL, "wait": "3d"}, {**FOLLOW, "wait": "1d"}, LAST]
    text, md = both([INTRO, CALL, FOLLOW, LAST], after)
    assert "⏩ step 2 fires 1d later" in text and "⏩ steps 3–4 fire 1d earlier" in text  # noqa: RUF001
    assert "- ⏩ step 2 fires 1d later" in md and "- ⏩ steps 3–4 fire 1d earlier" in md  # noqa: RUF001
    assert "steps after it fire" not in text
    assert title(md) == "step 2 wait 2d → 3d, step 3 wait 3d → 1d"
    rows = [line for line in md.splitlines() if line.startswith("| 4 |")]
    assert rows and "⏩ fires 1d earlier" in rows[0] and "later" not in rows[0]


def test_a_wait_in_hours_is_written_as_people_write_it():
    text, md = both([INTRO, CALL], [INTRO, {**CALL, "wait": 172740}])
    assert "wait 2d → 1d 23h 59m" in text and "2d → **1d 23h 59m**" in md
    assert "172740" not in text and "172740" not in md
    assert "⏩ step 2 fires 1m earlier" in text and "- ⏩ step 2 fires 1m earlier" in md


def test_a_removal_a_move_and_a_change_together_are_each_told():
    before = [INTRO, CALL, TASK, FOLLOW, LAST]
    after = [INTRO, FOLLOW, {**CALL, "priority": "low"}, LAST]
    text, md = both(before, after)
    assert "- step 3 · Task “Connect on LinkedIn” removed" in text
    assert "- 🗑️ step 3 · Task “Connect on LinkedIn” removed" in md
    moved_or_changed = [
        line for line in text.splitlines() if "step 2 ·" in line or "step 3 ·" in line
    ]
    assert moved_or_changed, text
    assert "+ note" not in text and "content added" not in text
    for line in ("moved from step", "removed"):
        assert line in text and line in md


def test_a_step_added_at_the_end_is_added_not_inserted():
    text, md = both([INTRO, FOLLOW], [INTRO, FOLLOW, TASK])
    assert "+ step 3 · Task “Connect on LinkedIn” added (wait 1d)" in text
    assert "inserted" not in text and "move down" not in text
    assert title(md) == "step 3 added"


def test_a_removed_steps_long_note_is_shown_whole_as_removed():
    """The table can only show a note's start: the note of a removed step is printed whole
    below, so the reviewer sees everything that will no longer happen."""
    text, md = both([INTRO, CALL, FOLLOW], [INTRO, FOLLOW])
    assert f"**Step 2: note** (removed)\n\n```diff\n-{LONG_NOTE}\n```" in md
    assert f"- Note (note):\n            - {LONG_NOTE}\n" in text


def test_a_step_moved_to_the_end_names_the_shift_it_causes_not_a_step_changed_before_it():
    """The steps after a step moved to the end move up because of the move: that is said on
    the move's line, not on the line of a step that also changed in place."""
    before = [TASK, CALL, FOLLOW, LAST]
    after = [{**CALL, "priority": "low"}, FOLLOW, LAST, TASK]
    text, md = both(before, after)
    changed = "step 1 · Call “Reference the intro email and ask how they buil…” (was step 2)"
    moved = "step 4 · Task “Connect on LinkedIn” moved from step 1 (wait 1d)"
    shift = "steps 2–4 move up one (now 1–3)"  # noqa: RUF001
    lines = [line.strip() for line in text.splitlines()]
    assert f"~ {changed}: priority high → low" in lines
    assert f"↕ {moved}; {shift}" in lines
    assert f"- ✏️ {changed}: priority high → **low**" in md.splitlines()
    assert f"- ↕️ {moved}; {shift}" in md.splitlines()
    assert title(md) == (
        "name Outbound → Outbound (v2), step 1 priority high → low, step 4 moved from step 1"
    )
    row = "| 1 → **4** | 2 → **9** | 1d | Task |  | Note: Connect on LinkedIn |"
    assert f"{row} ↕️ moved from step 1<br>⏩ fires 1w later |" in md.splitlines()


def test_an_early_removal_and_a_later_insertion_each_name_the_steps_they_shift():
    """Step 2 removed moves step 3 up; two steps inserted before the last push it down: each
    shift is said on the line of the change just before it."""
    ask = {"type": "task", "wait": "1d", "note": "Send a case study"}
    before = [INTRO, TASK, FOLLOW, LAST]
    after = [INTRO, FOLLOW, CALL, ask, LAST]
    text, md = both(before, after)
    removed = (
        "step 2 · Task “Connect on LinkedIn” removed (wait 1d); step 3 moves up one (now step 2)"
    )
    call = "step 3 · Call “Reference the intro email and ask how they buil…” inserted"
    call += " (wait 2d, priority high)"
    task = (
        "step 4 · Task “Send a case study” inserted (wait 1d); step 4 moves down one (now step 5)"
    )
    lines = [line.strip() for line in text.splitlines()]
    assert [f"- {removed}", f"+ {call}", f"+ {task}"] == [
        x for x in lines if x[2:6] == "step" and x[0] in "+-"
    ]
    assert [f"- 🗑️ {removed}", f"- 🆕 {call}", f"- 🆕 {task}"] == [
        x for x in md.splitlines() if x.startswith(("- 🗑️", "- 🆕"))
    ]


CALL_REF = "step 2 · Call “Reference the intro email and ask how they buil…”"
EACH_KIND = {
    "moved": (
        [INTRO, CALL, FOLLOW, LAST],
        [INTRO, FOLLOW, CALL, LAST],
        "step 3 · Call “Reference the intro email and ask how they buil…” moved from step 2"
        " (wait 2d, priority high); step 3 moves up one (now step 2)",
        ["step 2 fires 2d earlier", "step 3 fires 3d later"],
        "| 2 → **3** | 3 → **6** | 2d | Call |  | Priority: high<br>Note: "
        + LONG_NOTE
        + " | ↕️ moved from step 2<br>⏩ fires 3d later |",
    ),
    "inserted": (
        [INTRO, FOLLOW, LAST],
        [INTRO, TASK, FOLLOW, LAST],
        "step 2 · Task “Connect on LinkedIn” inserted (wait 1d); steps 2–3 move down one (now 3–4)",  # noqa: RUF001
        ["steps 3–4 fire 1d later"],  # noqa: RUF001
        "| 2 | 2 | 1d | Task |  | Note: Connect on LinkedIn | 🆕 inserted |",
    ),
    "removed": (
        [INTRO, TASK, FOLLOW, LAST],
        [INTRO, FOLLOW, LAST],
        "step 2 · Task “Connect on LinkedIn” removed (wait 1d); steps 3–4 move up one (now 2–3)",  # noqa: RUF001
        ["steps 2–3 fire 1d earlier"],  # noqa: RUF001
        "| 2 | ~~2~~ | ~~1d~~ | ~~Task~~ |  | ~~Note: Connect on LinkedIn~~ | 🗑️ removed |",
    ),
    "changed": (
        [INTRO, CALL, LAST],
        [INTRO, {**CALL, "priority": "low"}, LAST],
        f"{CALL_REF}: priority high → low",
        [],
        "| 2 | 3 | 2d | Call |  | Priority: high → **low**<br>Note: "
        + LONG_NOTE
        + " | ✏️ changed |",
    ),
    "retimed": (
        [INTRO, CALL, FOLLOW, LAST],
        [INTRO, {**CALL, "wait": "3d"}, FOLLOW, LAST],
        f"{CALL_REF}: wait 2d → 3d",
        ["steps 2–4 fire 1d later"],  # noqa: RUF001
        "| 2 | 3 → **4** | 2d → **3d** | Call |  | Priority: high<br>Note: "
        + LONG_NOTE
        + " | ✏️ changed<br>⏩ fires 1d later |",
    ),
}
MARKS = {
    "moved": ("↕", "↕️"),
    "inserted": ("+", "🆕"),
    "removed": ("-", "🗑️"),
    "changed": ("~", "✏️"),
    "retimed": ("~", "✏️"),
}


@pytest.mark.parametrize("kind", list(EACH_KIND))
def test_each_kind_of_step_change_reads_the_same_line_in_the_terminal_and_the_pr_comment(kind):
    """One line per step says what happens to it and to the steps after it, word for word the
    same in the terminal and in the PR comment (only the mark differs); then one line per run
    of steps that fires at another time; the PR comment's steps table has the step's row."""
    before, after, line, timing, row = EACH_KIND[kind]
    text, md = both(before, after)
    mark, emoji = MARKS[kind]
    lines = [x.strip() for x in text.splitlines()]
    told = [x for x in lines if x[2:6] == "step" and x[:1] in "+-~↕⏩"]
    assert told == [f"{mark} {line}", *(f"⏩ {t}" for t in timing)]
    md_lines = md.splitlines()
    said = [x for x in md_lines if x.startswith("- ")]
    bold = line.replace("→ low", "→ **low**").replace("→ 3d", "→ **3d**")
    assert said == [f"- {emoji} {bold}", *(f"- ⏩ {t}" for t in timing)]
    assert row in md_lines


def test_an_old_version_left_draining_lists_its_steps_as_they_are_none_moving():
    """An interrupted replace resumed: v1 keeps running for its prospects, renamed. Its steps
    table is what they go through, step by step: nothing in it moves or changes."""
    v1 = res(
        "Sequence",
        "outbound",
        {"displayName": "Outbound", "enabled": True, "steps": [INTRO, TASK, FOLLOW]},
    )
    v2 = res("Sequence", "outbound", {"displayName": "Outbound (v2)", "steps": [INTRO]})
    new = res("Sequence", "outbound", {"displayName": "Outbound", "steps": [INTRO, FOLLOW]})
    plan = plan_of([*TEMPLATES, new], [live(v1, 1), live(v2, 2)], {1: Impact(active=3)})
    md = MarkdownRenderer().render(plan)
    retiring = md[md.index("“Outbound”: ownership tag, name") :]
    assert [x for x in retiring.splitlines() if x.startswith("| ") and x[2].isdigit()] == [
        "| 1 | 1 | 0 | Automatic email | intro |  |  |",
        "| 2 | 2 | 1d | Task |  | Note: Connect on LinkedIn |  |",
        "| 3 | 5 | 3d | Automatic email | follow-up |  |  |",
    ]
    tree = html5lib.parse(HtmlRenderer().render(plan), namespaceHTMLElements=False)
    tables = [t for t in tree.iter("table") if "Connect on LinkedIn" in "".join(t.itertext())]
    rows = [[" ".join("".join(td.itertext()).split()) for td in tr] for tr in tables[-1].iter("tr")]
    assert [" | ".join(r) for r in rows if r and r[0][:1].isdigit()] == [
        "1 | 1 | 0 | Automatic email | intro |  | ",
        "2 | 2 | 1d | Task |  | Note: Connect on LinkedIn | ",
        "3 | 5 | 3d | Automatic email | follow-up |  | ",
    ]


def test_a_removed_step_is_told_before_the_step_that_takes_its_number():
    """The removed step 3 goes before the step now numbered 3: the reader reads what leaves
    before what takes its place, in the terminal and the PR comment alike."""
    later = {**FOLLOW, "wait": "5d"}
    text, md = both([LAST, later, TASK], [FOLLOW, LAST, CALL])
    lines = [line.strip() for line in text.splitlines()]
    assert [x[:8] for x in lines if x[2:8] == "step 3" and x[0] in "+-~"] == [
        "- step 3",
        "~ step 3",
    ]
    assert [
        x.split(" ·")[0] for x in md.splitlines() if x.startswith("- ") and "step 3 ·" in x[:16]
    ] == [
        "- 🗑️ step 3",
        "- ✏️ step 3",
    ]


def test_a_short_note_growing_long_is_shown_as_a_diff_not_on_the_line():
    """Breakup call → three sentences: the PR comment's line says the text changed and the
    diff below shows it; the line does not carry the whole new note."""
    note = (
        "Ask about their Q3 forecast, the tool they use today, who owns it, and whether the "
        "board has asked for a weekly number; keep it under ten minutes and book the demo."
    )
    _, md = both([INTRO, LAST], [INTRO, {**LAST, "note": note}])
    [line] = [x for x in md.splitlines() if x.startswith("- ✏️ step 2")]
    assert line.endswith(": text changed (diff below)")
    assert "board has asked" not in line
