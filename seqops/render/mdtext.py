"""Markdown building blocks that keep user text inert: table cells, code fences, tables."""

from __future__ import annotations

import html
import re

from seqops.plan.diff import show

_BACKTICKS = re.compile(r"`+")


def cell(value: object) -> str:
    """A value safe inside a Markdown table cell, written the way YAML would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain("—" if value is None else show(value))


def plain(text: str) -> str:
    """Text safe inside a table cell as it is: no pipes, newlines or HTML of its own."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def prose(text: str) -> str:
    """User or server text inside Markdown prose or a quote: inert HTML, one line."""
    return html.escape(text, quote=False).replace("\n", " ")


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
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def code(name: str) -> str:
    return f"<code>{html.escape(name)}</code>"
