"""Manifest names for live objects: stable, readable, unique per kind, never a guess.

The provider already names every live object (base.py): the ownership key when owned, else a
slug of the display name, `-<id>` added where slugs collide. Export keeps that name, because
the planner compares references (a step's template, a sequence's ruleset) by name: the first
plan of an export must see the same names on both sides. Only a name that is missing, invalid
or still taken is replaced, by `<slug>-<id>`. Objects whose display names or slugs clash are
pinned with `metadata.id` (adoption by display name would be ambiguous) and warned about.
Names depend only on the account, never on what is selected for export.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from seqops.manifest.models.base import NAME_PATTERN
from seqops.manifest.names import slugify
from seqops.providers.base import LiveObject

_NAME = re.compile(NAME_PATTERN)
MAX_NAME = 200

FALLBACK_PREFIX = {"Sequence": "sequence", "Template": "template", "Ruleset": "ruleset"}


@dataclass
class Naming:
    """The export name of every live object, keyed by (kind, id)."""

    names: dict[tuple[str, int], str] = field(default_factory=dict)
    pinned: set[tuple[str, int]] = field(default_factory=set)
    clashes: list[tuple[frozenset[tuple[str, int]], str]] = field(default_factory=list)
    """(the objects involved, a warning naming them): one per group of clashing objects."""

    def name(self, obj: LiveObject) -> str:
        return self.names[(obj.kind, obj.id)]

    def is_pinned(self, obj: LiveObject) -> bool:
        return (obj.kind, obj.id) in self.pinned

    def warnings_about(self, keys: set[tuple[str, int]]) -> list[str]:
        return [text for involved, text in self.clashes if involved & keys]


def base_name(obj: LiveObject) -> str:
    """The provider's name if valid, else the owner key, the display name's slug, `<kind>-<id>`."""
    live_name = obj.resource.metadata.name
    if _NAME.match(live_name) and len(live_name) <= MAX_NAME:
        return live_name
    return obj.owner or slugify(obj.display_name) or f"{FALLBACK_PREFIX[obj.kind]}-{obj.id}"


def _slug_key(obj: LiveObject) -> str:
    """What clashes: owner key, else the display name's slug (empty slugs never clash)."""
    return obj.owner or slugify(obj.display_name) or f"#{obj.id}"


def assign_names(
    objects: Iterable[LiveObject], kept: dict[tuple[str, int], str] | None = None
) -> Naming:
    """Names for every object; `kept` ((kind, id) -> name) are taken as they are (the names
    manifests already give those objects), the others named around them. A key whose id is
    not a live one (e.g. `(kind, -1)`) reserves its name: a manifest of nothing live uses it."""
    naming = Naming()
    by_kind: dict[str, list[LiveObject]] = defaultdict(list)
    for obj in sorted(objects, key=_priority):
        by_kind[obj.kind].append(obj)
    for kind_objects in by_kind.values():
        _name_kind(kind_objects, naming, kept or {})
    return naming


def _priority(obj: LiveObject) -> tuple[str, bool, int]:
    """Owned objects first (their key is their identity), then by id: deterministic."""
    return (obj.kind, obj.owner is None, obj.id)


def _name_kind(objects: list[LiveObject], naming: Naming, kept: dict[tuple[str, int], str]) -> None:
    kind = objects[0].kind
    taken = {name for (k, _), name in kept.items() if k == kind}
    for obj in objects:
        name = kept.get((obj.kind, obj.id))
        if name is None:
            name = _free(base_name(obj), obj.id, taken)
            taken.add(name)
        naming.names[(obj.kind, obj.id)] = name
    for group in _clashes(objects):
        keys = frozenset((o.kind, o.id) for o in group)
        naming.pinned |= keys
        naming.clashes.append((keys, _clash_warning(group, naming)))


def _free(name: str, id: int, taken: set[str]) -> str:
    """`name`, else `name-<id>`, else `name-<id>-2`...: the first one not taken."""
    if name not in taken:
        return name
    candidate, n = f"{name}-{id}", 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{id}-{n}"
    return candidate


def _clashes(objects: list[LiveObject]) -> list[list[LiveObject]]:
    """Groups of objects (in id order) sharing a base name or a display name."""
    groups: dict[tuple[int, ...], list[LiveObject]] = {}
    for key in (_slug_key, lambda o: o.display_name):
        by_key: dict[str, list[LiveObject]] = defaultdict(list)
        for obj in objects:
            by_key[key(obj)].append(obj)
        for group in by_key.values():
            if len(group) > 1:
                group = sorted(group, key=lambda o: o.id)
                groups.setdefault(tuple(o.id for o in group), group)
    return [groups[ids] for ids in sorted(groups)]


def _clash_warning(group: list[LiveObject], naming: Naming) -> str:
    described = ", ".join(f"{o.display_name!r} (id {o.id}) as {naming.name(o)}" for o in group)
    return (
        f"{group[0].kind}s share a name: exported {described}, each pinned with metadata.id "
        "so adoption is never a guess; consider renaming them in Outreach"
    )
