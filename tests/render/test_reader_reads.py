"""One morning's plan, read whole in every format: what a reviewer reads line by line in the
terminal, the PR comment and the HTML review, built from real manifests and live objects.

The plan creates a template and a sequence, changes a template's subject and one word of its
body (the live template has results), and changes a live sequence in place: step 2 waits a
day longer and its priority drops, a task is added at the end (the first step has results).
Each renderer must say exactly that, in its own words, and nothing else."""

from __future__ import annotations

import json

import html5lib

from seqops.plan.budget import ApiBudget
from seqops.plan.plan import Plan
from seqops.plan.retiring import Draining
from seqops.plan.safety import DeleteNotAllowed, DisruptionRequired
from seqops.providers.base import Impact, LiveObject, LiveStep, Results
from seqops.render import HtmlRenderer, JsonRenderer, MarkdownRenderer, TextRenderer

from .test_markdown import live, plan_of, res

INTRO = {"type": "auto_email", "wait": "0", "template": "intro"}
CALL = {"type": "call", "wait": "2d", "note": "Ring them", "priority": "high"}
TASK = {"type": "task", "wait": "1d", "note": "Connect on LinkedIn"}
WELCOME = {
    "displayName": "Welcome",
    "subject": "Welcome aboard",
    "bodyHtml": "<p>Hi {{first_name}}</p>",
}


def morning():
    welcome = res("Template", "welcome", WELCOME)
    old_intro = res(
        "Template",
        "intro",
        {
            "displayName": "Intro email",
            "subject": "Quick intro",
            "bodyHtml": "<p>Hello there</p><p>Bye</p>",
        },
    )
    new_intro = res(
        "Template",
        "intro",
        {
            "displayName": "Intro email",
            "subject": "A quick intro",
            "bodyHtml": "<p>Hello you</p><p>Bye</p>",
        },
    )
    old = res("Sequence", "outbound", {"displayName": "Outbound", "steps": [INTRO, CALL]})
    new = res(
        "Sequence",
        "outbound",
        {
            "displayName": "Outbound",
            "steps": [INTRO, {**CALL, "wait": "3d", "priority": "low"}, TASK],
        },
    )
    fresh = res("Sequence", "fresh", {"displayName": "Fresh", "steps": [INTRO, TASK]})
    intro_live = live(old_intro, 5)
    intro_live.results = Results(delivered=1240, opened=474, replied=38)
    first = Results(delivered=200, opened=80, clicked=10, replied=6, bounced=2)
    outbound_live = LiveObject(
        old, 1, "t0", "outbound", [LiveStep(101, 1, results=first), LiveStep(102, 2)]
    )
    return plan_of(
        [welcome, new_intro, new, fresh],
        [intro_live, outbound_live],
        {1: Impact(active=4, paused=1)},
    )


def section(md: str, key: str) -> list[str]:
    """The lines of one change's collapsible section in the PR comment, up to its chart."""
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if f"<code>{key}</code>" in line)
    end = next(i for i in range(start, len(lines)) if lines[i] in ("</details>", "```mermaid"))
    return lines[start:end]


def test_the_pr_comment_opens_with_the_target_and_a_count_of_each_action_right_aligned():
    md = MarkdownRenderer().render(morning())
    assert md.splitlines()[:8] == [
        "### seqops plan: embedded sandbox",
        "",
        "| Action | Count | Meaning |",
        "| --- | ---: | --- |",
        "| 🆕 create | 2 | new in the account |",
        "| ✏️ update | 2 | changed in place |",
        "",
        "**5 active or paused prospects are in sequences this plan changes.**",
    ]
    assert md.endswith(f"<sub>plan checksum <code>{morning().checksum}</code></sub>\n")


def test_the_pr_comment_says_a_sequence_changed_in_place_step_by_step_and_in_its_table():
    assert section(MarkdownRenderer().render(morning()), "Sequence/outbound") == [
        "<summary>✏️ update <code>Sequence/outbound</code> “Outbound”: step 2 wait 2d → 3d, "
        "priority high → low, step 3 added — <b>4 active, 1 paused prospects</b></summary>",
        "",
        "_changed in place_",
        "",
        "**Impact: 4 active, 1 paused prospects**",
        "",
        "- ✏️ step 2 · Call “Ring them”: wait 2d → **3d**, priority high → **low**",
        "- 🆕 step 3 · Task “Connect on LinkedIn” added (wait 1d)",
        "- ⏩ step 2 fires 1d later",
        "",
        "| Step | Day | Wait | Type | Template | Details | Results so far | Change |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 1 | 0 | Automatic email | Intro email <sub>intro</sub> |  | 200 delivered, "
        "40.0 % opened, 5.0 % clicked, 3.0 % replied, 1.0 % bounced |  |",
        "| 2 | 3 → **4** | 2d → **3d** | Call |  | Priority: high → **low**<br>Note: Ring them "
        "|  | ✏️ changed<br>⏩ fires 1d later |",
        "| 3 | 5 | 1d | Task |  | Note: Connect on LinkedIn |  | 🆕 added |",
        "",
    ]


