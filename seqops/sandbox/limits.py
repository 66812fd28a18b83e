"""Bounds on what a request may carry, so hostile input gets a JSON:API 400/404/422, never a 500.

Ids are SQLite integers (signed 64-bit): a larger id in a URL names nothing (404), in a filter
or cursor it is a bad request (400). Writable integer attributes are 32-bit signed, as
Outreach's are (`maxActivations: 1e23` is a 422). Bodies nest at most `MAX_DEPTH` levels
(a JSON:API document needs five).
"""

from __future__ import annotations

import json
from typing import Any

MAX_ID = 2**63 - 1
INT32 = (-(2**31), 2**31 - 1)
MAX_DEPTH = 32


class TooDeep(ValueError):
    """A JSON body nested deeper than `MAX_DEPTH`."""


def is_id(value: int) -> bool:
    return 0 < value <= MAX_ID


def fits_sql(value: Any) -> bool:
    """Whether SQLite can bind the value (an int beyond 64 bits raises OverflowError)."""
    return not isinstance(value, int) or -(2**63) <= value <= MAX_ID


def in_int32(value: int) -> bool:
    return INT32[0] <= value <= INT32[1]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_body(body: bytes) -> Any:
    """The parsed JSON body. Raises ValueError for invalid JSON (NaN and Infinity included)
    and `TooDeep` for nesting beyond `MAX_DEPTH`."""
    try:
        document = json.loads(body or b"null", parse_constant=_refuse_constant)
    except RecursionError:
        raise TooDeep() from None
    if depth(document) > MAX_DEPTH:
        raise TooDeep()
    return document


def depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, level + 1) for child in children)
    return deepest
