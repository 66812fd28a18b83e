"""What a reader sees in the places the other render tests do not look: the collapsed title of
each change in the PR comment, an email body's links and the unchanged paragraphs folded
between two edits, a new email in the HTML review, and the checksum only under a plan that
changes something."""

from __future__ import annotations

import html5lib

from seqops.render import HtmlRenderer

from .test_markdown import CALL, EMAIL, TEMPLATES, live, plan_of, render, res, section


def titles(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("<summary>")]


def visible(html: str) -> str:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    body = tree.find("body")
    assert body is not None
    return " ".join("".join(body.itertext()).split())


def test_a_created_object_is_titled_new_and_a_sequence_counts_its_steps():
    sequence = res("Sequence", "outbound", {"displayName": "Outbound", "steps": [EMAIL, CALL]})
    md = render(plan_of([*TEMPLATES, sequence], []))
    assert titles(md) == [
        "<summary>🆕 create <code>Template/follow-up</code>: new</summary>",
        "<summary>🆕 create <code>Template/intro</code>: new</summary>",
        "<summary>🆕 create <code>Sequence/outbound</code> “Outbound”: new, 2 steps</summary>",
    ]


def body_change(old_body: str, new_body: str) -> str:
    old = res("Template", "intro", {"subject": "Hi", "bodyHtml": old_body})
    new = res("Template", "intro", {"subject": "Hi", "bodyHtml": new_body})
    return section(render(plan_of([new], [live(old, 1)])), "intro")


SAME = "".join(f"<p>Paragraph {i} stays the same.</p>" for i in range(12))


def test_an_email_body_reads_as_words_with_each_link_after_its_text_once():
    link = "<p>Read <a href='https://example.com/guide'>{} guide</a> first.</p>"
    shown = body_change(link.format("our"), link.format("the"))
    assert "> Read <del>our</del><ins>the</ins> guide (https://example.com/guide) first." in shown
    assert shown.count("(https://example.com/guide)") == 1


def test_the_unchanged_paragraphs_between_two_edits_fold_into_one_ellipsis():
    shown = body_change(f"<p>Start A</p>{SAME}<p>End A</p>", f"<p>Start B</p>{SAME}<p>End B</p>")
    quoted = [line for line in shown.splitlines() if line.startswith(">")]
    assert quoted == [
        "> Start <del>A</del><ins>B</ins>",
        ">",
        "> Paragraph 0 stays the same.",
        ">",
        "> …",
        ">",
        "> Paragraph 11 stays the same.",
        ">",
        "> End <del>A</del><ins>B</ins>",
    ]


def test_a_new_template_is_shown_as_a_new_email_in_the_html_review():
    page = visible(HtmlRenderer().render(plan_of(TEMPLATES, [])))
    assert "New email Subject: Hi" in page
    old = res("Template", "intro", {"subject": "Hello"})
    changed = visible(HtmlRenderer().render(plan_of(TEMPLATES[:1], [live(old, 1)])))
    assert "New email" not in changed


def test_the_html_review_shows_the_checksum_of_a_plan_that_changes_something_only():
    changing = visible(HtmlRenderer().render(plan_of(TEMPLATES, [])))
    assert "plan checksum " in changing
    same = [live(t, i) for i, t in enumerate(TEMPLATES, 1)]
    unchanged = visible(HtmlRenderer().render(plan_of(TEMPLATES, same)))
    assert "plan checksum" not in unchanged