def test_the_pr_comment_shows_a_template_change_as_settings_results_and_marked_words():
    assert section(MarkdownRenderer().render(morning()), "Template/intro") == [
        "<summary>✏️ update <code>Template/intro</code> “Intro email”: subject line Quick intro "
        "→ A quick intro, email body</summary>",
        "",
        "_changed in place_",
        "",
        "**Impact: 0 active, 0 paused prospects**",
        "",
        "| Setting | Before | After |",
        "| --- | --- | --- |",
        "| **Subject line** <sub>subject</sub> | Quick intro | A quick intro |",
        "",
        "📊 **Results so far**: 1,240 delivered, 38.2 % opened, 3.1 % replied",
        "",
        "**Email body**: what the prospect reads, changed words marked",
        "",
        "> Hello <del>there</del><ins>you</ins>",
        ">",
        "> Bye",
        "",
        "<details>",
        "<summary>HTML source</summary>",
        "",
        "```diff",
        "-<p>Hello there</p>",
        "+<p>Hello you</p>",
        " <p>Bye</p>",
        "```",
        "",
    ]


def test_the_pr_comment_shows_a_new_template_and_a_new_sequence_whole():
    md = MarkdownRenderer().render(morning())
    assert section(md, "Template/welcome") == [
        "<summary>🆕 create <code>Template/welcome</code> “Welcome”: new</summary>",
        "",
        "_new in the account_",
        "",
        "| Setting | Before | After |",
        "| --- | --- | --- |",
        "| **Subject line** <sub>subject</sub> | — | Welcome aboard |",
        "| **Name** <sub>displayName</sub> | — | Welcome |",
        "| **Email body** <sub>bodyHtml</sub> | — | &lt;p&gt;Hi {{first_name}}&lt;/p&gt; |",
        "",
        "**Email body**: what the prospect reads",
        "",
        "> Hi {{first_name}}",
        "",
        "<details>",
        "<summary>HTML source</summary>",
        "",
        "```diff",
        "+<p>Hi {{first_name}}</p>",
        "```",
        "",
    ]
    assert section(md, "Sequence/fresh") == [
        "<summary>🆕 create <code>Sequence/fresh</code> “Fresh”: new, 2 steps</summary>",
        "",
        "_new in the account_",
        "",
        "| Setting | Before | After |",
        "| --- | --- | --- |",
        "| **Name** <sub>displayName</sub> | — | Fresh |",
        "| **Schedule** <sub>sequenceType</sub> | — | steps after waits |",
        "",
        "| Step | Day | Wait | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 1 | 0 | Automatic email | Intro email <sub>intro</sub> |  | 🆕 added |",
        "| 2 | 2 | 1d | Task |  | Note: Connect on LinkedIn | 🆕 added |",
        "",
    ]


def test_the_terminal_plan_reads_line_by_line_with_each_kind_of_change_in_its_colour():
    """The text renderer's output is console markup: the colours are part of what is read."""
    assert TextRenderer().render(morning()).splitlines() == [
        "[bold]Target:[/bold] embedded sandbox",
        "",
        "[yellow]~ update[/yellow] [bold]Template/intro[/bold] (id 5) [dim]“Intro email”[/dim]",
        "    [yellow]~ Subject line [dim](subject)[/dim]: 'Quick intro' → 'A quick intro'[/yellow]",
        "    [yellow]~ Email body [dim](bodyHtml)[/dim]:[/yellow]",
        "        [red]- <p>Hello [bold underline]there[/bold underline]</p>[/red]",
        "        [green]+ <p>Hello [bold underline]you[/bold underline]</p>[/green]",
        "        [dim]  <p>Bye</p>[/dim]",
        "    [dim]results so far: 1,240 delivered, 38.2 % opened, 3.1 % replied[/dim]",
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
        "",
        "[green]+ create[/green] [bold]Template/welcome[/bold] [dim]“Welcome”[/dim]",
        "    [green]+ Name [dim](displayName)[/dim]: Welcome[/green]",
        "    [green]+ Subject line [dim](subject)[/dim]: 'Welcome aboard'[/green]",
        "    [green]+ Email body [dim](bodyHtml)[/dim]: '<p>Hi {{first_name}}</p>'[/green]",
        "",
        "[green]+ create[/green] [bold]Sequence/fresh[/bold] [dim]“Fresh”[/dim]",
        "    [green]+ Name [dim](displayName)[/dim]: Fresh[/green]",
        "    [green]+ Schedule [dim](sequenceType)[/dim]: steps after waits[/green]",
        "    [green]+ step 1 · Automatic email “Intro email” added (wait 0)[/green]",
        "    [green]+ step 2 · Task “Connect on LinkedIn” added (wait 1d)[/green]",
        "",
        "[yellow]~ update[/yellow] [bold]Sequence/outbound[/bold] (id 1) [dim]“Outbound”[/dim]",
        "    [yellow]~ step 2 · Call “Ring them”[/yellow]",
        "        [yellow]~ Wait: 2d → 3d[/yellow]",
        "        [yellow]~ Priority: high → low[/yellow]",
        "    [green]+ step 3 · Task “Connect on LinkedIn” added (wait 1d)[/green]",
        "    [cyan]⏩ step 2 fires 1d later[/cyan]",
        "    [bold red]impact: 4 active, 1 paused prospects[/bold red]",
        "",
        "[bold]Plan: 2 to create, 2 to update.[/bold]",
    ]


def reading(markup: str) -> list[str]:
    """The HTML review as a reader goes through it: one line per heading, paragraph, list item
    and table row (cells joined by ` | `, a line break in a cell read as ` / `); a frame is
    named by its title, and the chart's drawing and the source diffs' lines are left out."""
    body = html5lib.parse(markup, namespaceHTMLElements=False).find("body")
    assert body is not None
    lines: list[str] = []

    def raw(element) -> str:
        out = [element.text or ""]
        for child in element:
            out += [" / " if child.tag == "br" else raw(child), child.tail or ""]
        return "".join(out)

    def text(element) -> str:
        return " ".join(raw(element).split())

    def walk(element) -> None:
        tag, kind = element.tag, element.get("class")
        if tag == "tr":
            lines.append(" | ".join(text(cell) for cell in element))
        elif tag in ("p", "li", "h1", "h2", "h3", "summary", "strong") or kind in (
            "what",
            "headers",
        ):
            lines.append(text(element))
        elif tag == "iframe":
            lines.append(f"[frame: {element.get('title')}]")
        elif tag not in ("svg", "pre"):
            for child in element:
                walk(child)

    walk(body)
    return lines


