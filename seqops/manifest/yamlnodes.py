"""YAML text to plain JSON data, and where each value was written when an error needs it.

ruamel.yaml composes the text into nodes that carry the line and column they start at (in C
where it can, see `yamlcompose`); we build the data from those nodes ourselves rather than
through a ruamel constructor, because one walk then does all of what manifests need, about
twice as fast as the round-trip constructor:

- the data is JSON (dict, list, str, int, float, bool, None) so the JSON Schema and the models see
  exactly what check-jsonschema and editors see: timestamps stay text (`2024-05-01`), `1.0` is
  the integer 1, and binary values, sets, custom `!tags` and non-finite numbers are refused;
- duplicate keys are errors, located at the second one;
- aliases are fine for reuse (`<<: *defaults`), but a document that aliases expand by more than
  `MAX_ALIAS_EXPANSION` nodes (a "billion laughs" bomb) or that contains itself is refused
  before it is built.

Positions are not kept: a document keeps its file's text (shared by the file's documents) and
finds its positions again, by parsing that text once more, the first time an error is located.
Valid manifests, nearly all of them, never pay for an index of every value they hold.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from seqops.manifest import yamlcompose
from seqops.manifest.errors import Path

MAX_ALIAS_EXPANSION = 10_000
"""Nodes that aliases may add to a document: plenty for reuse, far too few for a bomb."""

_TAG = "tag:yaml.org,2002:"
_MAP, _SEQ, _MERGE = f"{_TAG}map", f"{_TAG}seq", f"{_TAG}merge"
_TEXT_TAGS = {f"{_TAG}str", f"{_TAG}timestamp"}  # timestamps stay as written
_SCALARS = {
    f"{_TAG}null": SafeConstructor.construct_yaml_null,
    f"{_TAG}bool": SafeConstructor.construct_yaml_bool,
    f"{_TAG}int": SafeConstructor.construct_yaml_int,
    f"{_TAG}float": SafeConstructor.construct_yaml_float,
}


class YamlProblem(Exception):
    """Text that is not the YAML a manifest may be; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    @classmethod
    def at(cls, node: Node, message: str) -> YamlProblem:
        return cls(message, node.start_mark.line + 1, node.start_mark.column + 1)


Position = tuple[int, int, int, int, bool]
"""Key line and column, value line and column (1-based), and whether the value is a scalar."""


class Text:
    """A file's YAML text, shared by its documents, and their positions once asked for."""

    __slots__ = ("_indexes", "value")

    def __init__(self, value: str) -> None:
        self.value = value
        self._indexes: dict[tuple[int, int], dict[Path, Position]] | None = None

    def index(self, start: tuple[int, int]) -> dict[Path, Position]:
        """The positions of the document that starts at `start`, from a second parse."""
        if self._indexes is None:
            parsed = parse(self.value, positions=True)
            self._indexes = {document.position: document.index for document in parsed.documents}
        return self._indexes.get(start, {})


