"""Manifests as YAML text, the way a person would write them: the one YAML writer of seqops.

`dump(resources)` is the inverse of `load`; `to_yaml(document)` writes one document of plain
data (what `seqops export` builds). Both write block style with keys in the given order, and:

- multi-line text as a `|` block, unless it holds what a block cannot keep (a carriage return,
  a control character, blanks at the end of a line);
- text with a NEL, LS or PS character in double quotes, the only style that escapes them
  (`\\N`, `\\L`, `\\P`): written raw, a reader would fold them into line breaks;
- `yes`, `no`, `on`, `off`... quoted, which YAML 1.1 readers would take for booleans;
- raw UTF-8 (accents, emoji), and long lines never folded, so a diff shows one line per change.

The output depends on the data alone, so writing the same data twice gives the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from seqops.manifest.durations import duration_fields, format_duration
from seqops.manifest.models import Resource

ENVELOPE = ("apiVersion", "kind", "metadata", "state", "spec")
WIDTH = 4096
"""Never fold long lines: a subject or a URL stays on one line, so diffs stay readable."""
_LINE_BREAKS = "\x85\u2028\u2029"
_YAML11_BOOL = re.compile(r"^(?:y|yes|n|no|on|off|true|false)$", re.IGNORECASE)


def dump(resources: Iterable[Resource]) -> str:
    """One YAML stream, a document per resource, that `load` reads back to equal resources.
    Fields equal to their model default are left out; durations read `2d`, `90m`."""
    return dump_documents(document(r) for r in resources)


def to_yaml(data: dict[str, Any]) -> str:
    """One document of plain data (dicts, lists, text, numbers, booleans, None)."""
    return dump_documents([data])


def dump_documents(documents: Iterable[dict[str, Any]]) -> str:
    stream = io.StringIO()
    _yaml().dump_all([_styled(d) for d in documents], stream)
    return stream.getvalue()


def document(resource: Resource) -> dict[str, Any]:
    """`resource` as the plain data of its manifest, envelope keys first."""
    data = _plain(resource)
    data.setdefault("apiVersion", resource.apiVersion)
    data.setdefault("kind", resource.kind)
    return {key: data[key] for key in (*ENVELOPE, *data) if key in data}


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


# --- resources to plain data ---------------------------------------------------------------


def _plain(model: BaseModel) -> dict[str, Any]:
    durations = duration_fields(type(model))
    data: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None or value == info.get_default(call_default_factory=True):
            continue
        data[name] = _human(value, name in durations)
    return data


def _human(value: Any, duration: bool = False) -> Any:
    if isinstance(value, BaseModel):
        return _plain(value)
    if isinstance(value, list):
        return [_human(item) for item in value]
    if isinstance(value, dict):
        return {key: _human(item) for key, item in value.items()}
    if duration and isinstance(value, int) and value:
        return format_duration(value)
    return value


# --- plain data to styled ruamel values ----------------------------------------------------


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
        # folds them; only double quotes escape them.
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
