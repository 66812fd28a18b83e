"""The other kinds of change, read in every format: a sequence enabled (its steps and chart
shown: prospects start moving through them), one disabled (no steps, no chart, a warning of
who stops), a step's A/B variants swapped, and a step's long note rewritten (its words diffed,
in the HTML review too, where the steps table points to it)."""

from __future__ import annotations

import html5lib

from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import Impact, LiveObject, LiveState, LiveStep
from seqops.render import HtmlRenderer, MarkdownRenderer, TextRenderer

from .test_markdown import live, plan_of, res
from .test_reader_reads import LEGEND, reading, section

RING = {"type": "call", "wait": "1d", "note": "Ring"}
LONG = "Ask how they forecast today, which tools they use and who signs off on a purchase of this size."
NEWER = LONG.replace("today", "this quarter")


def kinds():
    def seq(name: str, display: str, steps: list[dict], **spec):
        return res("Sequence", name, {"displayName": display, "steps": steps, **spec})

    templates = [res("Template", k, {"subject": k.upper()}) for k in ("ta", "tb", "tc")]
    email = {"type": "auto_email", "wait": "0"}
    note = {"type": "call", "wait": "1d"}
    desired = [
        seq("a", "Alpha", [RING], enabled=True),
        seq("b", "Beta", [RING], enabled=False),
        *templates,
        seq("v", "Variants", [{**email, "templates": ["ta", "tc"]}]),
        seq("n", "Notes", [{**note, "note": NEWER}]),
    ]
    existing = [
        seq("a", "Alpha", [RING], enabled=False),
        seq("b", "Beta", [RING], enabled=True),
        *templates,
        seq("v", "Variants", [{**email, "templates": ["ta", "tb"]}]),
        seq("n", "Notes", [{**note, "note": LONG}]),
    ]
    objects = [live(r, i) for i, r in enumerate(existing, 1)]
    return plan_of(desired, objects, {1: Impact(active=2), 2: Impact(active=1, paused=1)})


def test_the_pr_comment_counts_them_in_the_plans_order_and_tells_each():
    md = MarkdownRenderer().render(kinds())
    assert md.splitlines()[2:9] == [
        "| Action | Count | Meaning |",
        "| --- | ---: | --- |",
        "| ✏️ update | 2 | changed in place |",
        "| ▶️ enable | 1 | prospects start moving through it |",
        "| ⏸️ disable | 1 | stops: no step fires for anyone in it |",
        "",
        "**4 active or paused prospects are in sequences this plan changes.**",
    ]
    assert section(md, "Sequence/b") == [
        "<summary>⏸️ disable <code>Sequence/b</code> “Beta”: enabled yes → no — <b>1 active, 1 "
        "paused prospects</b></summary>",
        "",
        "_stops: no step fires for anyone in it_",
        "",
        "**Impact: 1 active, 1 paused prospects**",
        "",
        "- ⚠️ disabled, no step fires for anyone in it: 1 active prospect gets no further steps, "
        "1 paused prospect never resumes",
        "",
        "| Setting | Before | After |",
        "| --- | --- | --- |",
        "| **Enabled** <sub>enabled</sub> | yes | no |",
        "",
    ]
    assert section(md, "Sequence/a")[8:] == [
        "| **Enabled** <sub>enabled</sub> | no | yes |",
        "",
        "| Step | Day | Wait | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 2 | 1d | Call |  | Note: Ring |  |",
        "",
    ]
    enabled = md[md.index("Sequence/a</code>") :]
    assert "    section Steps\n    Step 1 · Call Ring · day 2 : 2, 3\n```" in enabled
    assert section(md, "Sequence/v")[6:] == [
        "- ✏️ step 1 · Automatic email “ta” / “tc”: templates ta, tb → **ta, tc**",
        "",
        "| Step | Day | Wait | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 1 | 0 | Automatic email | ta<br>tc<br>variants: +tc -tb |  | ✏️ changed |",
        "",
    ]
    assert section(md, "Sequence/n")[6:] == [
        "- ✏️ step 1 · Call “Ask how they forecast this quarter, which tools…”: text changed "
        "(diff below)",
        "",
        "**Step 1: note**",
        "",
        "```diff",
        f"-{LONG}",
        f"+{NEWER}",
        "```",
        "",
        "| Step | Day | Wait | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 2 | 1d | Call |  | Note: changed (the text is shown below) | ✏️ changed |",
        "",
    ]


