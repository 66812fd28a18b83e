"""Findings inside a string point at the offending text's own line and column in the YAML
file, whatever the scalar style."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from seqops.lint import locate

SEQUENCE = """
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: s}
spec:
  ruleset: r
  steps: [{type: auto_email, wait: 0, template: t}]
---
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: r}
spec: {includeUnsubscribeLinks: true}
"""


def template(body: str) -> str:
    return f"apiVersion: seqops/v1\nkind: Template\nmetadata: {{name: t}}\nspec:\n  subject: Hi\n{body}{SEQUENCE}"


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("  bodyHtml: |\n    <p>Hi,</p>\n    <p>{{first_nmae}}</p>\n", 8, 8),
        ("  bodyHtml: |2\n      <p>Hi,</p>\n      <p>{{first_nmae}}</p>\n", 8, 10),
        ("  bodyHtml: >-\n    <p>Hi,\n\n    there {{first_nmae}}</p>\n", 9, 11),
        ('  bodyHtml: "<p>\\"Hi\\"\n    {{first_nmae}}</p>"\n', 7, 5),
        ("  bodyHtml: '<p>It''s {{first_nmae}}</p>'\n", 6, 23),
        ("  bodyHtml: <p>Hi\n    there {{first_nmae}}</p>\n", 7, 11),
        ("  bodyHtml:\n    <p>Hi {{first_nmae}}</p>\n", 7, 11),
    ],
    ids=[
        "literal",
        "explicit-indent",
        "folded",
        "double-quoted",
        "single-quoted",
        "plain",
        "plain-next-line",
    ],
)
def test_a_merge_field_is_located_in_every_scalar_style(lint, body, line, column):
    findings = lint(template(body))
    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("merge-field/unknown", line, column)
    ], findings


def test_the_region_ends_after_the_offending_text(lint):
    findings = lint(template("  bodyHtml: |\n    <p>Hi {{first_nmae}}</p>\n"))
    (finding,) = findings
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (7, 11, 7, 25)


def test_a_value_without_a_span_points_at_the_value(lint):
    text = template("  bodyHtml: <p>Hi</p>\n").replace("subject: Hi", 'subject: ""')
    findings = lint(text)
    assert [(f.rule, f.line, f.column) for f in findings] == [("threading/empty-subject", 5, 12)]


def test_the_quick_literal_block_path_gives_what_the_position_index_gives(tmp_path, monkeypatch):
    """`bodyHtml: |` blocks are located from the text, without the loader's second parse:
    every finding of the corpus and the planted cases lands where the index puts it."""
    from pathlib import Path

    from seqops.lint import Linter, LintSettings, locate
    from seqops.manifest import load

    here = Path(__file__).parent
    paths = [here / "corpus", *sorted((here / "cases" / "planted").glob("*.yaml"))]
    result = load(paths)
    quick = Linter(result, LintSettings()).run()
    monkeypatch.setattr(locate.Locator, "_literal", lambda *args: None)
    slow = Linter(result, LintSettings()).run()
    where = [(f.file, f.line, f.column, f.end_line, f.end_column, f.rule) for f in quick]
    assert where == [(f.file, f.line, f.column, f.end_line, f.end_column, f.rule) for f in slow]
    assert len(where) > 40


def _literal_block_line_by_line(lines: list[str], start: int, key: str):
    """The block search before `locate.Lined`: a pattern tried on every line."""
    header = re.compile(rf"^(\s+){re.escape(key)}:[ ]+(\|[-+]?)[ ]*(?:#.*)?$")
    found = None
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if number > start and text.startswith(("---", "...")):
            break
        match = header.match(text)
        if match is not None:
            if found is not None:
                return None
            found = (number, match.start(2) + 1, len(match.group(1)))
    if found is None or found[0] >= len(lines):
        return None
    following = lines[found[0]]
    indent = len(following) - len(following.lstrip(" "))
    return (found[0], found[1], indent) if indent > found[2] else None


LINES = [
    "spec:",
    "  bodyHtml: |",
    "  bodyHtml: |-  # a comment",
    "  bodyHtml: >",
    "    <p>x</p>",
    "    bodyHtml: |",
    "bodyHtml: |",
    "  subject: bodyHtml: |",
    "---",
    "...",
    "----",
    "    ---",
    "",
    "  ",
    "\tbodyHtml: |",
    "  bodyHtml:  |+",
    "      deeper",
    "  bodyHtml: | # bodyHtml: |",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=14), st.integers(1, 15))
@example(["spec:", "  bodyHtml: | # bodyHtml: |", "    <p>x</p>"], 1)
def test_the_block_is_found_where_the_line_by_line_search_found_it(lines, start):
    lined = locate.Lined(lines)
    expected = _literal_block_line_by_line(lines, start, "bodyHtml")
    assert locate._literal_block(lined, start, "bodyHtml") == expected


def test_a_locator_keeps_the_lines_of_a_few_recent_files_only():
    cache: dict[int, list[str]] = {}
    for key in range(locate.RECENT_FILES * 3):
        assert locate._kept(cache, key, lambda key=key: [str(key)]) == [str(key)]
    assert sorted(cache) == list(range(locate.RECENT_FILES * 2, locate.RECENT_FILES * 3))


def test_text_before_an_escaped_line_break_stays_on_its_own_line(lint):
    """In a double-quoted scalar, `\\` at a line's end joins the next line to it with nothing
    between: a finding on the last character before it is on that line, even when the next
    line's text starts in the very next column."""
    body = '  bodyHtml: "<p><a href=x\\\n' + " " * 25 + '>demo</a></p>"\n'
    findings = [f for f in lint(template(body)) if f.rule == "content/insecure-link"]
    assert [(f.line, f.column, f.end_line, f.end_column) for f in findings] == [(6, 25, 6, 26)]


