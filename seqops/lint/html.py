"""Email HTML as lint sees it: tags with their offsets, unbalanced tags, and html5lib's own
parse errors, all as offsets into the bodyHtml string. A compiled tokenizer reads every body;
html5lib (the WHATWG parsing algorithm) re-reads those with a problem, to name it.

Browsers repair anything, and mail clients each repair it differently: an unclosed `<b>` or
`<a>` in one client bolds or links the rest of the email. So beyond html5lib's errors (a
tokenizer that follows the WHATWG specification), every element that is not void must be
closed explicitly, `<p>` and `<li>` included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

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


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


HTML_ELEMENTS = _names(
    """a abbr address area article aside b base bdi bdo big blockquote body br button caption
    center cite code col colgroup dd del details dfn div dl dt em fieldset figcaption figure
    font footer form h1 h2 h3 h4 h5 h6 head header hr html i img input ins kbd label legend li
    link main map mark meta nav noscript ol optgroup option p picture pre q s samp script
    section select small source span strike strong style sub summary sup table tbody td
    template textarea tfoot th thead time title tr track tt u ul var video wbr"""
)
"""Element names mail clients know; another name in the body is text they swallow."""


def known_element(name: str) -> bool:
    """An element mail clients know, or a namespaced one (Outlook's `o:p`, `v:rect`)."""
    return name in HTML_ELEMENTS or ":" in name


class Tag:
    """A start tag: its name, where it is, and its attributes, read when first asked for
    (most tags of a big body are never asked)."""

    __slots__ = ("_attrs", "inside", "name", "offset", "raw")

    def __init__(self, name: str, offset: int, raw: str, inside: str) -> None:
        self.name, self.offset, self.raw, self.inside = name, offset, raw, inside
        self._attrs: dict[str, str | None] | None = None

    def __repr__(self) -> str:
        return f"Tag({self.name!r}, {self.offset}, {self.raw!r})"

    @property
    def attrs(self) -> dict[str, str | None]:
        """The attributes (first value wins, as in browsers), values unescaped."""
        if self._attrs is None:
            self._attrs = _attributes(self.inside)[0] if self.inside.strip() else {}
        return self._attrs

    def mentions(self, word: str) -> bool:
        """Whether the tag's text holds `word` (lowercase): a cheap look before `attrs`."""
        return word in self.raw.lower()

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


@dataclass(frozen=True)
class Segment:
    """Text a reader sees, as written (entities not decoded), at `offset` of the body."""

    offset: int
    text: str
    in_link: bool = False


@dataclass
class Parsed:
    tags: list[Tag] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: list[Segment] = field(default_factory=list)
    """The visible text between tags: not comments (Outlook's conditional ones included),
    not `<style>`, `<script>`, `<head>` or `<title>`."""
    links: list[Link] = field(default_factory=list)
    """Every `<a href>` with the text it shows."""
    styles: list[Segment] = field(default_factory=list)
    """The content of each `<style>` element."""


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']+|\"[^\"]*\"|'[^']*')*)>")
"""A start or end tag, as tolerant as the tokenizers of mail clients."""


def _other_token(text: str, start: int) -> int | None:
    """Where a comment, a doctype or a processing instruction starting at `text[start]` (a
    `<`) ends; None when no markup starts there."""
    following = text[start + 1 : start + 2]
    if following == "!" and text.startswith("<!--", start):
        close = text.find("-->", start + 4)
        return len(text) if close == -1 else close + 3  # never closed: to the end
    if following in ("!", "?"):
        close = text.find(">", start)
        return None if close == -1 else close + 1
    return None


def _closing(text: str, name: str, position: int) -> int:
    """Where the raw text of a `<style>` or `<script>` opened before `position` ends."""
    found = re.compile(rf"</{name}", re.IGNORECASE).search(text, position)
    return len(text) if found is None else found.start()


_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
RAW_TEXT = ("style", "script")
"""Elements whose content is not markup: skipped to their end tag."""
UNSEEN = frozenset(["head", "title", *RAW_TEXT])
"""Elements whose text the reader never sees in the message."""


