"""YAML text to ruamel node trees: libyaml's C parser where it gives the pure parser's result.

ruamel.yaml's pure-Python parser is the reference: its messages, its lines and columns. The C
parser and composer of `ruamel.yaml.clib` build the same nodes three times faster, so they are
used for text where they provably agree, and the pure parser takes over everywhere else:

- no `%YAML` directive (the C composer resolves every document as YAML 1.2);
- no tab, NEL, LS or PS character (libyaml takes a tab after `key:` and counts NEL, LS and PS as
  line breaks; the pure parser refuses the one and does not count the others);
- no anchor or alias name beyond `[A-Za-z0-9_-]` (libyaml ends the name there, YAML 1.2 does
  not: `&a:b`), no tag before an anchor (`!!str &a x` starts at the tag for libyaml), and no
  `|#` or `>#` (a comment that libyaml allows without a space there), nor a `|` or `>` block
  whose first line is blank but indented (the pure parser refuses some of those);
- nesting that cannot reach `C_MAX_DEPTH` (the C composer recurses on the C stack: a document
  nested 25,000 deep crashes the process instead of raising);
- and nothing goes wrong: on any error the text is parsed again by the pure parser, so every
  message and position a user sees comes from it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import Node
from ruamel.yaml.resolver import VersionedResolver

try:  # optional: without it every text takes the pure-Python path
    from ruamel.yaml.cyaml import CParser  # libyaml's parser, from ruamel.yaml.clib
except ImportError:  # pragma: no cover - depends on the installation
    CParser = None

C_MAX_DEPTH = 1_000
"""Deepest nesting the C composer is trusted with (about 300 bytes of C stack per level). The
builder refuses documents nested a third as deep anyway, so this changes no outcome."""

# \ufeff: a byte order mark past the start, which libyaml reads otherwise
_PURE_ONLY_TEXT = ("%YAML", "\t", "\x85", "\u2028", "\u2029", "\ufeff")
_BLOCK_HEADER_END = r"[0-9+-]*(?:#|[ ]*(?:#[^\r\n]*)?(?:\r\n|\r|\n) +[\r\n])"
_PURE_ONLY = (
    re.compile(r"&(?<![^\s\[{,]&)[A-Za-z0-9_-]*[^A-Za-z0-9_\s\[\]{},-]"),
    re.compile(r"\*(?<![^\s\[{,]\*)[A-Za-z0-9_-]*[^A-Za-z0-9_\s\[\]{},-]"),
    re.compile(r"!(?<![^\s\[{,]!)[^\s\[\]{},]*\s+&"),
    re.compile(r"\|(?<!\S\|)" + _BLOCK_HEADER_END),
    re.compile(r">(?<!\S>)" + _BLOCK_HEADER_END),
)
"""Text the pure parser reads differently (see the module docstring): the characters and
directive of `_PURE_ONLY_TEXT`; an anchor or alias (`&`, `*` starting the text or after
whitespace, `[`, `{` or `,`) whose name has another character; a tag before an anchor; a
block header (`|`, `>` starting the text or after whitespace) followed by `#`, or by a blank
but indented first line. One pattern per character that leads it, each starting with that
character, so that `re` skips to its occurrences at C speed instead of trying every pattern
at every position of the text (a 50 KB body: 0.1 ms instead of 4.4 ms); a lookbehind then
checks what precedes it. `tests/manifest/test_yamlcompose.py` holds this test equal to the
single pattern that states the conditions directly."""
_LINE_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)
"""What may precede a block collection's start on its line: indentation and the `- `, `? `,
`: ` indicators of enclosing collections."""
WIDE = 64
"""A line prefix this long is rare: without one, `_depth_bound` needs no line measured."""
_WIDE_LINE = re.compile(rf"\n[ \t?:-]{{{WIDE}}}")
_WIDE_FIRST_LINE = re.compile(rf"[ \t?:-]{{{WIDE}}}")


class CFailed(Exception):
    """The C parser met something it does not handle as the pure parser does."""


def pure_yaml() -> YAML:
    return YAML(typ="safe", pure=True)


def c_parsable(text: str) -> bool:
    """Whether the C path may take `text`: it gives the pure parser's nodes and cannot crash."""
    return CParser is not None and not _pure_only(text) and _shallow(text)


def _pure_only(text: str) -> bool:
    """Whether `text` holds something the pure parser reads differently (`_PURE_ONLY`)."""
    return any(part in text for part in _PURE_ONLY_TEXT) or any(
        pattern.search(text) for pattern in _PURE_ONLY
    )


def _shallow(text: str) -> bool:
    """`_depth_bound(text) < C_MAX_DEPTH`, without measuring every line when no line starts
    with `WIDE` or more prefix characters (then the widest is below `WIDE`)."""
    brackets = text.count("[") + text.count("{")
    lines = text.replace("\r", "\n") if "\r" in text else text
    if 1 + brackets + 2 * WIDE < C_MAX_DEPTH and not (
        _WIDE_FIRST_LINE.match(lines) or _WIDE_LINE.search(lines)
    ):
        return True
    return _depth_bound(text) < C_MAX_DEPTH


def _depth_bound(text: str) -> int:
    """More than the deepest nesting `text` can hold, counted without parsing it: each flow
    level opens a bracket, and along a chain of block collections each starts at a column no
    smaller than its parent's, larger at least every other level (a mapping's value may be a
    sequence at the key's column), at most the length of its line's indentation and indicators."""
    lines = text.replace("\r", "\n") if "\r" in text else text
    widest = max(map(len, _LINE_PREFIX.findall(lines)), default=0)
    return 1 + text.count("[") + text.count("{") + 2 * (widest + 1)


def c_nodes(text: str) -> Iterator[Node]:
    """The documents of `text`, composed in C; raises `CFailed` rather than report an error."""
    loader = _CLoader(text)
    try:
        while loader.check_node():
            yield loader.get_node()
    except Exception as exc:  # any failure at all: the pure parser will say what it is
        raise CFailed from exc
    finally:
        loader.dispose()


if CParser is not None:

    class _CLoader(CParser, VersionedResolver):
        """libyaml's parser and composer with ruamel's YAML 1.2 resolver. Unlike ruamel's own
        C loader it holds no reference to itself, so it is freed as soon as it is done."""

        processing_version = (1, 2)

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            VersionedResolver.__init__(self, version=self.processing_version)


def c_constructor() -> SafeConstructor:
    """Scalar construction (ints, floats, booleans) as YAML 1.2 says, for C-composed nodes."""
    global _C_CONSTRUCTOR
    if _C_CONSTRUCTOR is None:
        _C_CONSTRUCTOR = pure_yaml().constructor
    return _C_CONSTRUCTOR


_C_CONSTRUCTOR: SafeConstructor | None = None


def pure_nodes(yaml: YAML, text: str) -> Iterator[Node]:
    """The documents of `text`, composed by the pure parser; errors propagate."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ruamel warns about reused anchors, which is fine
        yield from yaml.compose_all(text)
