"""What remains of an invalid document once its invalid values are cut out.

A document with schema errors still gets its semantic errors (DESIGN §1: every layer reported
together). The values the schema or the model refused are removed (the key, the list item, or
the mapping that misses a required key) until the model accepts what is left; the semantic
rules then run on that remainder. Paths of what is left are translated back to the document's
own positions, so every finding lands where the user wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from seqops.manifest.errors import Finding, Path

M = TypeVar("M", bound=BaseModel)

MAX_ROUNDS = 4
"""Cutting a value out can leave its parent incomplete: a few rounds settle any document."""


@dataclass
class Remainder:
    """The document without `removed` (paths in the document's coordinates)."""

    data: Any
    removed: set[Path] = field(default_factory=set)
    kept: dict[Path, list[int]] = field(default_factory=dict)
    """For each list that lost items: the document's index of each item left, in order."""

    def original(self, path: Iterable[str | int]) -> Path:
        """A path in the remainder -> the same value's path in the document."""
        out: list[str | int] = []
        for part in path:
            indexes = self.kept.get(tuple(out))
            if isinstance(part, int) and indexes is not None and 0 <= part < len(indexes):
                part = indexes[part]
            out.append(part)
        return tuple(out)

    def explains(self, finding: Finding) -> bool:
        """Whether `finding` may only be the echo of a value cut out (a `date` removed, then
        "needs a `date`"): the removed key sits beside or above it and the message names it."""
        for removed in self.removed:
            while removed and isinstance(removed[-1], int):  # an item cut out of a list
                removed = removed[:-1]
            if not removed or not isinstance(removed[-1], str):
                continue
            parent, key = removed[:-1], removed[-1]
            named = key in finding.message or key.removesuffix("s") in finding.message
            if finding.path[: len(parent)] == parent and named:
                return True
        return False


def salvage(model: type[M], data: Any, findings: Iterable[Finding]) -> tuple[M, Remainder] | None:
    """The model built from what `findings` leave valid of `data`, or None when too little is
    left (the kind, the name or the spec itself is what is wrong)."""
    removed = {f.path for f in findings}
    for _ in range(MAX_ROUNDS):
        if () in removed:
            return None
        remainder = _without(data, removed)
        try:
            return model.model_validate(remainder.data, strict=True), remainder
        except ValidationError as exc:
            more = {remainder.original(_loc(error["loc"])) for error in exc.errors()}
        # a required value already cut out: its mapping cannot stand without it either
        more = {path[:-1] if path in removed else path for path in more}
        if more <= removed:
            return None
        removed |= more
    return None


def _loc(loc: Iterable[Any]) -> Path:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def _without(data: Any, removed: set[Path]) -> Remainder:
    remainder = Remainder(None, set(removed))
    remainder.data = _prune(data, (), removed, remainder.kept)
    return remainder


def _prune(value: Any, path: Path, removed: set[Path], kept: dict[Path, list[int]]) -> Any:
    if isinstance(value, dict):
        return {
            k: _prune(v, (*path, k), removed, kept)
            for k, v in value.items()
            if (*path, k) not in removed
        }
    if isinstance(value, list):
        indexes = [i for i in range(len(value)) if (*path, i) not in removed]
        if len(indexes) != len(value):
            kept[path] = indexes
        return [_prune(value[i], (*path, i), removed, kept) for i in indexes]
    return value