@dataclass(slots=True)
class Document:
    """One YAML document: its data, where it starts, and where each of its values was written.

    `index` is built on first use from `text` (see the module docstring), or given outright."""

    data: Any
    position: tuple[int, int]
    text: Text | None = field(default=None, repr=False)
    _index: dict[Path, Position] | None = field(default=None, repr=False)

    @property
    def index(self) -> dict[Path, Position]:
        if self._index is None:
            self._index = self.text.index(self.position) if self.text is not None else {}
        return self._index

    def locate(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of `path`: its key for collections or when `at_key`,
        else its value. A path deeper than the YAML (a default) lands on the deepest node."""
        index = self.index
        for depth in range(len(path), 0, -1):
            found = index.get(tuple(path[:depth]))
            if found is not None:
                key_line, key_column, line, column, scalar = found
                if depth == len(path) and scalar and not at_key:
                    return line, column
                return key_line, key_column
        return self.position


@dataclass
class Parsed:
    documents: list[Document] = field(default_factory=list)
    problems: list[YamlProblem] = field(default_factory=list)


def parse(text: str, positions: bool = False) -> Parsed:
    """Every document of `text`; empty documents are skipped. A syntax error ends the stream
    (the documents before it are kept); a problem inside one document skips only that one.
    With `positions`, each document's index is built now rather than on first use."""
    if yamlcompose.c_parsable(text):
        try:
            return _parse_c(text, positions)
        except yamlcompose.CFailed:
            pass  # the pure parser says what is wrong, and where
    return _parse_pure(text, positions)


def _parse_c(text: str, positions: bool) -> Parsed:
    """All or nothing: any problem at all raises `CFailed`, for the pure parser to report."""
    parsed, shared = Parsed(), Text(text)
    constructor = yamlcompose.c_constructor()
    try:
        for node in yamlcompose.c_nodes(text):
            if node.tag != f"{_TAG}null":
                parsed.documents.append(build(node, constructor, shared, positions, _CBuilder))
    except yamlcompose.CFailed:
        raise
    except Exception as exc:  # YamlProblem, or a tag ruamel cannot even decode
        raise yamlcompose.CFailed from exc
    return parsed


def _parse_pure(text: str, positions: bool) -> Parsed:
    parsed, shared = Parsed(), Text(text)
    yaml = yamlcompose.pure_yaml()
    try:
        for node in _compose_all(yaml, text):
            if node.tag == f"{_TAG}null":
                continue
            try:
                parsed.documents.append(build(node, yaml.constructor, shared, positions))
            except YamlProblem as problem:
                parsed.problems.append(problem)
    except YamlProblem as problem:
        parsed.problems.append(problem)
    return parsed


def _compose_all(yaml: Any, text: str) -> Iterator[Node]:
    try:
        yield from yamlcompose.pure_nodes(yaml, text)
    except MarkedYAMLError as exc:
        raise _syntax_problem(exc) from None
    except ReaderError as exc:
        line, column = _offset_position(text, exc.position)
        raise YamlProblem(f"invalid character in YAML: {exc.reason}", line, column) from None
    except YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem("invalid YAML: nested too deeply") from None
    except Exception as exc:  # a ruamel bug (`!%25?b` raises ValueError) is still bad YAML
        raise YamlProblem(f"invalid YAML: {exc}") from None


def _syntax_problem(exc: MarkedYAMLError) -> YamlProblem:
    problem = exc.problem or exc.context or "not valid YAML"
    if "'\\t'" in problem:
        problem += " (indent with spaces: YAML does not allow tabs there)"
    if exc.context and exc.problem and exc.context_mark is not None:
        problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return YamlProblem(f"invalid YAML: {problem}")
    return YamlProblem(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1)


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def build(
    root: Node,
    constructor: SafeConstructor,
    text: Text | None = None,
    positions: bool = True,
    builder_type: type[_Builder] | None = None,
) -> Document:
    """The JSON data of a composed document; refuses what a manifest cannot hold.
    `constructor` is the composing loader's: scalars resolve as its YAML version says.
    Without `positions` the document finds them again in `text` when asked."""
    try:
        builder = (builder_type or _Builder)(constructor, root, positions)
        data = builder.value(root, ())
    except RecursionError:
        raise YamlProblem.at(root, "the document is nested too deeply") from None
    return Document(data, _point(root), text, builder.index)


def _check_expansion(root: Node) -> None:
    sizes: dict[int, int] = {}
    total = _expanded_size(root, sizes, set())
    if total - len(sizes) > MAX_ALIAS_EXPANSION:
        raise YamlProblem.at(
            root,
            f"aliases expand this document to {total} values, more than "
            f"{MAX_ALIAS_EXPANSION} beyond what it spells out: refusing it (a YAML alias bomb?)",
        )


def _expanded_size(node: Node, sizes: dict[int, int], active: set[int]) -> int:
    """Nodes in the document once aliases are expanded, counted once per distinct node."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise YamlProblem.at(node, "an alias refers to a value that contains it: not allowed")
    active.add(key)
    total = 1 + sum(_expanded_size(child, sizes, active) for child in _children(node))
    active.discard(key)
    sizes[key] = total
    return total


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _Builder:
    def __init__(self, constructor: SafeConstructor, root: Node, positions: bool) -> None:
        self.constructor, self.root = constructor, root
        self.index: dict[Path, Position] | None = {} if positions else None
        self.visited: set[int] | None = set()
        """Collections built so far, until one comes round again through an alias."""

    def value(self, node: Node, path: Path) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        self.note_visit(node)
        if isinstance(node, SequenceNode) and node.tag == _SEQ:
            return [self.item(i, item, path) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode) and node.tag == _MAP:
            return self.mapping(node, path)
        raise _unsupported_tag(node)

    def note_visit(self, node: Node) -> None:
        """Measure the whole document once an alias shows up, before expanding any more."""
        if self.visited is None:
            return
        if id(node) in self.visited:
            _check_expansion(self.root)
            self.visited = None
        else:
            self.visited.add(id(node))

    def item(self, i: int, node: Node, path: Path) -> Any:
        here = (*path, i)
        if self.index is not None:
            self.index[here] = (*_point(node), *_point(node), isinstance(node, ScalarNode))
        return self.value(node, here)

    def entry(self, key_node: Node, key: str, node: Node, path: Path) -> Any:
        here = (*path, key)
        if self.index is not None:  # a key given outright wins over a merged one
            place = (*_point(key_node), *_point(node), isinstance(node, ScalarNode))
            self.index.setdefault(here, place)
        return self.value(node, here)

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag in _TEXT_TAGS:
            return node.value
        construct = _SCALARS.get(node.tag) if node.tag is not None else None
        if construct is None:
            raise _unsupported_tag(node)
        value = construct(self.constructor, node)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise YamlProblem.at(node, f"{node.value} is not a finite number")
            if value.is_integer():  # JSON Schema counts 1.0 as the integer 1; so do we
                return int(value)
        return value

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        data: dict[str, Any] = {}
        keys: dict[str, Node] = {}
        merges: list[MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.extend(_merge_sources(value_node))
                continue
            key = self.key(key_node)
            if key in keys:
                first = keys[key].start_mark.line + 1
                raise YamlProblem.at(
                    key_node, f"duplicate key {key!r} (first given on line {first})"
                )
            keys[key] = key_node
            data[key] = self.entry(key_node, key, value_node, path)
        for source in merges:  # `<<` never overrides a key the mapping gives itself
            for key, value in self.mapping(source, path).items():
                data.setdefault(key, value)
        return data

    def key(self, node: Node) -> str:
        key = self.scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(key, str):
            raise YamlProblem.at(node, "a key must be text: put it in quotes")
        return key


class _CBuilder(_Builder):
    """For nodes composed in C. libyaml places an empty value (`key:` and nothing) elsewhere,
    tags a bare `!` otherwise, and reads some malformed `|` and `>` headers as empty blocks:
    text with an empty plain or block value is left to the pure parser."""

    def scalar(self, node: ScalarNode) -> Any:
        if not node.value and node.style in (None, "", "|", ">"):
            raise yamlcompose.CFailed
        return super().scalar(node)


def _unsupported_tag(node: Node) -> YamlProblem:
    tag = (node.tag or "?").replace(_TAG, "!!")
    return YamlProblem.at(
        node, f"YAML tag {tag} is not supported: use text, numbers, true/false, lists and maps"
    )


def _merge_sources(node: Node) -> list[MappingNode]:
    sources = node.value if isinstance(node, SequenceNode) else [node]
    mappings: list[MappingNode] = []
    for source in sources:
        if not (isinstance(source, MappingNode) and source.tag == _MAP):
            raise YamlProblem.at(source, "`<<` merges only mappings (or a list of mappings)")
        mappings.append(source)
    return mappings


def _point(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
