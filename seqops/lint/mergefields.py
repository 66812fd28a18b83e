"""Merge fields in template text: the grammar seqops understands, and the known variables.

Grammar: `{{ NAME }}` where NAME is `field` (a prospect attribute), `account.field` (the
prospect's account) or `sender.field` (the user who sends), each field lowercase snake_case
(`first_name`, `account.name`, `sender.phone_number`); spaces inside the braces are allowed.
Anything else between `{{` and `}}` is malformed, as is a `{{` never closed, a `}}` never
opened, and a lone `{first_name}` in single braces.

The variables are derived from Outreach's OpenAPI description (`tools/derive_merge_fields.py`
writes `data/merge_fields.json`), plus the custom fields `seqops.yaml` declares.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

NAME = re.compile(r"\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*")
LOOSE_NAME = re.compile(r"\s*([A-Za-z_][\w ]*(?:\.[A-Za-z_][\w ]*)?)\s*")
_SINGLE = re.compile(r"(?<!\{)\{\s*[A-Za-z_][\w.]*\s*\}(?!\})")
THREAD = ("previous_subject",)
"""Not an attribute: Outreach fills it with the subject of the thread a reply continues."""
COMPUTED = (*THREAD, "email")
"""Variables Outreach computes rather than reads from one attribute (`email`: the prospect's
first address of `emails`)."""


@dataclass(frozen=True)
class Variable:
    name: str
    offset: int
    length: int


@dataclass(frozen=True)
class Malformed:
    message: str
    offset: int
    length: int


@lru_cache(maxsize=8192)
def scan(text: str) -> tuple[Variable | Malformed, ...]:
    """Every merge field of `text` and every malformed brace (three rules ask, once)."""
    return tuple(_scan(text)) if "{" in text or "}" in text else ()


def _scan(text: str) -> Iterator[Variable | Malformed]:
    position = 0
    while True:
        opening, closing = text.find("{{", position), text.find("}}", position)
        if closing != -1 and (opening == -1 or closing < opening):
            yield Malformed("`}}` without a matching `{{`", *_lone_close(text, closing))
            position = closing + 2
            continue
        if opening == -1:
            break
        end, following = text.find("}}", opening + 2), text.find("{{", opening + 2)
        if end == -1 or (following != -1 and following < end):
            yield Malformed("`{{` is never closed with `}}`", opening, 2)
            position = opening + 2
            continue
        yield _field(text, opening, end)
        position = end + 2
    for match in _SINGLE.finditer(text):
        yield Malformed(
            f"`{match.group()}` has single braces: merge fields are written `{{{{name}}}}`",
            match.start(),
            len(match.group()),
        )


def variables(text: str | None) -> list[Variable]:
    return [found for found in scan(text or "") if isinstance(found, Variable)]


def _field(text: str, opening: int, end: int) -> Variable | Malformed:
    inner, length = text[opening + 2 : end], end + 2 - opening
    match = NAME.fullmatch(inner)
    if match:
        return Variable(match.group(1), opening, length)
    if not inner.strip():
        return Malformed("empty merge field `{{}}`", opening, length)
    return Malformed(
        f"`{text[opening : end + 2]}` is not a merge field: write `{{{{name}}}}`, "
        "`{{account.name}}` or `{{sender.name}}` in lowercase snake_case",
        opening,
        length,
    )


def _lone_close(text: str, closing: int) -> tuple[int, int]:
    """Point at `{first_name}}` from its single `{` when there is one on the same word."""
    start = text.rfind("{", 0, closing)
    if start != -1 and re.fullmatch(r"\{\s*[\w.]*\s*", text[start:closing]):
        return start, closing + 2 - start
    return closing, 2


@cache
def known() -> frozenset[str]:
    data = json.loads(resources.files("seqops.lint").joinpath("data/merge_fields.json").read_text())
    return frozenset(name for names in data.values() for name in names) | frozenset(COMPUTED)


def suggestion(name: str, custom: frozenset[str]) -> str | None:
    """The known variable `name` most likely meant, if any is close."""
    candidates = known() | custom
    lowered = name.lower().replace(" ", "_")
    if lowered in candidates:
        return lowered
    close = difflib.get_close_matches(lowered, sorted(candidates), n=1, cutoff=0.75)
    return close[0] if close else None