def test_the_terminal_tells_each_in_its_colour():
    assert TextRenderer().render(kinds()).splitlines()[2:] == [
        "[yellow]~ update[/yellow] [bold]Sequence/n[/bold] (id 7) [dim]“Notes”[/dim]",
        "    [yellow]~ step 1 · Call “Ask how they forecast this quarter, which tools…”[/yellow]",
        "        [yellow]~ Note:[/yellow]",
        "            [red]- Ask how they forecast [bold underline]today[/bold underline], which "
        "tools they use and who signs off on a purchase of this size.[/red]",
        "            [green]+ Ask how they forecast [bold underline]this quarter[/bold "
        "underline], which tools they use and who signs off on a purchase of this size.[/green]",
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
        "",
        "[yellow]~ update[/yellow] [bold]Sequence/v[/bold] (id 6) [dim]“Variants”[/dim]",
        "    [yellow]~ step 1 · Automatic email “ta” / “tc”: templates ta, tb → ta, tc (variants: "
        "+tc -tb)[/yellow]",
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
        "",
        "[red]- disable[/red] [bold]Sequence/b[/bold] (id 2) [dim]“Beta”[/dim]",
        "    [yellow]~ Enabled [dim](enabled)[/dim]: yes → no[/yellow]",
        "    [bold red]impact: 1 active, 1 paused prospects[/bold red]",
        "    [yellow]! disabled, no step fires for anyone in it: 1 active prospect gets no further "
        "steps, 1 paused prospect never resumes[/yellow]",
        "",
        "[green]+ enable[/green] [bold]Sequence/a[/bold] (id 1) [dim]“Alpha”[/dim]",
        "    [yellow]~ Enabled [dim](enabled)[/dim]: no → yes[/yellow]",
        "    [bold red]impact: 2 active, 0 paused prospects[/bold red]",
        "",
        "[bold]Plan: 2 to update, 1 to enable, 1 to disable.[/bold]",
    ]


def test_the_html_review_tells_each_and_shows_a_steps_rewritten_note():
    """Bug: the steps table said a long note's text "is shown below" and the review showed
    it nowhere (only the Markdown and the terminal had its diff)."""
    page = HtmlRenderer().render(kinds())
    assert reading(page)[7:] == [
        "✏️ update Sequence/n “Notes”",
        "step 1 note",
        "changed in place",
        "Impact: 0 active, 0 paused prospects",
        "Step 1: note (line diff)",
        "step 1 · Call “Ask how they forecast this quarter, which tools…”",
        "Step | Day | Wait | Type | Template | Details | Change",
        "1 | 2 | 1d | Call |  | Note: changed (the text is shown below) | ✏️ changed",
        LEGEND,
        "✏️ update Sequence/v “Variants”",
        "step 1 templates",
        "changed in place",
        "Impact: 0 active, 0 paused prospects",
        "step 1 · Automatic email “ta” / “tc”",
        "Step | Day | Wait | Type | Template | Details | Change",
        "1 | 1 | 0 | Automatic email | ta / tc / variants: +tc -tb |  | ✏️ changed",
        LEGEND,
        "⏸️ disable Sequence/b “Beta”",
        "enabled yes → no",
        "stops: no step fires for anyone in it",
        "Impact: 1 active, 1 paused prospects",
        "⚠️ disabled, no step fires for anyone in it: 1 active prospect gets no further steps, 1 "
        "paused prospect never resumes",
        "Setting | Before | After",
        "Enabled enabled | yes | no",
        "▶️ enable Sequence/a “Alpha”",
        "enabled no → yes",
        "prospects start moving through it",
        "Impact: 2 active, 0 paused prospects",
        "Setting | Before | After",
        "Enabled enabled | no | yes",
        "Step | Day | Wait | Type | Template | Details | Change",
        "1 | 2 | 1d | Call |  | Note: Ring | ",
        LEGEND,
    ]
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    [note] = tree.iter("pre")
    assert [(line.get("class"), line.text) for line in note] == [("del", LONG), ("ins", NEWER)]
    impacts = [p.get("class") for p in tree.iter("p") if (p.text or "").startswith("Impact")]
    assert impacts == ["impact", "impact", "impact disruptive", "impact disruptive"]


