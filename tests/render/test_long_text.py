"""Long text read as a line diff, never cut: a value over 60 characters or over several lines,
two lines of context around each change and a gap marked between changes far apart, the
changed words marked within a changed line; the same lines in every format."""

from __future__ import annotations

import html5lib

from seqops.render import HtmlRenderer, MarkdownRenderer, TextRenderer

from .test_markdown import live, plan_of, res

PARAGRAPHS = [f"<p>Paragraph {i}</p>" for i in range(10)]
OLD = "".join(PARAGRAPHS)
NEW = OLD.replace("Paragraph 1<", "Paragraph one<").replace("Paragraph 8<", "Paragraph eight<")
SIXTY, SIXTY_ONE = "x" * 60, "y" * 61


def edited(old_subject: str = SIXTY, new_subject: str = SIXTY_ONE):
    old = res("Template", "t", {"subject": old_subject, "bodyHtml": OLD})
    new = res("Template", "t", {"subject": new_subject, "bodyHtml": NEW})
    return plan_of([new], [live(old, 1)])


def test_the_pr_comment_diffs_a_long_subject_and_the_html_source_with_context_and_gaps():
    md = MarkdownRenderer().render(edited())
    subject = md[md.index("**Subject line**") : md.index("**Email body**")]
    assert (
        subject
        == f"**Subject line** <sub>subject</sub>\n\n```diff\n-{SIXTY}\n+{SIXTY_ONE}\n```\n\n"
    )
    source = md[md.index("```diff", md.index("HTML source")) :].split("\n```")[0]
    assert source.splitlines() == [
        "```diff",
        " <p>Paragraph 0</p>",
        "-<p>Paragraph 1</p>",
        "+<p>Paragraph one</p>",
        " <p>Paragraph 2</p>",
        " <p>Paragraph 3</p>",
        "@@ … @@",
        " <p>Paragraph 6</p>",
        " <p>Paragraph 7</p>",
        "-<p>Paragraph 8</p>",
        "+<p>Paragraph eight</p>",
        " <p>Paragraph 9</p>",
    ]


def test_the_terminal_marks_the_changed_words_of_each_changed_line():
    assert TextRenderer().render(edited()).splitlines()[2:-2] == [
        "[yellow]~ update[/yellow] [bold]Template/t[/bold] (id 1)",
        "    [yellow]~ Subject line [dim](subject)[/dim]:[/yellow]",
        f"        [red]- [bold underline]{SIXTY}[/bold underline][/red]",
        f"        [green]+ [bold underline]{SIXTY_ONE}[/bold underline][/green]",
        "    [yellow]~ Email body [dim](bodyHtml)[/dim]:[/yellow]",
        "        [dim]  <p>Paragraph 0</p>[/dim]",
        "        [red]- <p>Paragraph [bold underline]1[/bold underline]</p>[/red]",
        "        [green]+ <p>Paragraph [bold underline]one[/bold underline]</p>[/green]",
        "        [dim]  <p>Paragraph 2</p>[/dim]",
        "        [dim]  <p>Paragraph 3</p>[/dim]",
        "        [dim]@ …[/dim]",
        "        [dim]  <p>Paragraph 6</p>[/dim]",
        "        [dim]  <p>Paragraph 7</p>[/dim]",
        "        [red]- <p>Paragraph [bold underline]8[/bold underline]</p>[/red]",
        "        [green]+ <p>Paragraph [bold underline]eight[/bold underline]</p>[/green]",
        "        [dim]  <p>Paragraph 9</p>[/dim]",
        "    [bold]impact: 0 active, 0 paused prospects[/bold]",
    ]


def test_the_html_review_folds_the_same_lines_under_each_field():
    tree = html5lib.parse(HtmlRenderer().render(edited()), namespaceHTMLElements=False)
    blocks = {
        d.find("summary").text: [(s.get("class"), s.text) for s in d.find("pre")]
        for d in tree.iter("details")
    }
    assert blocks == {
        "Subject line: text (line diff)": [("del", SIXTY), ("ins", SIXTY_ONE)],
        "Email body: HTML source (line diff)": [
            ("same", "<p>Paragraph 0</p>"),
            ("del", "<p>Paragraph 1</p>"),
            ("ins", "<p>Paragraph one</p>"),
            ("same", "<p>Paragraph 2</p>"),
            ("same", "<p>Paragraph 3</p>"),
            ("same", "…"),
            ("same", "<p>Paragraph 6</p>"),
            ("same", "<p>Paragraph 7</p>"),
            ("del", "<p>Paragraph 8</p>"),
            ("ins", "<p>Paragraph eight</p>"),
            ("same", "<p>Paragraph 9</p>"),
        ],
    }


def test_sixty_characters_still_read_on_one_line():
    y60 = "y" * 60
    text = TextRenderer().render(edited(SIXTY, y60)).splitlines()
    assert f"    [yellow]~ Subject line [dim](subject)[/dim]: {SIXTY} → {y60}[/yellow]" in text
    md = MarkdownRenderer().render(edited(SIXTY, y60))
    assert f"| **Subject line** <sub>subject</sub> | {SIXTY} | {y60} |" in md
