"""Manifest documents as YAML text: block style, key order kept, multi-line text as `|` blocks.

The output depends on the data alone (no timestamps, no dict-order surprises), so exporting an
unchanged account twice gives byte-identical files.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

WIDTH = 4096
"""Never fold long lines: a subject or a URL stays on one line, so diffs stay readable."""
_LINE_BREAKS = "\x85\u2028\u2029"
_YAML11_BOOL = re.compile(r"^(?:y|yes|n|no|on|off|true|false)$", re.IGNORECASE)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def to_yaml(document: dict[str, Any]) -> str:
    stream = io.StringIO()
    _yaml().dump(_styled(document), stream)
    return stream.getvalue()


def _styled(value: Any) -> Any:
    if isinstance(value, dict):
        return CommentedMap((_styled(k), _styled(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_styled(v) for v in value)
    if isinstance(value, str):
        return _styled_text(value)
    return value


def _styled_text(text: str) -> str:
    if any(c in _LINE_BREAKS for c in text):
        # ruamel writes these raw inside plain and single-quoted scalars, where a reader
        # folds them; only double quotes escape them (`\N`, `\L`, `\P`).
        return DoubleQuotedScalarString(text)
    if _block_worthy(text):
        return LiteralScalarString(text)
    if _YAML11_BOOL.match(text):
        return SingleQuotedScalarString(text)  # YAML 1.1 tools would read a boolean
    return text


def _block_worthy(text: str) -> bool:
    """Multi-line text reads best as a `|` block, unless it holds what a block cannot keep."""
    return "\n" in text and not any(_unsafe_in_block(c) for c in text) and _no_trailing_blanks(text)


def _unsafe_in_block(char: str) -> bool:
    return char in "\r\ufeff" or (char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs"))


def _no_trailing_blanks(text: str) -> bool:
    return all(line == line.rstrip(" \t") for line in text.split("\n"))
