"""Where a hit is in its file: the value's line and column from the loader, and inside a
string (a subject, a bodyHtml block) the line and column of the offending text itself.

The loader knows where each value starts. Inside a scalar, a character of the value is found
again by walking the source from there: a block scalar (`|`, `>`) is its indented lines, a
plain or quoted one the text after its start; both are matched to the value character by
character. Folding (`>`, multi-line plain and quoted scalars) turns line breaks into spaces and
escapes turn two characters into one, so a source character that does not match is skipped, as
is the value's whitespace where a source line begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seqops.lint.rule import Hit
from seqops.manifest.loader import LoadResult
from seqops.manifest.models import Resource
from seqops.manifest.yamlnodes import Text

_BLOCK_HEADER = re.compile(r"[|>]([1-9]?)[+-]?([1-9]?)")


@dataclass(frozen=True)
class Place:
    file: str
    line: int
    column: int
    key_line: int
    """The line of the key that holds the value: a suppression comment there covers it."""
    end_line: int | None = None
    end_column: int | None = None


class Locator:
    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self._lines: dict[int, list[str]] = {}

    def place(self, hit: Hit) -> Place:
        file, document = self.result._origins[id(hit.resource)]
        key_line = document.locate(hit.path, at_key=True)[0] if hit.path else document.position[0]
        line, column = document.locate(hit.path, at_key=hit.at_key)
        value = _value(hit.resource, hit.path)
        if hit.span is None or hit.at_key or not isinstance(value, str) or document.text is None:
            return Place(file, line, column, key_line)
        lines = self._source(document.text)
        offset, length = hit.span
        start = inside(lines, line, column, value, offset)
        if start is None:
            return Place(file, line, column, key_line)
        end = inside(lines, line, column, value, offset + max(length, 1) - 1)
        end_line, end_column = (end[0], end[1] + 1) if end and end[0] == start[0] else (None, None)
        return Place(file, *start, key_line, end_line, end_column)

    def lines_of(self, resource: Resource) -> list[str]:
        """The source lines of the file `resource` was loaded from."""
        _, document = self.result._origins[id(resource)]
        return self._source(document.text) if document.text is not None else []

    def text_of(self, resource: Resource) -> str:
        """The text of the file `resource` was loaded from."""
        _, document = self.result._origins[id(resource)]
        return document.text.value if document.text is not None else ""

    def start_line(self, resource: Resource) -> int:
        return self.result.location(resource)[1]

    def _source(self, text: Text) -> list[str]:
        if id(text) not in self._lines:
            self._lines[id(text)] = text.value.splitlines()
        return self._lines[id(text)]


def _value(resource: object, path: tuple) -> object:
    value = resource
    for part in path:
        try:
            value = value[part] if isinstance(part, int) else getattr(value, part)  # type: ignore[index]
        except (AttributeError, IndexError, TypeError):
            return None
    return value


def inside(
    lines: list[str], line: int, column: int, value: str, offset: int
) -> tuple[int, int] | None:
    """The 1-based line and column of `value[offset]`, for a scalar written at line/column."""
    if not 0 <= offset < len(value) or not 1 <= line <= len(lines):
        return None
    position = 0
    first = True
    for fragment_line, fragment_column, fragment in _fragments(lines, line, column):
        if not first:
            while (
                position < len(value)
                and value[position] in " \n"
                and not (fragment and value[position] == fragment[0])
            ):
                position += 1  # a line break, or the space that folding made of one
        first = False
        for i, char in enumerate(fragment):
            if position >= len(value):
                return None
            if value[position] != char:
                continue  # an escape, a quote, a comment after the value
            if position == offset:
                return fragment_line, fragment_column + i
            position += 1
        if position > offset:
            return None
    return None


def _fragments(lines: list[str], line: int, column: int):
    """(line, column, text) of each source line of the scalar starting at line/column."""
    first = lines[line - 1]
    start = column - 1
    header = _BLOCK_HEADER.match(first, start)
    if header is not None and first[start] in "|>":
        yield from _block(lines, line, int(header.group(1) or header.group(2) or 0))
        return
    if first[start : start + 1] in ("'", '"'):
        start += 1
    yield line, start + 1, first[start:]
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1]
        stripped = text.lstrip(" \t")
        yield number, len(text) - len(stripped) + 1, stripped


def _block(lines: list[str], header_line: int, explicit: int):
    indent = None
    if explicit:
        parent = len(lines[header_line - 1]) - len(lines[header_line - 1].lstrip(" "))
        indent = parent + explicit
    for number in range(header_line + 1, len(lines) + 1):
        text = lines[number - 1]
        if not text.strip():
            continue
        leading = len(text) - len(text.lstrip(" "))
        if indent is None:
            indent = leading
        if leading < indent:
            return
        yield number, indent + 1, text[indent:]