def test_a_finding_from_a_folded_line_break_points_at_its_value_not_into_the_indentation(lint):
    """A folded block (`>`) turns a line break into a space the source does not hold: a link
    whose address starts with it is reported where the value starts, not in the indentation
    of the next line, where no text of the email is."""
    body = '  bodyHtml: >\n    <p><a href="\n    https://bit.ly/x">demo</a></p>\n'
    findings = [f for f in lint(template(body)) if f.rule == "content/url-shortener"]
    assert [(f.line, f.column, f.end_line) for f in findings] == [(6, 13, None)]


@pytest.mark.parametrize(
    "written",
    [
        r'"<p>Hi,\t{{first_nmae}}</p>"',
        r'"<p>Caf\xE9, \u00e9l\u00E8ve \U0001F600 {{first_nmae}}</p>"',
        r'"<p>Say \"yes\" in C:\\temp\\ {{first_nmae}}</p>"',
        r'"<p>Hi\L\N\_\ \/ {{first_nmae}}</p>"',
        '"<p>Hi,\n    \\ {{first_nmae}}</p>"',
        '"<p>Hi,\n\n    \\n{{first_nmae}}</p>"',
    ],
    ids=[
        "tab",
        "code-points",
        "quote-and-backslash",
        "one-letter",
        "line-starts-with-space",
        "line-starts-with-break",
    ],
)
def test_a_merge_field_after_escapes_is_located_where_it_is_written(lint, written):
    """Each escape of a double-quoted scalar is one character of the value, however many it
    takes in the file: what follows is found at its own column, not at the value's start."""
    before = template(f"  bodyHtml: {written}\n").split("{{first_nmae}}")[0]
    line, at = before.count("\n") + 1, len(before) - before.rfind("\n")
    findings = [
        f for f in lint(template(f"  bodyHtml: {written}\n")) if f.rule == "merge-field/unknown"
    ]
    assert [(f.line, f.column, f.end_column) for f in findings] == [(line, at, at + 14)]
