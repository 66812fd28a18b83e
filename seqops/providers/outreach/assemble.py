"""Join the listed collections of an account into a `LiveState`, in memory.

`read()` lists every collection once (a few pages each, never one GET per sequence); this
module links steps to sequences, sequenceTemplates to steps, and ids to manifest names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from seqops.providers.base import LiveObject, LiveState, LiveStep
from seqops.providers.outreach import mapping
from seqops.providers.outreach.mapping import Names, Resource, attributes, related_id

COLLECTIONS = (
    "templates",
    "rulesets",
    "sequences",
    "sequenceSteps",
    "sequenceTemplates",
    "users",
    "stages",
    "taskPriorities",
)
"""What `read()` lists, each at page[size]=1000."""

FIELDS = {
    "templates": ("template", ("name", "tags", "updatedAt", *mapping.TEMPLATE_ATTRIBUTES)),
    "rulesets": (
        "ruleset",
        (
            "name",
            "updatedAt",
            *mapping.RULESET_ATTRIBUTES,
            *mapping.RULESET_STAGES,
            *mapping.RULESET_PRIORITIES,
        ),
    ),
    "sequences": (
        "sequence",
        (
            "name",
            "enabled",
            "tags",
            "updatedAt",
            *mapping.SEQUENCE_ATTRIBUTES,
            "ruleset",
            "owner",
        ),
    ),
    "sequenceSteps": (
        "sequenceStep",
        (
            "order",
            "interval",
            "date",
            "updatedAt",
            *mapping.STEP_ATTRIBUTES.values(),
            "sequence",
            "taskPriority",
        ),
    ),
    "sequenceTemplates": (
        "sequenceTemplate",
        ("isReply", "enabled", "sequenceStep", "template"),
    ),
    "users": ("user", ("email",)),
    "stages": ("stage", ("name",)),
    "taskPriorities": ("taskPriority", ("name",)),
}
"""Sparse fieldsets: only what the mapping reads (the server skips counters and to-many ids)."""


def list_params(collection: str) -> dict[str, str]:
    type_name, fields = FIELDS[collection]
    return {f"fields[{type_name}]": ",".join(dict.fromkeys(fields))}


def live_state(listed: dict[str, list[Resource]]) -> LiveState:
    """The account as the planner sees it, from each collection's full listing."""
    names = Names(
        users=mapping.by_id(listed["users"], "email"),
        stages=mapping.by_id(listed["stages"], "name"),
        task_priorities=mapping.by_id(listed["taskPriorities"], "name"),
        templates=mapping.assign_names(map(mapping.candidate, listed["templates"]), "Template"),
        rulesets=mapping.assign_names(
            (mapping.candidate(r, owned=False) for r in listed["rulesets"]), "Ruleset"
        ),
    )
    objects = [
        *(template_object(r, names) for r in _by_id(listed["templates"])),
        *(ruleset_object(r, names) for r in _by_id(listed["rulesets"])),
        *sequence_objects(listed, names),
    ]
    return LiveState(
        objects=objects,
        users=_inverse(names.users),
        stages=_inverse(names.stages),
        task_priorities=_inverse(names.task_priorities),
    )


def template_object(resource: Resource, names: Names) -> LiveObject:
    id = int(resource["id"])
    template = mapping.template_from(resource, names.templates[id])
    owner = mapping.owner_key(attributes(resource).get("tags"))
    return LiveObject(template, id, attributes(resource).get("updatedAt"), owner)


def ruleset_object(resource: Resource, names: Names) -> LiveObject:
    id = int(resource["id"])
    ruleset = mapping.ruleset_from(resource, names.rulesets[id], names)
    return LiveObject(ruleset, id, attributes(resource).get("updatedAt"))


def sequence_objects(listed: dict[str, list[Resource]], names: Names) -> list[LiveObject]:
    sequences = _by_id(listed["sequences"])
    seq_names = mapping.assign_names(map(mapping.candidate, sequences), "Sequence")
    steps = _group(listed["sequenceSteps"], "sequence")
    bindings = _group(listed["sequenceTemplates"], "sequenceStep")
    return [
        sequence_object(r, seq_names[int(r["id"])], steps.get(int(r["id"]), []), bindings, names)
        for r in sequences
    ]


def sequence_object(
    resource: Resource,
    name: str,
    step_resources: list[Resource],
    bindings: dict[int, list[Resource]],
    names: Names,
) -> LiveObject:
    sequence_type = attributes(resource).get("sequenceType") or "interval"
    ordered = sorted(step_resources, key=lambda s: (attributes(s).get("order") or 0, int(s["id"])))
    live_steps, steps = [], []
    for step in ordered:
        bound = bindings.get(int(step["id"]), [])
        binding = current_binding(bound)
        steps.append(mapping.step_from(step, binding, sequence_type, names))
        live_steps.append(live_step(step, binding, bound))
    sequence = mapping.sequence_from(resource, name, steps, names)
    owner = mapping.owner_key(attributes(resource).get("tags"))
    id = int(resource["id"])
    return LiveObject(sequence, id, attributes(resource).get("updatedAt"), owner, live_steps)


def live_step(step: Resource, binding: Resource | None, all_bindings: list[Resource]) -> LiveStep:
    """The step's identity; bindings other than `binding` are extras the planner repairs."""
    attrs = attributes(step)
    extra = sorted((b for b in all_bindings if b is not binding), key=lambda b: int(b["id"]))
    return LiveStep(
        id=int(step["id"]),
        order=int(attrs.get("order") or 0),
        updated_at=attrs.get("updatedAt"),
        sequence_template_id=int(binding["id"]) if binding else None,
        template_id=related_id(binding, "template") if binding else None,
        extra_sequence_template_ids=[int(b["id"]) for b in extra],
        extra_template_ids=[related_id(b, "template") for b in extra],  # type: ignore[misc]
    )


def current_binding(bindings: list[Resource]) -> Resource | None:
    """The sequenceTemplate a step sends: an enabled one, the newest if several (A/B variants
    are not modelled by manifests; the newest is what seqops last wrote)."""
    enabled = [b for b in bindings if attributes(b).get("enabled") is not False] or bindings
    return max(enabled, key=lambda b: int(b["id"]), default=None)


def _group(resources: Iterable[Resource], relationship: str) -> dict[int, list[Resource]]:
    groups: dict[int, list[Resource]] = defaultdict(list)
    for resource in resources:
        parent = related_id(resource, relationship)
        if parent is not None:
            groups[parent].append(resource)
    return groups


def _by_id(resources: Iterable[Resource]) -> list[Resource]:
    return sorted(resources, key=lambda r: int(r["id"]))


def _inverse(table: dict[int, str]) -> dict[str, int]:
    inverse: dict[str, int] = {}
    for id, name in sorted(table.items()):
        inverse.setdefault(name, id)
    return inverse
