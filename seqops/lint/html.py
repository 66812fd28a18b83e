"""Email HTML as lint sees it: tags with their offsets, unbalanced tags, and html5lib's own
parse errors, all as offsets into the bodyHtml string.

Browsers repair anything, and mail clients each repair it differently: an unclosed `<b>` or
`<a>` in one client bolds or links the rest of the email. So beyond html5lib's errors (a
tokenizer that follows the WHATWG specification), every element that is not void must be
closed explicitly, `<p>` and `<li>` included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

import html5lib

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_HTML5LIB_REPORTED = frozenset(
    {
        "duplicate-attribute",
        "expected-end-of-tag-but-got-eof",
        "eof-in-attribute-name",
        "eof-in-attribute-value-double-quote",
        "eof-in-attribute-value-single-quote",
        "eof-in-attribute-value-no-quotes",
        "eof-in-tag-name",
        "eof-in-comment",
        "unexpected-character-after-attribute-value",
        "invalid-character-in-attribute-name",
        "unexpected-character-in-unquoted-attribute-value",
        "expected-closing-tag-but-got-char",
        "incorrect-comment",
    }
)
"""html5lib error codes about the markup itself; tag balance is checked by `Tags` instead."""


@dataclass(frozen=True)
class Tag:
    name: str
    attrs: dict[str, str | None]
    offset: int
    raw: str

    def attribute_offset(self, name: str) -> int:
        """Offset of the attribute's value (or of the tag when it cannot be found)."""
        value = self.attrs.get(name)
        at = self.raw.lower().find(name)
        if value is None or at == -1:
            return self.offset
        found = self.raw.find(value, at)
        return self.offset + (found if found != -1 else at)


@dataclass(frozen=True)
class Problem:
    message: str
    offset: int
    length: int


@dataclass
class Parsed:
    tags: list[Tag] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.parsed = Parsed()
        self.open: list[Tag] = []

    def here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = Tag(tag, dict(attrs), self.here(), self.get_starttag_text() or "")
        self.parsed.tags.append(found)
        if tag not in VOID:
            self.open.append(found)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.tags.append(Tag(tag, dict(attrs), self.here(), self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        names = [t.name for t in self.open]
        if tag not in names:
            self.problem(f"`</{tag}>` closes no open `<{tag}>`", self.here(), len(tag) + 3)
            return
        index = len(names) - 1 - names[::-1].index(tag)
        for unclosed in self.open[index + 1 :]:
            self.unclosed(unclosed, f" before `</{tag}>`")
        del self.open[index:]

    def unclosed(self, tag: Tag, where: str = "") -> None:
        self.problem(f"`<{tag.name}>` is never closed{where}", tag.offset, len(tag.raw))

    def problem(self, message: str, offset: int, length: int) -> None:
        self.parsed.problems.append(Problem(message, offset, length))


@cache
def parse(text: str) -> Parsed:
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    for unclosed in scanner.open:
        scanner.unclosed(unclosed)
    scanner.parsed.problems.extend(_html5lib_problems(text, scanner.line_starts))
    scanner.parsed.problems.sort(key=lambda p: p.offset)
    return scanner.parsed


def _html5lib_problems(text: str, line_starts: list[int]) -> list[Problem]:
    parser = html5lib.HTMLParser(strict=False)
    parser.parseFragment(text)
    problems = []
    for (line, column), code, data in parser.errors:
        if code in _HTML5LIB_REPORTED:
            offset = min(line_starts[line - 1] + max(column - 1, 0), max(len(text) - 1, 0))
            detail = ", ".join(f"{k}={v}" for k, v in (data or {}).items())
            problems.append(
                Problem(f"HTML error: {code}{f' ({detail})' if detail else ''}", offset, 1)
            )
    return problems