@dataclass
class Link:
    """An `<a href>`: its tag, and the visible text inside it (tags removed)."""

    tag: Tag
    text: str = ""
    end: int | None = None
    """Where its `</a>` ends; None when it is never closed."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.parsed = Parsed()
        self.open: list[Tag] = []
        self.stray_angle = False
        """A `<` that starts no tag: markup the tokenizer could not read."""
        self.unseen = 0
        """Depth inside elements whose text is not shown (`UNSEEN`)."""
        self.link: Link | None = None

    def run(self) -> None:
        text, position, cursor, tokens, hidden = self.text, 0, 0, 0, 0
        find, match_tag = text.find, _TAG.match
        while (start := find("<", cursor)) != -1:
            match = match_tag(text, start)  # a tag, nearly always
            if match is not None:
                end = match.end()
            else:
                found = _other_token(text, start)
                if found is None:
                    cursor = start + 1  # a `<` that starts nothing: text (stray_angle says so)
                    continue
                end = found
            if start > position and not self.unseen:
                self.visible(position, start)
            position = cursor = end
            tokens += 1
            if match is None:
                hidden += text.count("<", start + 1, end)  # a `<` inside a comment is text
                continue
            name = match.group(2).lower()
            if match.group(1):
                self.end_tag(name, start, end - start)
                continue
            self.start_tag(name, match)
            if name in RAW_TEXT:
                close = _closing(text, name, position)
                if name == "style":
                    self.parsed.styles.append(Segment(position, text[position:close]))
                hidden += text.count("<", position, close)
                position = cursor = close
        self.visible(position, len(text))
        self.stray_angle = text.count("<") - hidden != tokens
        for unclosed in self.open:
            self.unclosed(unclosed)

    def visible(self, start: int, end: int) -> None:
        if start >= end or self.unseen:
            return
        segment = self.text[start:end]
        if segment.strip():
            self.parsed.texts.append(Segment(start, segment, self.link is not None))
            if self.link is not None:
                self.link.text += segment

    def start_tag(self, name: str, match: re.Match[str]) -> None:
        inside = match.group(3)
        tag = Tag(name, match.start(), match.group(), inside)
        self.parsed.tags.append(tag)
        if name in UNSEEN and name not in RAW_TEXT:
            self.unseen += 1
        if name == "a" and "href" in tag.attrs:
            self.link = Link(tag)
            self.parsed.links.append(self.link)
        for attribute in _repeated(inside):
            self.problem(f"`<{name}>` gives `{attribute}` twice", tag.offset, len(tag.raw))
        if name not in VOID and known_element(name) and not inside.rstrip().endswith("/"):
            self.open.append(tag)

    def end_tag(self, name: str, offset: int, length: int) -> None:
        if name in UNSEEN and name not in RAW_TEXT and self.unseen:
            self.unseen -= 1
        if name == "a":
            if self.link is not None:
                self.link.end = offset + length
            self.link = None
        if self.open and self.open[-1].name == name:  # well-formed: nearly always
            self.open.pop()
            return
        if name in VOID or not known_element(name):
            return
        names = [t.name for t in self.open]
        if name not in names:
            self.problem(f"`</{name}>` closes no open `<{name}>`", offset, length)
            return
        index = len(names) - 1 - names[::-1].index(name)
        for unclosed in self.open[index + 1 :]:
            self.unclosed(unclosed, f" before `</{name}>`")
        del self.open[index:]

    def unclosed(self, tag: Tag, where: str = "") -> None:
        self.problem(f"`<{tag.name}>` is never closed{where}", tag.offset, len(tag.raw))

    def problem(self, message: str, offset: int, length: int) -> None:
        self.parsed.problems.append(Problem(message, offset, length))


def _repeated(inside: str) -> list[str]:
    """The attribute names `inside` a tag gives twice (one pattern call for most tags)."""
    if inside.count("=") < 2:
        return []
    names = [name.lower() for name, _ in _ATTRIBUTE.findall(inside)]
    if len(set(names)) == len(names):
        return []
    return _attributes(inside)[1]


def _attributes(text: str) -> tuple[dict[str, str | None], list[str]]:
    """The attributes (first value wins, as in browsers) and the names given twice."""
    found: dict[str, str | None] = {}
    repeated = []
    for match in _ATTRIBUTE.finditer(text):
        name, value = match.group(1).lower(), match.group(2)
        if value is not None and value[:1] in ("'", '"'):
            value = value[1:-1]
        if name in found:
            repeated.append(name)
            continue
        found[name] = None if value is None else unescape(value)
    return found, repeated


@lru_cache(maxsize=8192)
def parse(text: str) -> Parsed:
    """Tags and problems of `text`. html5lib (the WHATWG parsing algorithm, about thirty times
    slower) re-reads only bodies this pass found fault with or could not read, to name what is
    wrong in the markup itself (an unterminated attribute, a duplicate one)."""
    scanner = _Scanner(text)
    scanner.run()
    if scanner.parsed.problems or scanner.stray_angle:
        scanner.parsed.problems.extend(_html5lib_problems(text))
    scanner.parsed.problems.sort(key=lambda p: p.offset)
    return scanner.parsed


def _html5lib_problems(text: str) -> list[Problem]:
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    import html5lib  # only for faulty bodies: most runs never load it

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
