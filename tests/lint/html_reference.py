"""The HTML reader `seqops.lint.html` replaced, kept as the reference its fast scan is held to
(`test_html_fast.py`): a `str.find` for each `<`, one tag pattern tried there, a method call
per tag and per text. Plain and slow; what it returns is what lint read before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from seqops.lint.html import RAW_TEXT, UNSEEN, VOID, known_element

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>")
"""The tag pattern lint used, `((?:[^>"']+|"[^"]*"|'[^']*')*)>` inside, unrolled: the same
matches without its exponential backtracking on a tag that never ends (`test_html_fast`)."""
TAG_START = re.compile(r"<[a-zA-Z!/?]")
"""The WHATWG tokenizer's tag open state: a letter, `!`, `/` or `?` after `<` may be markup;
anything else makes the `<` a character of text."""
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


@dataclass
class Tag:
    name: str
    offset: int
    raw: str
    inside: str


@dataclass
class Link:
    tag: Tag
    text: str = ""
    end: int | None = None


@dataclass
class Read:
    """What the scan found, as plain tuples, html5lib's problems not included."""

    tags: list[tuple[str, int, str]] = field(default_factory=list)
    problems: list[tuple[str, int, int]] = field(default_factory=list)
    texts: list[tuple[int, str, bool]] = field(default_factory=list)
    links: list[tuple[int, str, int | None]] = field(default_factory=list)
    styles: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    stray_angle: bool = False


def read(text: str) -> Read:
    scanner = _Scanner(text)
    scanner.run()
    found = scanner.read
    found.tags = [(t.name, t.offset, t.raw) for t in scanner.tags]
    found.links = [(link.tag.offset, link.text, link.end) for link in scanner.links]
    found.unknown = [t.offset for t in scanner.tags if not known_element(t.name)]
    found.stray_angle = scanner.stray_angle
    return found


def _other_token(text: str, start: int) -> int | None:
    following = text[start + 1 : start + 2]
    if following == "!" and text.startswith("<!--", start):
        close = text.find("-->", start + 4)
        return len(text) if close == -1 else close + 3
    if following in ("!", "?"):
        close = text.find(">", start)
        return None if close == -1 else close + 1
    return None


def _closing(text: str, name: str, position: int) -> int:
    found = re.compile(rf"</{name}", re.IGNORECASE).search(text, position)
    return len(text) if found is None else found.start()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.read = Read()
        self.tags: list[Tag] = []
        self.links: list[Link] = []
        self.open: list[Tag] = []
        self.stray_angle = False
        self.unseen = 0
        self.link: Link | None = None

    def run(self) -> None:
        text, position, cursor, tokens, hidden = self.text, 0, 0, 0, 0
        while (start := text.find("<", cursor)) != -1:
            match = _TAG.match(text, start)
            if match is not None:
                end = match.end()
            else:
                found = _other_token(text, start)
                if found is None:
                    cursor = start + 1
                    continue
                end = found
            if start > position and not self.unseen:
                self.visible(position, start)
            position = cursor = end
            tokens += 1
            if match is None:
                hidden += len(TAG_START.findall(text, start + 1, end))
                continue
            name = match.group(2).lower()
            if match.group(1):
                self.end_tag(name, start, end - start)
                continue
            self.start_tag(name, match)
            if name in RAW_TEXT:
                close = _closing(text, name, position)
                if name == "style":
                    self.read.styles.append((position, text[position:close]))
                hidden += len(TAG_START.findall(text, position, close))
                position = cursor = close
        self.visible(position, len(text))
        self.stray_angle = len(TAG_START.findall(text)) - hidden != tokens
        for unclosed in self.open:
            self.unclosed(unclosed)

    def visible(self, start: int, end: int) -> None:
        if start >= end or self.unseen:
            return
        segment = self.text[start:end]
        if segment.strip():
            self.read.texts.append((start, segment, self.link is not None))
            if self.link is not None:
                self.link.text += segment

    def start_tag(self, name: str, match: re.Match[str]) -> None:
        inside = match.group(3)
        tag = Tag(name, match.start(), match.group(), inside)
        self.tags.append(tag)
        if name in UNSEEN and name not in RAW_TEXT:
            self.unseen += 1
        if name == "a" and "href" in (_attributes(inside)[0] if inside.strip() else {}):
            self.link = Link(tag)
            self.links.append(self.link)
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
        self.read.problems.append((message, offset, length))


def _repeated(inside: str) -> list[str]:
    if inside.count("=") < 2:
        return []
    names = [name.lower() for name, _ in _ATTRIBUTE.findall(inside)]
    if len(set(names)) == len(names):
        return []
    return _attributes(inside)[1]


def _attributes(text: str) -> tuple[dict[str, str | None], list[str]]:
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
