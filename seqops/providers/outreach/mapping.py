"""JSON:API resource objects <-> manifest models, one small function per kind and direction.

Reading follows the normalisation rules of `seqops.providers.base`: server-owned fields are
dropped, references become the referenced object's manifest name, durations stay seconds.
Writing sends only the fields a manifest sets (None means "not managed").
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from seqops.manifest.models import API_VERSION, Ruleset, Sequence, Step, Template
from seqops.manifest.models.base import NAME_PATTERN
from seqops.manifest.models.ruleset import PRIORITY_FIELDS, STAGE_FIELDS
from seqops.manifest.names import slugify
from seqops.providers.base import OWNERSHIP_TAG_PREFIX, Ids, ProviderError, ownership_tag
from seqops.providers.outreach.fields import (
    RULESET_ATTRIBUTES,
    SEQUENCE_ATTRIBUTES,
    STEP_ATTRIBUTES,
    TEMPLATE_ATTRIBUTES,
)
from seqops.providers.outreach.jsonapi import (
    Resource,
    attributes,
    document,
    linkage,
    related_id,
    related_ids,
)
from seqops.providers.outreach.records import Record

__all__ = [  # what the rest of seqops (and its tests) use of the wire helpers, through here
    "RULESET_ATTRIBUTES",
    "SEQUENCE_ATTRIBUTES",
    "STEP_ATTRIBUTES",
    "TEMPLATE_ATTRIBUTES",
    "Resource",
    "attributes",
    "document",
    "linkage",
    "related_id",
    "related_ids",
]

log = logging.getLogger("seqops.providers.outreach")

_NAME = re.compile(NAME_PATTERN)
REQUIRED = frozenset({"apiVersion", "kind", "metadata", "name", "type"})
M = TypeVar("M", bound=BaseModel)


# --- names ----------------------------------------------------------------------------------


def owner_key(tags: Iterable[str] | None) -> str | None:
    """The manifest name an ownership tag `seqops:<name>` gives, if a valid one is present."""
    for tag in tags or ():
        if tag.startswith(OWNERSHIP_TAG_PREFIX):
            name = tag.removeprefix(OWNERSHIP_TAG_PREFIX)
            if _NAME.match(name) and len(name) <= 200:
                return name
    return None


def user_tags(tags: Iterable[str] | None) -> list[str]:
    """Tags without seqops' ownership tags."""
    return [t for t in tags or () if not t.startswith(OWNERSHIP_TAG_PREFIX)]


def tags_with_owner(tags: Iterable[str] | None, owner: str) -> list[str]:
    return [*user_tags(tags), ownership_tag(owner)]


@dataclass(frozen=True)
class Candidate:
    id: int
    owner: str | None
    display_name: str


def assign_names(candidates: Iterable[Candidate], kind: str) -> dict[int, str]:
    """metadata.name per live id: the owner key, else the slug; shared slugs get `-<id>`."""
    candidates = list(candidates)
    owned = {c.owner for c in candidates if c.owner}
    slugs = {c.id: slugify(c.display_name) for c in candidates if not c.owner}
    taken = Counter(slugs.values())
    names: dict[int, str] = {c.id: c.owner for c in candidates if c.owner}
    for id, slug in slugs.items():
        if not slug:
            names[id] = f"{kind.lower()}-{id}"
        elif slug in owned or taken[slug] > 1:
            names[id] = f"{slug}-{id}"
        else:
            names[id] = slug
    return names


def candidate(record: Record, owned: bool = True) -> Candidate:
    owner = owner_key(record.get("tags")) if owned else None
    return Candidate(record.id, owner, record.get("name") or "")


# --- lookups for reading --------------------------------------------------------------------


@dataclass
class Names:
    """Live ids -> manifest terms, for the references of the objects being read."""

    users: dict[int, str] = field(default_factory=dict)
    stages: dict[int, str] = field(default_factory=dict)
    task_priorities: dict[int, str] = field(default_factory=dict)
    templates: dict[int, str] = field(default_factory=dict)
    rulesets: dict[int, str] = field(default_factory=dict)


def named(table: dict[int, str], id: int | None) -> str | None:
    """The manifest name of a related live id: None when there is no relationship, or when
    its object was not read (a ruleset, stage or user the token cannot list)."""
    return None if id is None else table.get(id)


