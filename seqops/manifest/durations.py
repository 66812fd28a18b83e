"""Durations as people write them (`0`, `90m`, `2d`, `1w`), carried as whole seconds."""

import re
import types
import typing
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
PATTERN = r"^\s*[0-9]+\s*[smhdw]?\s*$"
_RE = re.compile(PATTERN)
ACCEPTED = "write 0, 90m, 2d or 1w (seconds, or a whole number with s, m, h, d or w)"
"""The forms a duration takes, for every message that refuses one."""


def parse_duration(value: object) -> int:
    """Seconds for `value`; a bare integer already is seconds. Raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number with a unit, like 90m, 2d or 1w, not a boolean")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return value
    if isinstance(value, str) and _RE.match(value):
        text = value.strip()
        unit = text[-1] if text[-1] in UNITS else "s"
        return int(text.rstrip("smhdw").strip()) * UNITS[unit]
    raise ValueError(f"{value!r} is not a duration: {ACCEPTED}")


def format_duration(seconds: int) -> str:
    """The largest exact unit: 172800 -> '2d', 5400 -> '90m', 0 -> '0'."""
    if seconds == 0:
        return "0"
    for unit in ("w", "d", "h", "m"):
        if seconds % UNITS[unit] == 0:
            return f"{seconds // UNITS[unit]}{unit}"
    return f"{seconds}s"


@cache
def duration_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` declared as `Duration` (optionally `| None`)."""
    return frozenset(n for n, f in model.model_fields.items() if _is_duration(f.annotation))


def _is_duration(annotation: Any) -> bool:
    if typing.get_origin(annotation) is Annotated:
        meta = typing.get_args(annotation)[1:]
        return any(isinstance(m, BeforeValidator) and m.func is parse_duration for m in meta)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_duration(arg) for arg in typing.get_args(annotation))
    return False
