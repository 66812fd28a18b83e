"""YAML text to plain JSON data, keeping the node behind every value to say where it came from.

ruamel.yaml composes the text into nodes that carry the line and column they start at; we build
the data from those nodes ourselves rather than through a ruamel constructor, because one walk
then does all of what manifests need, about twice as fast as the round-trip constructor:

- the data is JSON (dict, list, str, int, float, bool, None) so the JSON Schema and the models see
  exactly what check-jsonschema and editors see: timestamps stay text (`2024-05-01`), `1.0` is
  the integer 1, and binary values, sets, custom `!tags` and non-finite numbers are refused;
- duplicate keys are errors, located at the second one;
- aliases are fine for reuse (`<<: *defaults`), but a document that aliases expand by more than
  `MAX_ALIAS_EXPANSION` nodes (a "billion laughs" bomb) or that contains itself is refused
  before it is built.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

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


@dataclass
class Document:
    """One YAML document: its data, and where each of its values was written.

    The positions are kept in a flat index rather than the node tree: a tree per document
    costs memory and garbage-collector time that grows with the number of files loaded."""

    data: Any
    position: tuple[int, int]
    index: dict[Path, Position] = field(default_factory=dict, repr=False)

    def locate(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of `path`: its key for collections or when `at_key`,
        else its value. A path deeper than the YAML (a default) lands on the deepest node."""
        for depth in range(len(path), 0, -1):
            found = self.index.get(tuple(path[:depth]))
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


def parse(text: str) -> Parsed:
    """Every document of `text`; empty documents are skipped. A syntax error ends the stream
    (the documents before it are kept); a problem inside one document skips only that one."""
    parsed = Parsed()
    yaml = YAML(typ="safe", pure=True)
    try:
        for node in _compose_all(yaml, text):
            if node.tag == f"{_TAG}null":
                continue
            try:
                parsed.documents.append(build(node, yaml.constructor))
            except YamlProblem as problem:
                parsed.problems.append(problem)
    except YamlProblem as problem:
        parsed.problems.append(problem)
    return parsed


def _compose_all(yaml: YAML, text: str) -> Iterator[Node]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns about reused anchors, which is fine
            yield from yaml.compose_all(text)
    except MarkedYAMLError as exc:
        raise _syntax_problem(exc) from None
    except ReaderError as exc:
        line, column = _offset_position(text, exc.position)
        raise YamlProblem(f"invalid character in YAML: {exc.reason}", line, column) from None
    except YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem("invalid YAML: nested too deeply") from None


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


def build(root: Node, constructor: SafeConstructor) -> Document:
    """The JSON data of a composed document; refuses what a manifest cannot hold.
    `constructor` is the composing loader's: scalars resolve as its YAML version says."""
    try:
        builder = _Builder(constructor, root)
        data = builder.value(root, ())
        return Document(data, _point(root), builder.index)
    except RecursionError:
        raise YamlProblem.at(root, "the document is nested too deeply") from None


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
    def __init__(self, constructor: SafeConstructor, root: Node) -> None:
        self.constructor, self.root = constructor, root
        self.index: dict[Path, Position] = {}
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
        self.index[here] = (*_point(node), *_point(node), isinstance(node, ScalarNode))
        return self.value(node, here)

    def entry(self, key_node: Node, key: str, node: Node, path: Path) -> Any:
        here = (*path, key)
        place = (*_point(key_node), *_point(node), isinstance(node, ScalarNode))
        self.index.setdefault(here, place)  # a key given outright wins over a merged one
        return self.value(node, here)

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag in _TEXT_TAGS:
            return node.value
        construct = _SCALARS.get(node.tag)
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


def _unsupported_tag(node: Node) -> YamlProblem:
    tag = node.tag.replace(_TAG, "!!")
    return YamlProblem.at(
        node, f"YAML tag {tag} is not supported: use text, numbers, true/false, lists and maps"
    )


def _merge_sources(node: Node) -> list[MappingNode]:
    sources = node.value if isinstance(node, SequenceNode) else [node]
    for source in sources:
        if not (isinstance(source, MappingNode) and source.tag == _MAP):
            raise YamlProblem.at(source, "`<<` merges only mappings (or a list of mappings)")
    return sources


def _point(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