def by_id(records: Iterable[Record], attribute: str) -> dict[int, str]:
    return {r.id: r.get(attribute) for r in records if r.get(attribute) is not None}


# --- reading --------------------------------------------------------------------------------


def template_from(record: Record, name: str) -> Template:
    spec = {key: record.get(key) for key in TEMPLATE_ATTRIBUTES}
    spec |= {"displayName": record.get("name"), "tags": user_tags(record.get("tags"))}
    return validated(Template, envelope("Template", name, record.id, spec))


def ruleset_from(record: Record, name: str, names: Names) -> Ruleset:
    spec = {key: record.get(key) for key in RULESET_ATTRIBUTES}
    spec["displayName"] = record.get("name")
    for rel in STAGE_FIELDS:
        spec[rel] = named(names.stages, record.related(rel))
    for rel in PRIORITY_FIELDS:
        spec[rel] = named(names.task_priorities, record.related(rel))
    return validated(Ruleset, envelope("Ruleset", name, record.id, spec))


def sequence_from(record: Record, name: str, steps: list[Step], names: Names) -> Sequence:
    spec = {key: record.get(key) for key in SEQUENCE_ATTRIBUTES}
    spec |= {
        "displayName": record.get("name"),
        "enabled": record.get("enabled"),
        "tags": user_tags(record.get("tags")),
        "ruleset": named(names.rulesets, record.related("ruleset")),
        "owner": named(names.users, record.related("owner")),
        "steps": steps,
    }
    spec["sequenceType"] = spec["sequenceType"] or "interval"
    return validated(Sequence, envelope("Sequence", name, record.id, spec))


def step_from(
    record: Record,
    binding: Record | None,
    bound: list[Record],
    sequence_type: str,
    names: Names,
) -> Step:
    """A step; `bound` are its sequenceTemplates (one per A/B variant, `template` when there is
    one, `templates` sorted when several), `binding` the main one (its isReply)."""
    spec: dict[str, Any] = {key: record.get(api) for key, api in STEP_ATTRIBUTES.items()}
    if sequence_type == "date":
        spec["date"] = record.get("date")
    else:
        spec["wait"] = record.get("interval") or 0
    spec["priority"] = named(names.task_priorities, record.related("taskPriority"))
    # `bound` holds only bindings of templates the account lists (`assemble.sequence_object`)
    variants = sorted({t for b in bound if (t := named(names.templates, b.related("template")))})
    if len(variants) == 1:
        spec["template"] = variants[0]
    elif variants:
        spec["templates"] = variants
    if binding is not None:
        spec["isReply"] = bool(binding.get("isReply"))
    return validated(Step, _without_none(spec))


def envelope(kind: str, name: str, id: int, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": {"name": name, "id": id},
        "spec": _without_none(spec),
    }


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    """Unset rather than None: the same model, and a smaller one (pydantic keeps the set of
    given fields per instance; tens of thousands of live steps are read at once)."""
    return {k: v for k, v in values.items() if v is not None}


def validated(model: type[M], data: dict[str, Any]) -> M:
    """The model of live data. A live value the manifest schema cannot express (an over-long
    description, an unknown enum value) is dropped with a warning rather than failing the read."""
    while True:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            pruned = data
            for error in exc.errors():
                pruned = _without(pruned, error["loc"])
            if pruned == data:
                raise ProviderError(unreadable(model.__name__, data, exc.errors()[0])) from None
            for error in exc.errors():
                where = ".".join(map(str, error["loc"]))
                log.warning("ignoring the live value of %s: %s", where, error["msg"])
            data = pruned


def unreadable(kind: str, data: dict[str, Any], error: Any) -> str:
    """Which live object, which field, and where to look: `seqops doctor` lists them all."""
    metadata = data.get("metadata") or {}
    which = f" {metadata['name']} (id {metadata['id']})" if "id" in metadata else ""
    where = ".".join(map(str, error["loc"])) or "(the object)"
    return (
        f"cannot read live {kind}{which}: {where}: {error['msg']} "
        "(`seqops doctor` lists what the account holds that seqops cannot read)"
    )


