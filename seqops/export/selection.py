"""Which live objects to export: all, the owned ones, or those named, plus what they reference.

A sequence needs its ruleset and its steps' templates in the export, or its manifest would not
validate; they come along even when not selected or not owned.
"""

from __future__ import annotations

from collections.abc import Iterable

from seqops.export.references import References, templates_used
from seqops.providers.base import LiveObject, LiveState

EXPORTED_KINDS = ("Sequence", "Template", "Ruleset")


class SelectionError(ValueError):
    """A --select name that matches nothing; the message says what exists."""


def choose(
    state: LiveState, refs: References, select: Iterable[str] | None, owned_only: bool
) -> tuple[list[LiveObject], list[str]]:
    roots = [o for o in state.objects if o.kind in EXPORTED_KINDS]
    if owned_only:
        roots = [o for o in roots if o.owner is not None]
    if select is not None:
        roots = _selected(roots, list(select), refs)
    return _with_dependencies(roots, refs, owned_only)


def _selected(objects: list[LiveObject], given: list[str], refs: References) -> list[LiveObject]:
    known = {refs.naming.name(o) for o in objects} | {o.display_name for o in objects}
    names = [part for value in given for part in _split(value, known)]
    missing = [n for n in names if n not in known]
    if missing:
        raise SelectionError(
            f"nothing to export named {', '.join(map(repr, missing))}: give a sequence, template "
            "or ruleset by its exported name or its display name"
        )
    return [o for o in objects if refs.naming.name(o) in names or o.display_name in names]


def _split(value: str, known: set[str]) -> list[str]:
    """`a,b` is two names, unless a display name has that comma."""
    if value in known or "," not in value:
        return [value]
    return [part.strip() for part in value.split(",") if part.strip()]


def _with_dependencies(
    roots: list[LiveObject], refs: References, owned_only: bool
) -> tuple[list[LiveObject], list[str]]:
    chosen = {(o.kind, o.id): o for o in roots}
    notes: list[str] = []
    for sequence in sorted((o for o in roots if o.kind == "Sequence"), key=lambda o: o.id):
        for dep in _dependencies(sequence, refs):
            if (dep.kind, dep.id) in chosen:
                continue
            chosen[(dep.kind, dep.id)] = dep
            if owned_only and dep.owner is None and dep.kind != "Ruleset":
                notes.append(
                    f"{dep.kind} {refs.naming.name(dep)} (id {dep.id}) is not owned but sequence "
                    f"{refs.naming.name(sequence)} uses it: exported too, so the plan adopts it"
                )
    return list(chosen.values()), notes


def _dependencies(sequence: LiveObject, refs: References) -> list[LiveObject]:
    ruleset = refs.ruleset_of(sequence.sequence.spec.ruleset)
    templates = templates_used(sequence, refs)
    return [*([ruleset] if ruleset else []), *templates]
