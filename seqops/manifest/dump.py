"""Resources back to manifest YAML, as a person would write them (the inverse of `load`).

Block style, keys in manifest order (apiVersion, kind, metadata, state, spec), only the fields
that differ from their defaults, durations as `2d`/`90m`, multi-line text as `|` blocks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from seqops.manifest.durations import duration_fields, format_duration
from seqops.manifest.models import Resource

ENVELOPE = ("apiVersion", "kind", "metadata", "state", "spec")


def dump(resources: Iterable[Resource]) -> str:
    """One YAML stream, a document per resource, that `load` reads back to equal resources."""
    stream = io.StringIO()
    _yaml().dump_all([document(r) for r in resources], stream)
    return stream.getvalue()


def document(resource: Resource) -> dict[str, Any]:
    data = _plain(resource)
    data.setdefault("apiVersion", resource.apiVersion)
    data.setdefault("kind", resource.kind)
    return {key: data[key] for key in (*ENVELOPE, *data) if key in data}


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096  # never fold a subject or URL: diffs stay one line per change
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.explicit_start = False
    return yaml


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
    if isinstance(value, str) and "\n" in value and "\r" not in value:
        return LiteralScalarString(value)
    return value
