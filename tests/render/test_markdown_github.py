"""The PR comment as GitHub shows it: rendered by cmark-gfm (GitHub's Markdown library, a test
extra), then read with an HTML parser the way a browser would. Titles read exactly as the
account spells them, business words replace field names, a body edit marks the changed words,
and no control character from the account survives anywhere, code blocks included."""

from __future__ import annotations

import re

import html5lib
import pytest

from seqops.providers.base import Impact, LiveObject, LiveStep, Results
from seqops.render import MarkdownRenderer

from .test_markdown import live, plan_of, res

cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's renderer) is a test extra")
from cmarkgfm.cmark import Options  # noqa: E402

NAME = "Outbound - VP Sales | Q3_EMEA *pilot* [draft]"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NS = {"h": "http://www.w3.org/1999/xhtml"}


def github(markdown: str):
    """The comment as GitHub renders it (raw HTML kept: GitHub sanitises after rendering)."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return html5lib.parse(rendered, namespaceHTMLElements=False)


def text_of(element) -> str:
    return "".join(element.itertext())


def a_plan():
    email = {"type": "auto_email", "wait": "0", "template": "intro"}
    call = {"type": "call", "wait": "2d", "note": "Ask about budget"}
    body = "<p>Hi {{first_name}},</p><p>We ship faster than anyone.</p><p>Sam</p>"
    old_t = res("Template", "intro", {"displayName": "Intro", "subject": "Hi", "bodyHtml": body})
    new_t = res(
        "Template",
        "intro",
        {"displayName": "Intro", "subject": "Hi", "bodyHtml": body.replace("ship", "ship much")},
    )
    old_s = res("Sequence", "outbound", {"displayName": "Outbound", "steps": [email, call]})
    new_s = res("Sequence", "outbound", {"displayName": NAME, "steps": [email]})
    template = LiveObject(old_t, 7, "t0", "intro", results=Results(1240, 500, 20, 38, 3))
    steps = [
        LiveStep(100, 1, results=Results(delivered=1240, opened=500, replied=38)),
        LiveStep(101, 2, results=Results(opened=0, replied=0, delivered=0, clicked=0, bounced=0)),
    ]
    sequence = LiveObject(old_s, 1, "t0", "outbound", steps)
    return plan_of([new_t, new_s], [template, sequence], {1: Impact(active=4, paused=1)})


def test_titles_read_exactly_as_the_account_spells_them():
    page = github(MarkdownRenderer().render(a_plan()))
    titles = [text_of(s) for s in page.iter("summary")]
    assert any(f"“{NAME}”" in t for t in titles), titles
    assert not any("\\" in t for t in titles)  # no stray Markdown escape in raw HTML


def test_business_words_and_changed_words_marked_in_the_body():
    page = github(MarkdownRenderer().render(a_plan()))
    text = text_of(page.find(".//body"))
    assert "Automatic email" in text and "auto_email" not in text
    body = page.find(".//blockquote")
    assert [text_of(i) for i in body.iter("ins")] == ["much"]
    assert not list(body.iter("del"))  # nothing removed: one word added
    assert "We ship much faster than anyone." in text_of(body) and "<p>" not in text_of(body)
    struck = [text_of(d) for d in page.iter("del")]  # the removed step's row
    assert struck == ["3", "2d", "Call", "Note: Ask about budget"]


def test_step_and_template_figures_appear_where_the_account_has_them():
    md = MarkdownRenderer().render(a_plan())
    assert (
        "📊 **Results so far**: 1,240 delivered, 40.3 % opened, 1.6 % clicked, 3.1 % replied" in md
    )
    text = text_of(github(md).find(".//body"))
    assert "1,240 delivered, 40.3 % opened, 3.1 % replied" in text  # the kept step's row
    assert "removed (wait 2d)" in text


def test_no_control_character_reaches_the_comment_even_in_code_blocks():
    hostile = "Evil\x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \u202eedoc\u202c \x07\x9b31m"
    old = res("Template", "t", {"subject": "Hi", "bodyHtml": "<p>a</p>\n" * 3})
    new = res(
        "Template",
        "t",
        {"displayName": hostile, "subject": hostile * 2, "bodyHtml": f"<p>{hostile}</p>\n" * 3},
    )
    md = MarkdownRenderer().render(plan_of([new], [live(old, 3)]))
    assert "```diff" in md  # the body's HTML source is in a code block
    assert not CONTROLS.search(md), repr(CONTROLS.findall(md))
    assert "Evillink" in md