LEGEND = (
    "● blue: automatic email● purple: manual email● orange: call● grey: taskdashed red: "
    "removed, green ring: added, amber ring: moved or changed"
)


def test_the_html_review_reads_the_same_plan_in_order():
    assert reading(HtmlRenderer().render(morning())) == [
        "seqops plan",
        "embedded sandbox",
        "Action | Count | Meaning",
        "🆕 create | 2 | new in the account",
        "✏️ update | 2 | changed in place",
        "5 active or paused prospects are in sequences this plan changes.",
        "Emails are shown as Alex Rivera (VP Sales, Northwind Traders) would receive them (a "
        "sample prospect built into seqops: no prospect data is read or kept). Merge fields are "
        "highlighted; removed words are struck, added words marked. Nothing in this page loads "
        "anything: images show their alternative text.",
        "✏️ update Template/intro “Intro email”",
        "subject line Quick intro → A quick intro, email body",
        "changed in place",
        "Impact: 0 active, 0 paused prospects",
        "📊 Results so far: 1,240 delivered, 38.2 % opened, 3.1 % replied",
        "Before",
        "Subject: Quick intro",
        "[frame: Before]",
        "After",
        "Subject: A quick intro",
        "[frame: After]",
        "Email body: HTML source (line diff)",
        "🆕 create Template/welcome “Welcome”",
        "new",
        "new in the account",
        "Setting | Before | After",
        "Name displayName | — | Welcome",
        "New email",
        "Subject: Welcome aboard",
        "[frame: New email]",
        "🆕 create Sequence/fresh “Fresh”",
        "new, 2 steps",
        "new in the account",
        "Setting | Before | After",
        "Name displayName | — | Fresh",
        "Schedule sequenceType | — | steps after waits",
        "step 1 · Automatic email “Intro email” added (wait 0)",
        "step 2 · Task “Connect on LinkedIn” added (wait 1d)",
        "Step | Day | Wait | Type | Template | Details | Change",
        "1 | 1 | 0 | Automatic email | Intro email intro |  | 🆕 added",
        "2 | 2 | 1d | Task |  | Note: Connect on LinkedIn | 🆕 added",
        LEGEND,
        "✏️ update Sequence/outbound “Outbound”",
        "step 2 wait 2d → 3d, priority high → low, step 3 added",
        "changed in place",
        "Impact: 4 active, 1 paused prospects",
        "step 2 · Call “Ring them”",
        "step 3 · Task “Connect on LinkedIn” added (wait 1d)",
        "⏩ step 2 fires 1d later",
        "Step | Day | Wait | Type | Template | Details | Results so far | Change",
        "1 | 1 | 0 | Automatic email | Intro email intro |  | 200 delivered, 40.0 % opened, "
        "5.0 % clicked, 3.0 % replied, 1.0 % bounced | ",
        "2 | 3 → 4 | 2d → 3d | Call |  | Priority: high → low / Note: Ring them |  | "
        "✏️ changed / ⏩ fires 1d later",
        "3 | 5 | 1d | Task |  | Note: Connect on LinkedIn |  | 🆕 added",
        LEGEND,
    ]


FOLLOW = {"type": "auto_email", "wait": "3d", "template": "follow-up"}
LAST = {"type": "call", "wait": "2d", "note": "Breakup call"}
REPLY = {"type": "manual_email", "wait": "1d", "template": "follow-up", "isReply": True}


def reshuffle():
    """A sequence that nobody is in loses a task, gains a reply email in its place, and its
    first call moves after the follow-up email with a lower priority: seqops replaces it."""
    templates = [
        res("Template", "intro", {"displayName": "Intro email", "subject": "Hi"}),
        res("Template", "follow-up", {"subject": "Again"}),
    ]
    old = res(
        "Sequence",
        "outbound",
        {"displayName": "Outbound", "steps": [INTRO, CALL, TASK, FOLLOW, LAST]},
    )
    after = [INTRO, FOLLOW, REPLY, {**CALL, "priority": "low"}, LAST]
    new = res("Sequence", "outbound", {"displayName": "Outbound", "steps": after})
    objects = [live(templates[0], 5), live(templates[1], 6), live(old, 1)]
    return plan_of([*templates, new], objects)