def _without(data: dict[str, Any], loc: tuple[Any, ...]) -> dict[str, Any]:
    """A copy of `data` without the optional value at `loc` (required keys stay: the loop in
    `validated` then stops on them)."""
    copy = deepcopy(data)
    parent: Any = copy
    for key in loc[:-1]:
        try:
            parent = parent[key]
        except (KeyError, IndexError, TypeError):
            return data
    if isinstance(parent, dict) and loc and loc[-1] not in REQUIRED:
        parent.pop(loc[-1], None)
    return copy


# --- writing --------------------------------------------------------------------------------


def set_fields(model: BaseModel, names: Iterable[str]) -> dict[str, Any]:
    """The named fields the manifest sets (not None), as JSON values."""
    values = model.model_dump(mode="json")
    return {n: values[n] for n in names if values.get(n) is not None}


def template_document(template: Template, owner: str, id: int | None = None) -> dict[str, Any]:
    attrs = set_fields(template.spec, TEMPLATE_ATTRIBUTES)
    attrs["name"] = template.display_name
    attrs["tags"] = tags_with_owner(template.spec.tags, owner)
    return document("template", attrs, id=id)


def ruleset_document(ruleset: Ruleset, ids: Ids, id: int | None = None) -> dict[str, Any]:
    attrs = set_fields(ruleset.spec, RULESET_ATTRIBUTES)
    attrs["name"] = ruleset.display_name
    rels: dict[str, Any] = {}
    values = ruleset.spec.model_dump()
    for rel in STAGE_FIELDS:
        if values[rel] is not None:
            rels[rel] = linkage("stage", resolve(ids.stages, values[rel], "stage", ruleset))
    for rel in PRIORITY_FIELDS:
        if values[rel] is not None:
            priority = resolve(ids.task_priorities, values[rel], "task priority", ruleset)
            rels[rel] = linkage("taskPriority", priority)
    return document("ruleset", attrs, rels, id=id)


def sequence_document(
    sequence: Sequence, ids: Ids, owner: str, tags: list[str] | None, id: int | None = None
) -> dict[str, Any]:
    """`tags`: the tags to keep when the manifest does not manage them (the live ones)."""
    spec = sequence.spec
    attrs = set_fields(spec, SEQUENCE_ATTRIBUTES)
    attrs["name"] = sequence.display_name
    attrs["tags"] = tags_with_owner(spec.tags if spec.tags is not None else tags, owner)
    rels: dict[str, Any] = {}
    if spec.ruleset is not None:
        rels["ruleset"] = linkage(
            "ruleset", resolve(ids.rulesets, spec.ruleset, "ruleset", sequence)
        )
    if spec.owner is not None:
        rels["owner"] = linkage("user", resolve(ids.users, spec.owner, "user", sequence))
    return document("sequence", attrs, rels, id=id)


def step_document(
    step: Step,
    ids: Ids,
    *,
    sequence_id: int | None = None,
    order: int | None = None,
    id: int | None = None,
) -> dict[str, Any]:
    attrs = {api: getattr(step, key) for key, api in STEP_ATTRIBUTES.items()}
    attrs = {k: v for k, v in attrs.items() if v is not None}
    if step.date is None:  # an interval step: an omitted wait is 0, and is written as 0
        attrs["interval"] = step.wait or 0
    if step.date is not None:
        attrs["date"] = step.date.isoformat()
    if order is not None:
        attrs["order"] = order
    rels: dict[str, Any] = {}
    if sequence_id is not None:
        rels["sequence"] = linkage("sequence", sequence_id)
    if step.priority is not None:
        priority = resolve(ids.task_priorities, step.priority, "task priority", None)
        rels["taskPriority"] = linkage("taskPriority", priority)
    return document("sequenceStep", attrs, rels, id=id)


def sequence_template_document(step_id: int, template_id: int, is_reply: bool) -> dict[str, Any]:
    rels = {
        "sequenceStep": linkage("sequenceStep", step_id),
        "template": linkage("template", template_id),
    }
    return document("sequenceTemplate", {"isReply": is_reply}, rels)


def resolve(table: dict[str, int], name: str, what: str, owner: Ruleset | Sequence | None) -> int:
    """The live id of a referenced object, or a clear error naming the reference."""
    if name in table:
        return table[name]
    where = f"{owner.kind}/{owner.metadata.name}: " if owner is not None else ""
    raise ProviderError(f"{where}{what} {name!r} does not exist in the account")
