"""Email HTML as lint sees it: tags with their offsets, unbalanced tags, and html5lib's own
parse errors, all as offsets into the bodyHtml string. A compiled tokenizer reads every body;
html5lib (the WHATWG parsing algorithm) re-reads those with a problem, to name it.

Browsers repair anything, and mail clients each repair it differently: an unclosed `<b>` or
`<a>` in one client bolds or links the rest of the email. So beyond html5lib's errors (a
tokenizer that follows the WHATWG specification), every element that is not void must be
closed explicitly, `<p>` and `<li>` included.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import NamedTuple

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


class Problem(NamedTuple):
    message: str
    offset: int
    length: int


class Segment(NamedTuple):
    """Text a reader sees, as written (entities not decoded), at `offset` of the body."""

    offset: int
    text: str
    in_link: bool = False


@dataclass
class Link:
    """An `<a href>`: its tag, and the visible text inside it (tags removed)."""

    tag: Tag
    text: str = ""
    end: int | None = None
    """Where its `</a>` ends; None when it is never closed."""


@dataclass
class Parsed:
    """What `parse` read of a body, with indexes for the rules that look for a few tags."""

    tags: list[Tag] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: list[Segment] = field(default_factory=list)
    """The visible text between tags: not comments (Outlook's conditional ones included),
    not `<style>`, `<script>`, `<head>` or `<title>`."""
    links: list[Link] = field(default_factory=list)
    """Every `<a href>` with the text it shows."""
    styles: list[Segment] = field(default_factory=list)
    """The content of each `<style>` element."""
    unknown: list[Tag] = field(default_factory=list)
    """The start tags of elements mail clients do not know (`known_element`)."""
    body: str = field(default="", repr=False)
    _by_name: dict[str, list[int]] | None = field(default=None, repr=False)
    _offsets: list[int] | None = field(default=None, repr=False)

    def select(self, names: tuple[str, ...] = (), words: tuple[str, ...] = ()) -> list[Tag]:
        """The tags named one of `names` or whose text holds one of `words` (lowercase), in
        document order: what a rule reads of a big body, without a look at every tag."""
        chosen = {i for name in names for i in self._names().get(name, ())}
        for word in words:
            chosen.update(self._mentioning(word))
        return [self.tags[i] for i in sorted(chosen)]

    def _names(self) -> dict[str, list[int]]:
        if self._by_name is None:
            self._by_name = {}
            for index, tag in enumerate(self.tags):
                self._by_name.setdefault(tag.name, []).append(index)
        return self._by_name

    def _mentioning(self, word: str) -> list[int]:
        """Indexes of the tags `Tag.mentions(word)`: the word's occurrences in the body, each
        placed in the tag around it (ASCII bodies, whose lowercase keeps every offset)."""
        if not self.body.isascii():
            return [i for i, tag in enumerate(self.tags) if tag.mentions(word)]
        if self._offsets is None:
            self._offsets = [tag.offset for tag in self.tags]
        lowered, starts, found = _lowercase(self.body), self._offsets, []
        at = lowered.find(word)
        while at != -1:
            index = bisect.bisect_right(starts, at) - 1
            if index >= 0 and at + len(word) <= starts[index] + len(self.tags[index].raw):
                found.append(index)
            at = lowered.find(word, at + 1)
        return found


@lru_cache(maxsize=64)
def _lowercase(body: str) -> str:
    return body.lower()


_TOKEN = re.compile(
    r"""<(?:(/?)([A-Za-z][A-Za-z0-9:-]*)([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>"""
    r"|!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"
    r"|[!?][^>]*>)"
)
"""A start or end tag, as tolerant as the tokenizers of mail clients; a comment (one never
closed runs to the end); a doctype or processing instruction. A `<` that starts none of these
is text. Each repetition is unrolled (`a*(?:b a*)*`, never `(?:a+|b)*`), so a tag that never
ends (`<a b"c" b"c"...`) fails at once instead of backtracking exponentially."""
_CLOSING = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in ("style", "script")}
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_ATTRIBUTE_NAME = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")
"""`_ATTRIBUTE`'s matches, their names only."""
RAW_TEXT = ("style", "script")
"""Elements whose content is not markup: skipped to their end tag."""
UNSEEN = frozenset(["head", "title", *RAW_TEXT])
"""Elements whose text the reader never sees in the message."""
_HIDING = frozenset(["head", "title"])
"""`UNSEEN` elements whose content is markup."""
_SPECIAL = _HIDING | {"a"}
"""Elements whose tags change what the text between tags is: hidden, or a link's."""


class _Scan:
    """One pass over a body with one compiled pattern (`_TOKEN.finditer`): every token in
    order, the text between them, and the open elements, in one function with few calls
    per tag, since a 50 KB email-builder body holds 600 tags. `tests/lint/html_reference.py`
    is the plain reader this one is held to."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.parsed = Parsed(body=text)
        self.open: list[Tag] = []
        self.hidden = 0
        """`<` that could start a tag inside comments and raw text: no tokens, no stray ones."""
        self.unseen = 0
        """Depth inside elements whose text is not shown (`_HIDING`)."""
        self.link: Link | None = None

    def run(self) -> bool:
        """Scan the body; True when a `<` that could start a tag starts no token (markup the
        scan could not read).
        This loop runs for every token: its counters are locals, and what is rare (a link,
        a mismatched end tag, a repeated attribute) is left to the methods."""
        text, parsed, open_ = self.text, self.parsed, self.open
        position = tokens = 0
        resume: int | None = 0
        while resume is not None:
            matches, resume = _TOKEN.finditer(text, resume), None
            for match in matches:
                start, end = match.span()
                if start > position and not self.unseen:
                    segment = text[position:start]
                    if not segment.isspace():  # builders put a line break between most tags
                        self.visible(position, segment)
                position = end
                tokens += 1
                slash, name, inside = match.groups()
                if name is None:  # comment, doctype, processing instruction
                    self.hidden += _tag_starts(text, start + 1, end)
                    continue
                name = name.lower()
                if slash:
                    if open_ and open_[-1].name == name and name not in _SPECIAL:
                        open_.pop()  # well-formed: nearly always
                    else:
                        self.end_tag(name, start, end - start)
                    continue
                tag = Tag(name, start, match.group(), inside)
                parsed.tags.append(tag)
                if name in _SPECIAL:
                    self.start_special(tag)
                if inside.count("=") > 1 and _repeated(inside):
                    self.repeated(tag)
                if name not in HTML_ELEMENTS:
                    self.start_other(tag)
                elif name not in VOID and not inside.rstrip().endswith("/"):
                    open_.append(tag)
                if name in _CLOSING:
                    position = self.raw_text(name, position)
                    resume = position if position < len(text) else None
                    break
        if position < len(text) and not self.unseen and not text[position:].isspace():
            self.visible(position, text[position:])
        for unclosed in open_:
            self.unclosed(unclosed)
        return _tag_starts(text, 0, len(text)) - self.hidden != tokens

    def visible(self, start: int, segment: str) -> None:
        self.parsed.texts.append(Segment(start, segment, self.link is not None))
        if self.link is not None:
            self.link.text += segment

    def start_other(self, tag: Tag) -> None:
        """A start tag of no element in `HTML_ELEMENTS`: namespaced (Outlook's `<o:p>`),
        opened as any other, or unknown."""
        if not known_element(tag.name):
            self.parsed.unknown.append(tag)
        elif not tag.inside.rstrip().endswith("/"):
            self.open.append(tag)

    def start_special(self, tag: Tag) -> None:
        if tag.name != "a":
            self.unseen += 1
        elif "href" in tag.attrs:
            self.link = Link(tag)
            self.parsed.links.append(self.link)

    def repeated(self, tag: Tag) -> None:
        for attribute in _repeated(tag.inside):
            self.problem(f"`<{tag.name}>` gives `{attribute}` twice", tag.offset, len(tag.raw))

    def raw_text(self, name: str, position: int) -> int:
        """Skip the content of `<style>` or `<script>` from `position` to its end tag;
        where the scan goes on."""
        text = self.text
        found = _CLOSING[name].search(text, position)
        close = len(text) if found is None else found.start()
        if name == "style":
            self.parsed.styles.append(Segment(position, text[position:close]))
        self.hidden += _tag_starts(text, position, close)
        return close

    def end_tag(self, name: str, offset: int, length: int) -> None:
        if name in _HIDING and self.unseen:
            self.unseen -= 1
        if name == "a":
            if self.link is not None:
                self.link.end = offset + length
            self.link = None
        if self.open and self.open[-1].name == name:
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


@lru_cache(maxsize=4096)
def _repeated(inside: str) -> tuple[str, ...]:
    """The attribute names `inside` a tag gives twice (one pattern call for most tags;
    builders repeat the same tags, so most are answered from the cache)."""
    names = _ATTRIBUTE_NAME.findall(inside)
    if len({name.lower() for name in names}) == len(names):
        return ()
    return tuple(_attributes(inside)[1])


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
    scan = _Scan(text)
    stray_angle = scan.run()
    parsed = scan.parsed
    if parsed.problems or stray_angle:
        parsed.problems.extend(_html5lib_problems(text))
    parsed.problems.sort(key=lambda p: p.offset)
    return parsed


_TAG_START = re.compile(r"<[A-Za-z!/?]")
"""A `<` the WHATWG tokenizer may read as markup. Any other (`<<`, `< 5`, `<3`) is text to it,
with no error `_HTML5LIB_REPORTED` names: such a body needs no second reading."""


def _tag_starts(text: str, start: int, end: int) -> int:
    return len(_TAG_START.findall(text, start, end))


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
