"""Markdown building blocks that keep user text inert: table cells, code fences, tables.

User text (names, subjects, notes, warnings that quote them) is read by GitHub as Markdown
unless escaped: backticks would open code, `**` bold, `[x](y)` a link, `<b>` HTML, and
`@team` or `#123` would ping people and link issues. `inert` strips control characters,
escapes HTML and inline Markdown, and puts a zero-width joiner after the `@` of a mention and
the `#` of an issue reference, so the comment shows the text as written and notifies nobody.
"""

from __future__ import annotations

import html
import re

from seqops.plan.diff import show
from seqops.sanitize import terminal

_BACKTICKS = re.compile(r"`+")
_MARKDOWN = re.compile(r"([\\`*\[\]~|]|(?<!\w)_|_(?!\w))")
_MENTION = re.compile(r"(?<![\w@])@(?=[\w-])|(?<![\w&])#(?=\w)|#(?=[0-9])")
_CODE_SPAN = re.compile(r"`([^`]+)`")
ZWJ = "\u200d"


def inert(text: str) -> str:
    """`text` shown as written in GitHub Markdown, on one line: no markup, HTML, mention or
    issue reference of its own."""
    escaped = html.escape(terminal(str(text), one_line=True), quote=False)
    return _MENTION.sub(lambda m: m.group() + ZWJ, _MARKDOWN.sub(r"\\\1", escaped))


def html_text(text: str) -> str:
    """`text` inside raw HTML (a `<summary>`, where GitHub reads no Markdown escape): HTML
    escaped, one line, mentions and issue references inert. Never Markdown-escaped: a `|` or
    `*` reads as itself there."""
    escaped = html.escape(terminal(str(text), one_line=True), quote=True)
    return _MENTION.sub(lambda m: m.group() + ZWJ, escaped)


def own(text: str) -> str:
    """seqops' own sentence (a warning, a refusal) that may quote user text: inert, except its
    `code spans`, which stay code (their content escaped as HTML)."""
    pieces = _CODE_SPAN.split(terminal(str(text), one_line=True))
    return "".join(
        f"<code>{html_text(piece)}</code>" if i % 2 else inert(piece)
        for i, piece in enumerate(pieces)
    )


def cell(value: object) -> str:
    """A value safe inside a Markdown table cell, written the way YAML would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain("—" if value is None else show(value))


def plain(text: str) -> str:
    """Text safe inside a table cell as it is: no pipes, newlines, HTML or Markdown."""
    return inert(text)


def prose(text: str) -> str:
    """User or server text inside Markdown prose or a quote: inert, one line."""
    return inert(text)


def change(old: object, new: object) -> str:
    """`old → **new**` when they differ, the value alone when not, struck through when gone."""
    if old == new or old is None:
        return cell(new)
    if new is None:
        return f"~~{cell(old)}~~"
    return f"{cell(old)} → **{cell(new)}**"


def table(header: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> str:
    """A table; the columns whose index is in `right` are right-aligned (numbers)."""
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fenced(text: str, language: str = "") -> str:
    """A code block whose fence is longer than any run of backticks inside it."""
    text = terminal(text)  # a code block shows control characters too: none reach it
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def code(name: str) -> str:
    return f"<code>{html_text(name)}</code>"
