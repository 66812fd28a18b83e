"""The HTML reader behind content/malformed-html, insecure-link and img-alt: tags, attributes
and offsets as a mail client reads them, and the problems it reports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from seqops.lint.html import parse


def problems(text: str) -> list[tuple[str, int]]:
    return [(p.message, p.offset) for p in parse(text).problems]


@pytest.mark.parametrize(
    "text",
    [
        "<p>Hi <b>{{first_name}}</b>,<br>see <a href='https://a.io/?x=1&amp;y=2'>this</a>.</p>",
        '<table><tr><td><img src="https://a.io/x.png" alt=""/></td></tr></table>',
        "<style>p { margin: 0 } a<b {}</style><p>styled</p>",
        "<!-- a comment with <b> and < inside --><p>x &lt; y, Q&A</p>",
        '<p title="a > b">quoted angle brackets</p><hr/><br />',
        "<!DOCTYPE html><html><body><p>whole document</p></body></html>",
    ],
)
def test_well_formed_email_html_has_no_problems(text):
    assert problems(text) == []


def test_an_element_never_closed_is_reported_where_it_opens():
    assert problems("<p>Hi</p>\n<div>still open") == [("`<div>` is never closed", 10)]


def test_an_element_closed_by_its_parent_is_reported():
    assert problems("<p>Hi <b>there</p>") == [("`<b>` is never closed before `</p>`", 6)]


def test_a_closing_tag_without_an_opening_one_is_reported():
    assert problems("<p>a</b></p>") == [("`</b>` closes no open `<b>`", 4)]


def test_a_duplicate_attribute_is_reported():
    assert problems('<a href="https://a.io" href="https://b.io">x</a>') == [
        ("`<a>` gives `href` twice", 0)
    ]


def test_an_unterminated_attribute_is_named_by_html5lib():
    found = problems('<p>x <a href="https://a.io>y</a></p>')
    assert ("HTML error: eof-in-attribute-value-double-quote", 35) in found


def test_attributes_are_unescaped_and_located():
    (tag,) = [
        t for t in parse('<p><a href="https://a.io/?a=1&amp;b=2">x</a></p>').tags if t.name == "a"
    ]
    assert tag.attrs == {"href": "https://a.io/?a=1&b=2"}
    assert tag.offset == 3


@pytest.mark.parametrize(
    "text", ["<p>Beat <<Competitor Name>> on price</p>", "<p>1 < 2 and x <= 3 <3</p>"]
)
def test_a_less_than_sign_of_text_needs_no_second_reading(text):
    """html5lib (imported for a second reading, thirty times slower) only names broken markup:
    a `<` the tokenizer reads as text can give none, so lint never loads it for such a body."""
    program = (
        "import sys; from seqops.lint.html import parse; "
        f"assert parse({text!r}).problems == []; print('html5lib' in sys.modules)"
    )
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert (ran.returncode, ran.stdout.strip()) == (0, "False"), ran.stderr


def test_an_unreadable_tag_after_a_less_than_sign_of_text_is_still_named():
    problems = parse('<p>1 < 2</p><a href="x').problems
    assert [p.message for p in problems] == ["HTML error: eof-in-attribute-value-double-quote"]


def test_a_problem_html5lib_names_on_a_later_line_is_placed_on_that_line():
    text = '<p>Hello there, friend.</p>\n<p>Book a slot: <a href="https://x.example/book'
    named = [p for p in parse(text).problems if p.message.startswith("HTML error")]
    assert [p.message for p in named] == ["HTML error: eof-in-attribute-value-double-quote"]
    assert named[0].offset == len(text) - 1  # where the text ends, on its second line