def test_a_reshuffled_sequence_in_the_pr_comment_tells_each_step_removed_inserted_and_moved():
    lines = section(MarkdownRenderer().render(reshuffle()), "Sequence/outbound")
    assert lines[0] == (
        "<summary>♻️ replace <code>Sequence/outbound</code> “Outbound”: name Outbound → Outbound "
        "(v2), step 3 removed, step 3 inserted, step 4 moved from step 2</summary>"
    )
    start = lines.index(
        "- 🗑️ step 3 · Task “Connect on LinkedIn” removed (wait 1d); step 4 moves up two (now step 2)"
    )
    assert lines[start - 6 : start] == [
        "| Setting | Before | After |",
        "| --- | --- | --- |",
        "| **Name** <sub>displayName</sub> | Outbound | Outbound (v2) |",
        "| **Old version's ownership tag** <sub>old_version.ownership</sub> | seqops:outbound "
        "| seqops:outbound--retired |",
        "| **Old version's name** <sub>old_version.displayName</sub> | Outbound | Outbound (v1, "
        "retired) |",
        "",
    ]
    assert lines[start:] == [
        "- 🗑️ step 3 · Task “Connect on LinkedIn” removed (wait 1d); step 4 moves up two (now step 2)",
        "- 🆕 step 3 · Manual email “follow-up” inserted (wait 1d, sent as a reply in the same "
        "thread)",
        "- ↕️ step 4 · Call “Ring them” moved from step 2 (wait 2d, priority low)",
        "- ⏩ step 2 fires 3d earlier",
        "- ⏩ step 4 fires 4d later",
        "",
        "| Step | Day | Wait | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 1 | 0 | Automatic email | Intro email <sub>intro</sub> |  |  |",
        "| 3 | ~~4~~ | ~~1d~~ | ~~Task~~ |  | ~~Note: Connect on LinkedIn~~ | 🗑️ removed |",
        "| 4 → **2** | 7 → **4** | 3d | Automatic email | follow-up |  | ⬆️ up 2<br>⏩ fires 3d "
        "earlier |",
        "| 3 | 5 | 1d | Manual email | follow-up | Sent as a reply in the same thread | 🆕 inserted |",
        "| 2 → **4** | 3 → **7** | 2d | Call |  | Priority: high → **low**<br>Note: Ring them | "
        "↕️ moved from step 2<br>⏩ fires 4d later |",
        "| 5 | 9 | 2d | Call |  | Note: Breakup call |  |",
        "",
    ]


def test_a_reshuffled_sequence_in_the_terminal_is_red_removed_green_inserted_cyan_moved():
    assert TextRenderer().render(reshuffle()).splitlines()[2:] == [
        "[yellow]-/+ replace[/yellow] [bold]Sequence/outbound[/bold] (id 1) [dim]“Outbound”[/dim]",
        "    [dim]step 3 · task 'Connect on LinkedIn' removed; step 3 · manual_email 'follow-up' "
        "inserted; step 2 · call 'Ring them' moved to step 4: 'Outbound (v2)' replaces "
        "'Outbound'; v1 holds nobody: it is renamed 'Outbound (v1, retired)'[/dim]",
        "    [yellow]~ Name [dim](displayName)[/dim]: Outbound → 'Outbound (v2)'[/yellow]",
        "    [yellow]~ Old version's ownership tag [dim](old_version.ownership)[/dim]: "
        "seqops:outbound → seqops:outbound--retired[/yellow]",
        "    [yellow]~ Old version's name [dim](old_version.displayName)[/dim]: Outbound → "
        "'Outbound (v1, retired)'[/yellow]",
        "    [red]- step 3 · Task “Connect on LinkedIn” removed (wait 1d); step 4 moves up two "
        "(now step 2)[/red]",
        "    [green]+ step 3 · Manual email “follow-up” inserted (wait 1d, sent as a reply in the "
        "same thread)[/green]",
        "    [cyan]↕ step 4 · Call “Ring them” moved from step 2 (wait 2d, priority low)[/cyan]",
        "    [cyan]⏩ step 2 fires 3d earlier[/cyan]",
        "    [cyan]⏩ step 4 fires 4d later[/cyan]",
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
        "",
        "[bold]Plan: 1 to replace.[/bold]",
    ]


def test_a_reshuffled_sequence_in_the_html_review_strikes_the_removed_row_and_marks_the_rest():
    page = HtmlRenderer().render(reshuffle())
    lines = reading(page)
    steps = lines.index("Step | Day | Wait | Type | Template | Details | Change")
    assert lines[steps - 5 : steps + 7] == [
        "step 3 · Task “Connect on LinkedIn” removed (wait 1d); step 4 moves up two (now step 2)",
        "step 3 · Manual email “follow-up” inserted (wait 1d, sent as a reply in the same thread)",
        "step 4 · Call “Ring them” moved from step 2 (wait 2d, priority low)",
        "⏩ step 2 fires 3d earlier",
        "⏩ step 4 fires 4d later",
        "Step | Day | Wait | Type | Template | Details | Change",
        "1 | 1 | 0 | Automatic email | Intro email intro |  | ",
        "3 | 4 | 1d | Task |  | Note: Connect on LinkedIn | 🗑️ removed",
        "4 → 2 | 7 → 4 | 3d | Automatic email | follow-up |  | ⬆️ up 2 / ⏩ fires 3d earlier",
        "3 | 5 | 1d | Manual email | follow-up | Sent as a reply in the same thread | 🆕 inserted",
        "2 → 4 | 3 → 7 | 2d | Call |  | Priority: high → low / Note: Ring them | ↕️ moved from "
        "step 2 / ⏩ fires 4d later",
        "5 | 9 | 2d | Call |  | Note: Breakup call | ",
    ]
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    table = next(t for t in tree.iter("table") if t.get("class") == "steps")
    # the style sheet strikes a `removed` row, tints `inserted` ones green, `moved` amber
    assert [tr.get("class") for tr in table.iter("tr")][1:] == [
        "same", "removed", "same", "inserted", "moved", "same"
    ]  # fmt: skip
    moved = next(tr for tr in table.iter("tr") if tr.get("class") == "moved")
    first = moved.find("td")
    assert [first.find("del").text, first.find("ins").text] == ["2", "4"]