def deletions():
    def absent(kind: str, name: str, spec: dict):
        data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}}
        return manifest_adapter.validate_python({**data, "spec": spec, "state": "absent"})

    gone = res("Template", "gone", {"displayName": "Gone", "subject": "Old"})
    old = res("Sequence", "olds", {"displayName": "Old seq", "steps": [RING], "enabled": True})
    keep = res("Template", "keep", {"subject": "K"})
    desired = [
        absent("Template", "gone", {"subject": "Old"}),
        absent("Sequence", "olds", {"steps": [RING]}),
        keep,
    ]
    state = LiveState(objects=[live(gone, 3), live(old, 4), live(keep, 5)])
    plan = finish(draft_plan(desired, state, "sandbox", allow_delete=True), {4: Impact()})
    plan.target_description = "embedded sandbox"
    return plan


def test_a_deletion_says_why_and_shows_nothing_that_would_fire():
    md = MarkdownRenderer().render(deletions())
    assert md.splitlines()[2:] == [
        "| Action | Count | Meaning |",
        "| --- | ---: | --- |",
        "| 🗑️ delete | 2 | removed from the account |",
        "",
        "<details>",
        "<summary>🗑️ delete <code>Sequence/olds</code> “Old seq”</summary>",
        "",
        "_removed from the account_",
        "",
        "_state: absent_",
        "",
        "**Impact: 0 active, 0 paused prospects**",
        "",
        "</details>",
        "",
        "<details>",
        "<summary>🗑️ delete <code>Template/gone</code> “Gone”</summary>",
        "",
        "_removed from the account_",
        "",
        "_state: absent_",
        "",
        "</details>",
        "",
        f"<sub>plan checksum <code>{deletions().checksum}</code></sub>",
    ]
    assert TextRenderer().render(deletions()).splitlines()[2:] == [
        "[red]- delete[/red] [bold]Sequence/olds[/bold] (id 4) [dim]“Old seq”[/dim]",
        "    [dim]state: absent[/dim]",
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
        "",
        "[red]- delete[/red] [bold]Template/gone[/bold] (id 3) [dim]“Gone”[/dim]",
        "    [dim]state: absent[/dim]",
        "",
        "[bold]Plan: 2 to delete.[/bold]",
    ]
    page = HtmlRenderer().render(deletions())
    assert reading(page)[2:] == [
        "Action | Count | Meaning",
        "🗑️ delete | 2 | removed from the account",
        "🗑️ delete Sequence/olds “Old seq”",
        "removed from the account",
        "state: absent",
        "Impact: 0 active, 0 paused prospects",
        "🗑️ delete Template/gone “Gone”",
        "removed from the account",
        "state: absent",
    ]
    assert "<svg" not in page and "<iframe" not in page


def test_a_step_that_sends_another_template_shows_both_in_the_pr_comment():
    intro = res("Template", "intro", {"displayName": "Intro email", "subject": "Hi"})
    follow = res("Template", "follow-up", {"subject": "Again"})
    email = {"type": "auto_email", "wait": "0"}
    old = res("Sequence", "s", {"displayName": "S", "steps": [{**email, "template": "intro"}]})
    new = res("Sequence", "s", {"displayName": "S", "steps": [{**email, "template": "follow-up"}]})
    plan = plan_of([intro, follow, new], [live(intro, 2), live(follow, 3), live(old, 1)])
    assert section(MarkdownRenderer().render(plan), "Sequence/s")[6:] == [
        "- ✏️ step 1 · Automatic email “follow-up”: template intro → **follow-up**",
        "",
        "| Step | Day | Wait | Type | Template | Details | Change |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | 1 | 0 | Automatic email | Intro email <sub>intro</sub> → **follow-up** |  | ✏️ changed |",
        "",
    ]


