"""Where a hit is in its file: the value's line and column from the loader, and inside a
string (a subject, a bodyHtml block) the line and column of the offending text itself.

The loader knows where each value starts. Inside a scalar, each character of the value is
found again in the source: a block scalar (`|`, `>`) is its indented lines, a plain or quoted
one the text after its start. Folding (`>`, multi-line plain and quoted scalars) turns line
breaks into spaces and a double-quoted escape (`\\t`, `\\xE9`) is one character of the value, so
a source character that does not match is skipped, as is the value's whitespace where a source
line begins.

Each scalar is read once into a table of runs (value offset, line, column, length) of text
copied as it is written; every finding inside it is then a bisect in that table, however big
the body and however many findings it has. A literal block (`|`), how bodies are nearly
always written, needs no table: its value's lines are its source lines, one for one.

Where a value starts comes from the loader's position index, which parses the file a second
time. For the usual `bodyHtml: |` block that is skipped: the block is found in the document's
text and used only when its lines give exactly the value.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple, TypeVar

from seqops.lint.rule import Hit
from seqops.manifest.errors import Path
from seqops.manifest.loader import LoadResult
from seqops.manifest.models import Resource
from seqops.manifest.yamlnodes import Document, Text

_BLOCK_HEADER = re.compile(r"[|>]([1-9]?)[+-]?([1-9]?)")


class Place(NamedTuple):
    file: str
    line: int
    column: int
    key_line: int
    """The line of the key that holds the value: a suppression comment there covers it."""
    end_line: int | None = None
    end_column: int | None = None


class Run(NamedTuple):
    """`length` characters of the value from `offset`, written as they are from line/column."""

    offset: int
    line: int
    column: int
    length: int


class LiteralMap:
    """Value offset -> source line and column, for a literal block scalar (`|`): value line
    n is source line `first + n`, its text from column `indent + 1`."""

    def __init__(self, value: str, first: int, indent: int) -> None:
        self.value, self.first, self.indent = value, first, indent

    def position(self, offset: int) -> tuple[int, int] | None:
        if not 0 <= offset < len(self.value) or self.value[offset] == "\n":
            return None
        line_start = self.value.rfind("\n", 0, offset) + 1
        return self.first + self.value.count("\n", 0, offset), self.indent + 1 + offset - line_start


class ScalarMap:
    """Value offset -> source line and column, for one scalar."""

    def __init__(self, runs: list[Run]) -> None:
        self.runs = runs
        self.starts = [run.offset for run in runs]

    def position(self, offset: int) -> tuple[int, int] | None:
        """The 1-based line and column of the value's character at `offset`; None for one the
        source does not hold as such (a line break folded into a space, an escape)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        run = self.runs[index]
        if offset >= run.offset + run.length:
            return None
        return run.line, run.column + offset - run.offset