def flagged():
    """The morning's plan with what a reviewer must not miss: an old version draining, two
    plan warnings, a change's own warning, two lint findings (one an error) and two flags apply
    will need."""
    plan = morning()
    plan.warnings = ["template `intro` is sent by 2 sequences", "rate limit is low"]
    plan.draining = [Draining("demo", 4, "Demo (v1, retiring)", True, 3, 1, 0, "2026-12-21")]
    intro = next(c for c in plan.changes if c.name == "intro")
    intro.warnings = ["the subject is long"]
    intro.lint = [
        {"file": "m/intro.yaml", "line": 9, "column": 3, "rule": "content/spam-words",
         "severity": "warning", "message": "“free” reads as spam"},
        {"file": "m/intro.yaml", "line": 12, "column": 5, "rule": "merge-field/unknown",
         "severity": "error", "message": "{{frist_name}} is not a field"},
    ]  # fmt: skip
    safety = [
        DisruptionRequired([("Sequence/outbound", Impact(active=4, paused=1))]),
        DeleteNotAllowed([("Template", "old")]),
    ]
    return plan, safety


DRAINS = (
    "Sequence/demo 'Demo (v1, retiring)' (id 4) drains: 3 active prospects keep their cadence "
    "in it until they finish, at the latest on 2026-12-21; 1 paused prospect goes on in it when "
    "resumed"
)
LINT = "1 lint error: apply refuses this plan unless seqops.yaml says lint: {blockApply: false}"
DISRUPTION = (
    "--allow-disruption because 1 change(s) reach prospects already in sequences "
    "(Sequence/outbound: 4 active, 1 paused) (the disruption rule)"
)
DELETE = "--allow-delete because the plan deletes Template/old (the delete rule)"
LINT_ERROR = "m/intro.yaml:12:5: merge-field/unknown error: {{frist_name}} is not a field"
LINT_WARNING = "m/intro.yaml:9:3: content/spam-words warning: “free” reads as spam"


def test_the_pr_comment_quotes_draining_warnings_lint_and_flags_under_the_summary():
    plan, safety = flagged()
    md = MarkdownRenderer(safety).render(plan)
    lines = md.splitlines()
    assert lines[8:26] == [
        "",
        f"> ⏳ draining: {DRAINS}",
        ">",
        "> ⚠️ template <code>intro</code> is sent by 2 sequences",
        ">",
        "> ⚠️ rate limit is low",
        ">",
        f"> ❌ **{LINT}**",
        ">",
        "> 🛑 **apply will need `--allow-delete` `--allow-disruption`**",
        ">",
        f"> - {DISRUPTION}",
        ">",
        f"> - {DELETE}",
        "",
        "<details>",
        "<summary>✏️ update <code>Template/intro</code> “Intro email”: subject line Quick intro "
        "→ A quick intro, email body</summary>",
        "",
    ]
    assert section(md, "Template/intro")[4:11] == [
        "**Impact: 0 active, 0 paused prospects**",
        "",
        "- ⚠️ the subject is long",
        "",
        f"- ❌ lint <code>{LINT_ERROR}</code>",  # errors first
        f"- ⚠️ lint <code>{LINT_WARNING}</code>",
        "",
    ]


def test_the_terminal_says_draining_warnings_lint_and_flags_after_the_changes():
    plan, safety = flagged()
    lines = TextRenderer(safety).render(plan).splitlines()
    assert lines[9:13] == [
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
        "    [yellow]! the subject is long[/yellow]",
        f"    [red]lint {LINT_ERROR}[/red]",
        f"    [yellow]lint {LINT_WARNING}[/yellow]",
    ]
    assert lines[-8:] == [
        f"[cyan]draining:[/cyan] {DRAINS}",
        "[yellow]warning:[/yellow] template `intro` is sent by 2 sequences",
        "[yellow]warning:[/yellow] rate limit is low",
        "[bold]Plan: 2 to create, 2 to update.[/bold]",
        f"[bold red]{LINT}[/bold red]",
        "[bold red]apply will need --allow-delete --allow-disruption:[/bold red]",
        f"  [red]- {DISRUPTION}[/red]",
        f"  [red]- {DELETE}[/red]",
    ]


def test_the_html_review_puts_the_flags_and_lint_in_a_stop_box_before_the_changes():
    plan, safety = flagged()
    page = HtmlRenderer(safety).render(plan)
    lines = reading(page)
    assert lines[6:13] == [
        "apply will need --allow-delete --allow-disruption",
        DISRUPTION,
        DELETE,
        LINT,
        f"⏳ draining: {DRAINS}",
        "⚠️ template `intro` is sent by 2 sequences",
        "⚠️ rate limit is low",
    ]
    start = lines.index("✏️ update Template/intro “Intro email”")
    assert lines[start + 3 : start + 7] == [
        "Impact: 0 active, 0 paused prospects",
        "⚠️ the subject is long",
        LINT_ERROR,
        LINT_WARNING,
    ]
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    [stop] = [d for d in tree.iter("div") if d.get("class") == "box stop"]
    assert "".join(stop.itertext()).count("--allow-disruption because") == 1
    [lint] = [u for u in tree.iter("ul") if u.get("class") == "lint"]
    assert [li.get("class") for li in lint] == ["error", "warning"]


def test_the_json_plan_is_the_plan_file_indented_with_names_as_written():
    plan = morning()
    out = JsonRenderer().render(plan)
    assert json.loads(out) == plan.to_json()
    assert out.startswith('{\n  "')  # two-space indent, one key a line
    assert '"displayName": "Welcome"' in out and "\\u" not in out
    spelt = res("Template", "bienvenue", {"displayName": "Café “Été”", "subject": "Hé"})
    assert '"displayName": "Café “Été”"' in JsonRenderer().render(plan_of([spelt], []))