def test_a_long_note_is_cut_to_32_characters_in_the_charts():
    md = MarkdownRenderer().render(kinds())
    notes = md[md.index("```mermaid", md.index("Sequence/n</code>")) :]
    assert notes[notes.index("    section Before") : notes.index("\n```")].splitlines() == [
        "    section Before",
        "    Step 1 · Call Ask how they forecast today, wh… · day 2 : 2, 3",
        "    section After",
        "    Step 1 · Call Ask how they forecast this quar… · day 2 (changed) :crit, 2, 3",
    ]
    tree = html5lib.parse(HtmlRenderer().render(kinds()), namespaceHTMLElements=False)
    svg = "{http://www.w3.org/2000/svg}"
    tips = [t.text for t in next(tree.iter(f"{svg}svg")).iter(f"{svg}title")]
    assert tips[1:] == [
        "Step 1 · Call Ask how they forecast today, wh… · day 2",
        "Step 1 · Call Ask how they forecast this quar… · day 2 (changed)",
    ]


def adoptions():
    """An untagged live sequence and template named as the manifests name theirs: seqops takes
    them under its management, changing a wait (1d to 3d) and a word on the way."""
    legacy = res("Sequence", "legacy", {"displayName": "Legacy", "steps": [RING]})
    mine = res("Sequence", "mine", {"displayName": "Legacy", "steps": [{**RING, "wait": "3d"}]})
    old = res(
        "Template",
        "old-hello",
        {"displayName": "Hello", "subject": "Hi", "bodyHtml": "<p>Hi there</p>"},
    )
    new = res(
        "Template", "hello", {"displayName": "Hello", "subject": "Hi", "bodyHtml": "<p>Hi you</p>"}
    )
    untagged = [
        LiveObject(legacy, 7, "t0", None, [LiveStep(701, 1)]),
        LiveObject(old, 8, "t0", None),
    ]
    return plan_of([new, mine], untagged)


def test_an_adoption_is_told_as_such_in_every_format():
    plan = adoptions()
    assert [(c.action, c.name) for c in plan.changes] == [("adopt", "hello"), ("adopt", "mine")]
    md = MarkdownRenderer().render(plan)
    assert md.splitlines()[2:5] == [
        "| Action | Count | Meaning |",
        "| --- | ---: | --- |",
        "| 🔗 adopt | 2 | existing object taken under seqops' management |",
    ]
    assert section(md, "Sequence/mine")[:9] == [
        "<summary>🔗 adopt <code>Sequence/mine</code> “Legacy”: step 1 wait 1d → 3d</summary>",
        "",
        "_existing object taken under seqops' management_",
        "",
        "**Impact: 0 active, 0 paused prospects**",
        "",
        "- ✏️ step 1 · Call “Ring”: wait 1d → **3d**",
        "- ⏩ step 1 fires 2d later",
        "",
    ]
    text = TextRenderer().render(plan).splitlines()
    assert "[cyan]~ adopt[/cyan] [bold]Template/hello[/bold] (id 8) [dim]“Hello”[/dim]" in text
    assert "[cyan]~ adopt[/cyan] [bold]Sequence/mine[/bold] (id 7) [dim]“Legacy”[/dim]" in text
    assert text[-1] == "[bold]Plan: 2 to adopt.[/bold]"
    lines = reading(HtmlRenderer().render(plan))
    start = lines.index("🔗 adopt Template/hello “Hello”")
    assert lines[start : start + 10] == [
        "🔗 adopt Template/hello “Hello”",
        "email body",
        "existing object taken under seqops' management",
        "Impact: 0 active, 0 paused prospects",
        "Before",
        "Subject: Hi",
        "[frame: Before]",
        "After",
        "Subject: Hi",
        "[frame: After]",
    ]