class Locator:
    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self._lines: dict[int, list[str]] = {}
        self._joined: dict[int, Lined] = {}
        self._maps: dict[tuple[int, int, int], ScalarMap] = {}

    def place(self, hit: Hit) -> Place:
        file, document = self.result._origins[id(hit.resource)]
        value = value_at(hit.resource, hit.path)
        if hit.span is None or hit.at_key or not isinstance(value, str):
            return Place(file, *document.locate(hit.path, at_key=hit.at_key), self._key(hit))
        quick = self._literal(document, hit.path, value)
        scalar: ScalarMap | LiteralMap
        if quick is not None:
            key_line, line, column, scalar = quick
        else:
            key_line = self._key(hit)
            line, column = document.locate(hit.path)
            if document.text is None:
                return Place(file, line, column, key_line)
            scalar = self._map(document, line, column, value)
        offset, length = hit.span
        start = scalar.position(offset)
        if start is None:
            return Place(file, line, column, key_line)
        end = scalar.position(offset + max(length, 1) - 1)
        end_line, end_column = (end[0], end[1] + 1) if end and end[0] == start[0] else (None, None)
        return Place(file, *start, key_line, end_line, end_column)

    def _key(self, hit: Hit) -> int:
        _, document = self.result._origins[id(hit.resource)]
        return document.locate(hit.path, at_key=True)[0] if hit.path else document.position[0]

    def lines_of(self, resource: Resource) -> list[str]:
        """The source lines of the file `resource` was loaded from."""
        _, document = self.result._origins[id(resource)]
        return self._source(document.text) if document.text is not None else []

    def text_of(self, resource: Resource) -> str:
        """The text of the file `resource` was loaded from."""
        _, document = self.result._origins[id(resource)]
        return document.text.value if document.text is not None else ""

    def written(self, resource: Resource, path: Path) -> str | None:
        """The scalar at `path` as the source writes it (`48`, `"48"`, `2d`), up to the end of
        its line or flow collection; None when it is not on its own in the source."""
        _, document = self.result._origins[id(resource)]
        lines = self.lines_of(resource)
        line, column = document.locate(path)
        if not 1 <= line <= len(lines):
            return None
        match = re.match(r"""("[^"]*"|'[^']*'|[^,}\]#\s]+)""", lines[line - 1][column - 1 :])
        return match.group(1) if match else None

    def _map(
        self, document: Document, line: int, column: int, value: str
    ) -> ScalarMap | LiteralMap:
        assert document.text is not None
        key = (id(document.text), line, column)
        if key not in self._maps:
            self._maps[key] = scalar_map(self._source(document.text), line, column, value)
        return self._maps[key]

    def _literal(
        self, document: Document, path: Path, value: str
    ) -> tuple[int, int, int, LiteralMap] | None:
        """Key line, value line and column, and map of a `spec.KEY: |` block found in the
        document's text, when its lines are exactly `value`; None otherwise."""
        if len(path) != 2 or path[0] != "spec" or document.text is None:
            return None
        lines = self._source(document.text)
        found = _literal_block(self._lined(document.text), document.position[0], str(path[1]))
        if found is None:
            return None
        key_line, column, indent = found
        block = [text[indent:] for text in lines[key_line : key_line + value.count("\n") + 1]]
        if "\n".join(block).rstrip("\n") != value.rstrip("\n"):
            return None
        return key_line, key_line, column, LiteralMap(value, key_line + 1, indent)

    def _source(self, text: Text) -> list[str]:
        return _kept(self._lines, id(text), text.value.splitlines)

    def _lined(self, text: Text) -> Lined:
        return _kept(self._joined, id(text), lambda: Lined(self._source(text)))


T = TypeVar("T")
RECENT_FILES = 16
"""Files whose lines a `Locator` keeps: a file's findings mostly come together, and the lines
of a big body weigh a few hundred KB (all of them kept cost lint 25 MB on 300 such files)."""


def _kept(cache: dict[int, T], key: int, make: Callable[[], T]) -> T:
    if key not in cache:
        if len(cache) >= RECENT_FILES:
            del cache[next(iter(cache))]  # the oldest
        cache[key] = make()
    return cache[key]