SVG = "{http://www.w3.org/2000/svg}"


def timeline(page: str) -> list[str]:
    """The HTML review's timeline as a reader hovers it: the chart's label, then each row's
    label, each marker (x, number, type colour, outline, tooltip) and each tick of the axis."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    [svg] = tree.iter(f"{SVG}svg")
    out = [f"{svg.get('aria-label')} ({svg.get('width')}x{svg.get('height')})"]
    for element in svg:
        tag, kind = element.tag.removeprefix(SVG), element.get("class")
        if tag == "text":
            out.append(f"{kind} {element.get('x')},{element.get('y')} {element.text}")
        elif tag == "g":
            circle = element.find(f"{SVG}circle")
            number = element.find(f"{SVG}text").text
            tip = element.find(f"{SVG}title").text
            out.append(f"{kind} {circle.get('cx')},{circle.get('cy')} {number}: {tip}")
    return out


def test_the_html_timeline_puts_each_step_on_its_day_coloured_by_type_outlined_by_change():
    assert timeline(HtmlRenderer().render(reshuffle())) == [
        "When each step fires, by day after enrolment (day 1 = enrolment) (760x140)",
        "row 4,26 Before",
        "step auto  70.0,22 1: Step 1 · Automatic email Intro email · day 1",
        "step call  236.5,22 2: Step 2 · Call Ring them · day 3",
        "step task removed 319.8,22 3: Step 3 · Task Connect on LinkedIn · day 4 (removed)",
        "step auto  569.5,22 4: Step 4 · Automatic email follow-up · day 7",
        "step call  736.0,22 5: Step 5 · Call Breakup call · day 9",
        "row 4,72 After",
        "step auto  70.0,68 1: Step 1 · Automatic email Intro email · day 1",
        "step auto  319.8,68 2: Step 2 · Automatic email follow-up · day 4",
        "step manual added 403.0,68 3: Step 3 · Manual email follow-up · day 5 (added)",
        "step call moved 569.5,68 4: Step 4 · Call Ring them · day 7 (moved)",
        "step call  736.0,68 5: Step 5 · Call Breakup call · day 9",
        *(f"tick {x},132 day {d}" for d, x in enumerate(
            ["70.0", "153.2", "236.5", "319.8", "403.0", "486.2", "569.5", "652.8", "736.0"], 1
        )),
    ]  # fmt: skip


def test_a_month_long_new_sequence_has_one_row_and_a_tick_every_few_days():
    calls = [{"type": "call", "wait": "0"}, {"type": "task", "wait": "30d"}]
    page = HtmlRenderer().render(plan_of([res("Sequence", "long", {"steps": calls})], []))
    assert timeline(page) == [
        "When each step fires, by day after enrolment (day 1 = enrolment) (760x94)",
        "row 4,26 After",
        "step call  70.0,22 1: Step 1 · Call · day 1",
        "step task  736.0,22 2: Step 2 · Task · day 31",
        "tick 70.0,86 day 1",
        "tick 136.6,86 day 4",
        "tick 203.2,86 day 7",
        "tick 269.8,86 day 10",
        "tick 336.4,86 day 13",
        "tick 403.0,86 day 16",
        "tick 469.6,86 day 19",
        "tick 536.2,86 day 22",
        "tick 602.8,86 day 25",
        "tick 669.4,86 day 28",
        "tick 736.0,86 day 31",
    ]


def test_the_pr_comment_charts_a_reshuffle_day_by_day_tagging_what_changed():
    md = MarkdownRenderer().render(reshuffle())
    chart = md[md.index("```mermaid") : md.index("</details>", md.index("```mermaid"))]
    assert chart.splitlines() == [
        "```mermaid",
        "gantt",
        "    title Outbound — steps by day after enrolment (day 1 = enrolment)",
        "    dateFormat x",
        "    axisFormat %Q",
        "    todayMarker off",
        "    section Before",
        "    Step 1 · Automatic email Intro email · day 1 : 1, 2",
        "    Step 2 · Call Ring them · day 3 : 3, 4",
        "    Step 3 · Task Connect on LinkedIn · day 4 (removed) :done, 4, 5",
        "    Step 4 · Automatic email follow-up · day 7 : 7, 8",
        "    Step 5 · Call Breakup call · day 9 : 9, 10",
        "    section After",
        "    Step 1 · Automatic email Intro email · day 1 : 1, 2",
        "    Step 2 · Automatic email follow-up · day 4 : 4, 5",
        "    Step 3 · Manual email follow-up · day 5 (added) :active, 5, 6",
        "    Step 4 · Call Ring them · day 7 (moved) :crit, 7, 8",
        "    Step 5 · Call Breakup call · day 9 : 9, 10",
        "```",
        "",
    ]


def launch():
    """A date sequence whose first email moves a week later."""
    email = {"type": "auto_email", "template": "intro"}
    call = {"type": "call", "date": "2030-03-20", "note": "Ring"}
    spec = {"displayName": "Launch", "sequenceType": "date"}
    old = res("Sequence", "launch", {**spec, "steps": [{**email, "date": "2030-03-02"}, call]})
    new = res("Sequence", "launch", {**spec, "steps": [{**email, "date": "2030-03-09"}, call]})
    intro = res("Template", "intro", {"subject": "Hi"})
    return plan_of([intro, new], [live(intro, 2), live(old, 3)])


def test_a_date_sequence_reads_in_dates_with_no_wait_column_in_every_format():
    md = MarkdownRenderer().render(launch())
    assert section(md, "Sequence/launch")[6:] == [
        "- ✏️ step 1 · Automatic email “intro”: date 2030-03-02 → **2030-03-09**",
        "",
        "| Step | Date | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 1 | 2030-03-02 → **2030-03-09** | Automatic email | intro |  | ✏️ changed |",
        "| 2 | 2030-03-20 | Call |  | Note: Ring |  |",
        "",
    ]
    chart = md[md.index("```mermaid") :].splitlines()
    assert chart[2:12] == [
        "    title Launch — steps by dates",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %b %d",
        "    todayMarker off",
        "    section Before",
        "    Step 1 · Automatic email intro · 2030-03-02 : 2030-03-02, 1d",
        "    Step 2 · Call Ring · 2030-03-20 : 2030-03-20, 1d",
        "    section After",
        "    Step 1 · Automatic email intro · 2030-03-09 (changed) :crit, 2030-03-09, 1d",
        "    Step 2 · Call Ring · 2030-03-20 : 2030-03-20, 1d",
    ]
    assert TextRenderer().render(launch()).splitlines()[3] == (
        "    [yellow]~ step 1 · Automatic email “intro”: date 2030-03-02 → 2030-03-09[/yellow]"
    )
    page = HtmlRenderer().render(launch())
    lines = reading(page)
    start = lines.index("Step | Date | Type | Template | Details | Change")
    assert lines[start - 4 :] == [
        "step 1 date 2030-03-02 → 2030-03-09",
        "changed in place",
        "Impact: 0 active, 0 paused prospects",
        "step 1 · Automatic email “intro”",
        "Step | Date | Type | Template | Details | Change",
        "1 | 2030-03-02 → 2030-03-09 | Automatic email | intro |  | ✏️ changed",
        "2 | 2030-03-20 | Call |  | Note: Ring | ",
        LEGEND,
    ]
    assert timeline(page) == [
        "When each step fires, by date (760x140)",
        "row 4,26 Before",
        "step auto  70.0,22 1: Step 1 · Automatic email intro · 2030-03-02",
        "step call  736.0,22 2: Step 2 · Call Ring · 2030-03-20",
        "row 4,72 After",
        "step auto changed 329.0,68 1: Step 1 · Automatic email intro · 2030-03-09 (changed)",
        "step call  736.0,68 2: Step 2 · Call Ring · 2030-03-20",
        *(f"tick {70 + 74 * i}.0,132 Mar {2 + 2 * i:02d}" for i in range(10)),
    ]


def test_the_html_page_is_titled_by_its_target_forbids_every_fetch_and_signs_with_the_checksum():
    plan = morning()
    tree = html5lib.parse(HtmlRenderer().render(plan), namespaceHTMLElements=False)
    assert tree.find("head/title").text == "seqops plan: embedded sandbox"
    metas = {m.get("http-equiv") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert metas["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
        "base-uri 'none'; form-action 'none'"
    )
    assert metas["referrer"] == "no-referrer"
    footer = " ".join("".join(tree.find("body/footer").itertext()).split())
    assert footer == (
        f"plan checksum {plan.checksum} · rendered by seqops; this file needs no network"
    )
    sections = [s.get("id") for s in tree.iter("section")]
    assert sections == ["change-1", "change-2", "change-3", "change-4"]


def test_the_terminal_says_the_apis_budget_under_a_plan_that_changes_something_only():
    plan = morning()
    plan.budget = ApiBudget(requests=5)
    assert TextRenderer().render(plan).splitlines()[-2:] == [
        "[bold]Plan: 2 to create, 2 to update.[/bold]",
        "[dim]apply: about 5 requests[/dim]",
    ]
    empty = Plan("t", target_description="the account", budget=ApiBudget(requests=0))
    assert TextRenderer().render(empty).splitlines() == [
        "[bold]Target:[/bold] the account",
        "",
        "[bold]No changes: the target matches the manifests.[/bold]",
    ]


def test_one_field_change_reads_on_one_line_a_long_one_by_its_name():
    intro = next(c for c in morning().changes if c.name == "intro")
    subject, body = (next(d for d in intro.diff if d.path == p) for p in ("subject", "bodyHtml"))
    assert TextRenderer.diff(intro, subject) == (
        "[yellow]~ Subject line [dim](subject)[/dim]: 'Quick intro' → 'A quick intro'[/yellow]"
    )
    assert TextRenderer.diff(intro, body) == "[yellow]~ Email body [dim](bodyHtml)[/dim]:[/yellow]"


def test_prospects_reached_through_a_template_and_its_sequence_are_counted_once():
    from .test_markdown_inert import sending

    old = res("Template", "intro", {"displayName": "Intro email", "subject": "Hi"})
    new = res("Template", "intro", {"displayName": "Intro email", "subject": "Hello"})
    steps = [INTRO, CALL]
    sequence = res("Sequence", "outbound", {"displayName": "Outbound", "steps": steps})
    retimed = res(
        "Sequence",
        "outbound",
        {"displayName": "Outbound", "steps": [INTRO, {**CALL, "wait": "3d"}]},
    )
    for desired in ([new, sequence], [new, retimed]):
        live_sequence = sending(sequence, 1, 7)
        live_sequence.steps.append(LiveStep(102, 2))
        plan = plan_of(desired, [live(old, 7), live_sequence], {1: Impact(active=4, paused=1)})
        said = "5 active or paused prospects are in sequences this plan changes."
        assert f"**{said}**" in MarkdownRenderer().render(plan).splitlines()
        assert said in reading(HtmlRenderer().render(plan))
    md = MarkdownRenderer().render(plan)
    assert "**Impact: 4 active, 1 paused prospects via 'Outbound' (4 active, 1 paused)**" in md


def test_steps_that_fire_later_apart_from_each_other_are_told_apart():
    def calls(*waits: str):
        steps = [{"type": "call", "wait": w, "note": n} for w, n in zip(waits, "ABCD", strict=True)]
        return res("Sequence", "s", {"displayName": "S", "steps": steps})

    plan = plan_of([calls("0", "3d", "2d", "3d")], [live(calls("0", "2d", "3d", "2d"), 1)])
    lines = TextRenderer().render(plan).splitlines()
    assert lines[3:8] == [
        "    [yellow]~ step 2 · Call “B”: wait 2d → 3d[/yellow]",
        "    [yellow]~ step 3 · Call “C”: wait 3d → 2d[/yellow]",
        "    [yellow]~ step 4 · Call “D”: wait 2d → 3d[/yellow]",
        "    [cyan]⏩ step 2 fires 1d later[/cyan]",  # step 3 fires when it did
        "    [cyan]⏩ step 4 fires 1d later[/cyan]",
    ]


def test_a_changed_step_pushed_down_by_a_move_says_where_it_was():
    old = res(
        "Sequence", "outbound", {"displayName": "Outbound", "steps": [INTRO, CALL, TASK, FOLLOW]}
    )
    after = [INTRO, FOLLOW, {**CALL, "priority": "low"}, {**CALL, "note": "Breakup call"}]
    new = res("Sequence", "outbound", {"displayName": "Outbound", "steps": after})
    templates = [
        res("Template", "intro", {"displayName": "Intro email", "subject": "Hi"}),
        res("Template", "follow-up", {"subject": "Again"}),
    ]
    plan = plan_of([*templates, new], [live(templates[0], 5), live(templates[1], 6), live(old, 1)])
    listed = [line for line in MarkdownRenderer().render(plan).splitlines() if line[:3] == "- ✏"]
    assert listed == [
        "- ✏️ step 3 · Call “Ring them” (was step 2): priority high → **low**",
        "- ✏️ step 4 · Call “Breakup call” (was step 3): type Task → **Call**, wait 1d → **2d**, "
        "priority high, note Connect on LinkedIn → **Breakup call**",
    ]


def test_a_note_of_48_characters_names_its_step_whole_and_a_longer_one_is_cut():
    steps = [
        {"type": "call", "wait": "0", "note": "x" * 48},
        {"type": "task", "wait": "1d", "note": "y" * 49},
    ]
    lines = (
        TextRenderer().render(plan_of([res("Sequence", "s", {"steps": steps})], [])).splitlines()
    )
    assert lines[5:7] == [
        f"    [green]+ step 1 · Call “{'x' * 48}” added (wait 0)[/green]",
        f"    [green]+ step 2 · Task “{'y' * 47}…” added (wait 1d)[/green]",
    ]


def test_a_chart_title_loses_every_character_mermaid_would_read_as_syntax():
    name = 'Demo [beta] {q3} <new> "quoted" #1; 100%: go'
    plan = plan_of([res("Sequence", "s", {"displayName": name, "steps": [CALL]})], [])
    md = MarkdownRenderer().render(plan)
    [title] = [line for line in md.splitlines() if line.startswith("    title ")]
    assert title == (
        "    title Demo  beta   q3   new   quoted   1  100  go — steps by day after enrolment "
        "(day 1 = enrolment)"
    )


def test_a_templates_results_count_one_bounce_and_one_click():
    old = live(res("Template", "t", {"subject": "Hi"}), 3)
    old.results = Results(delivered=3, opened=1, clicked=1, replied=0, bounced=1)
    md = MarkdownRenderer().render(plan_of([res("Template", "t", {"subject": "Hello"})], [old]))
    said = "3 delivered, 33.3 % opened, 33.3 % clicked, 0.0 % replied, 33.3 % bounced"
    assert f"📊 **Results so far**: {said}" in md.splitlines()


def test_two_lint_errors_are_counted_as_errors():
    plan, _ = flagged()
    intro = next(c for c in plan.changes if c.name == "intro")
    intro.lint = [{**f, "severity": "error"} for f in intro.lint]
    said = (
        "2 lint errors: apply refuses this plan unless seqops.yaml says lint: {blockApply: false}"
    )
    assert f"[bold red]{said}[/bold red]" in TextRenderer().render(plan).splitlines()
    assert f"> ❌ **{said}**" in MarkdownRenderer().render(plan).splitlines()


def test_a_two_and_a_half_week_sequence_has_a_tick_every_other_day():
    calls = [{"type": "call", "wait": "0"}, {"type": "task", "wait": "16d"}]
    page = HtmlRenderer().render(plan_of([res("Sequence", "short", {"steps": calls})], []))
    ticks = [line.split(" ", 2)[2] for line in timeline(page) if line.startswith("tick ")]
    assert ticks == [f"day {d}" for d in range(1, 18, 2)]


def test_a_new_sequences_chart_names_the_templates_it_sends_by_their_names():
    intro = res("Template", "intro", {"displayName": "First touch", "subject": "Hi"})
    steps = [{"type": "auto_email", "wait": "0", "template": "intro"}]
    md = MarkdownRenderer().render(plan_of([intro, res("Sequence", "new", {"steps": steps})], []))
    chart = md[md.index("```mermaid") :]
    assert "    Step 1 · Automatic email First touch · day 1 : 1, 2" in chart.splitlines()