class Lined:
    """A file's lines joined by `\n`, with where each starts: lines are found by `str.find`
    in the joined text, not by a pattern tried on each of a big body's thousand lines."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.joined = "\n".join(lines)
        self.starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))

    def number(self, offset: int) -> int:
        """The 1-based number of the line holding `offset`."""
        return bisect.bisect_right(self.starts, offset)

    def document_end(self, start: int) -> int:
        """The number of the first line after line `start` that starts a new document
        (`---` or `...`), or one past the last line."""
        begin = self.starts[start - 1]
        ends = [at for at in (self.joined.find(m, begin) for m in ("\n---", "\n...")) if at != -1]
        return self.number(min(ends) + 1) if ends else len(self.lines) + 1

    def holding(self, needle: str, start: int, end: int) -> list[int]:
        """The numbers of the lines from `start` to before `end` that hold `needle`."""
        found: list[int] = []
        at = self.joined.find(needle, self.starts[start - 1], self.starts[end - 1] - 1)
        while at != -1:
            number = self.number(at)
            if not found or found[-1] != number:
                found.append(number)
            at = self.joined.find(needle, at + 1, self.starts[end - 1] - 1)
        return found


def _literal_block(lined: Lined, start: int, key: str) -> tuple[int, int, int] | None:
    """(key line, column of `|`, indentation of the content) of the only `KEY: |` line of
    the document starting at line `start`, or None."""
    lines = lined.lines
    if not 1 <= start <= len(lines):
        return None
    header = re.compile(rf"^(\s+){re.escape(key)}:[ ]+(\|[-+]?)[ ]*(?:#.*)?$")
    found = None
    for number in lined.holding(f"{key}:", start, lined.document_end(start)):
        match = header.match(lines[number - 1])
        if match is not None:
            if found is not None:
                return None  # twice (another mapping's key): the loader decides
            found = (number, match.start(2) + 1, len(match.group(1)))
    if found is None or found[0] >= len(lines):
        return None
    following = lines[found[0]]
    indent = len(following) - len(following.lstrip(" "))
    return (found[0], found[1], indent) if indent > found[2] else None


def value_at(resource: object, path: Path) -> object:
    value = resource
    for part in path:
        try:
            value = value[part] if isinstance(part, int) else getattr(value, part)  # type: ignore[index] # a model or a list, walked by the path's own kinds
        except (AttributeError, IndexError, TypeError):
            return None
    return value


def scalar_map(lines: list[str], line: int, column: int, value: str) -> ScalarMap:
    """The runs of `value`, a scalar written at line/column of `lines`."""
    runs: list[Run] = []
    if not 1 <= line <= len(lines):
        return ScalarMap(runs)
    position = 0
    escapes = lines[line - 1][column - 1 : column] == '"'
    for index, (number, start, fragment) in enumerate(_fragments(lines, line, column)):
        if index:
            position = _skip_break(value, position, fragment)
            if escapes and fragment[:2] in ("\\ ", "\\n"):
                position -= 1  # the line starts with a space or line break written as an escape
        if position >= len(value):
            break
        if value.startswith(fragment, position):  # nearly always: the line as it is
            if fragment:
                runs.append(Run(position, number, start, len(fragment)))
            position += len(fragment)
            continue
        position = _match_chars(value, position, number, start, fragment, runs, escapes)
    return ScalarMap(runs)


def _skip_break(value: str, position: int, fragment: str) -> int:
    """Past a line break, or the space folding made of one, between two source lines."""
    while (
        position < len(value)
        and value[position] in " \n"
        and not (fragment and value[position] == fragment[0])
    ):
        position += 1
    return position


_CODE_POINT = {"x": 3, "u": 5, "U": 9}
r"""The source characters after the `\` of an escape naming a code point (`\xE9`, `\u00e9`,
`\U0001F600`); every other escape has one (`\t`, `\"`, `\\`, `\N`)."""


def _match_chars(
    value: str,
    position: int,
    number: int,
    start: int,
    fragment: str,
    runs: list[Run],
    escapes: bool = False,
) -> int:
    """Character by character, for a line with escapes, quotes or a comment after the value.
    In a double-quoted scalar (`escapes`) each escape is one character of the value, found at
    its backslash; a backslash that ends the line joins the next line to it, and is none."""
    skip = 0
    for i, char in enumerate(fragment):
        if position >= len(value):
            break
        if skip:
            skip -= 1
            continue
        if escapes and char == "\\":
            if i + 1 == len(fragment):
                break
            skip = _CODE_POINT.get(fragment[i + 1], 1)
        elif value[position] != char:
            continue  # a quote, a comment after the value
        last = runs[-1] if runs else None
        if (
            last is not None
            and last.line == number
            and last.offset + last.length == position
            and last.column + last.length == start + i
        ):
            runs[-1] = Run(last.offset, number, last.column, last.length + 1)
        else:
            runs.append(Run(position, number, start + i, 1))
        position += 1
    return position


def _fragments(lines: list[str], line: int, column: int) -> Iterator[tuple[int, int, str]]:
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


def _block(lines: list[str], header_line: int, explicit: int) -> Iterator[tuple[int, int, str]]:
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
