"""Compact records of live resources: only the attributes and relationship ids the mapping
reads, in one tuple per resource.

Reading a large account lists tens of thousands of resources; as raw JSON:API dicts (with their
`links`, relationship envelopes and a fresh string per repeated value) they cost about ten times
what the mapping needs. `read()` turns each page into records as it arrives and drops the page.
The shapes are also the sparse fieldsets `read()` asks for, so the server sends nothing else.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, cast

from seqops.manifest.models.ruleset import PRIORITY_FIELDS, STAGE_FIELDS
from seqops.providers.base import Results
from seqops.providers.outreach import documents
from seqops.providers.outreach.fields import (
    RULESET_ATTRIBUTES,
    SEQUENCE_ATTRIBUTES,
    STEP_ATTRIBUTES,
    TEMPLATE_ATTRIBUTES,
)
from seqops.providers.outreach.jsonapi import Resource, attributes, related_id

ENUMERATED = frozenset(
    {
        "stepType",
        "shareType",
        "sequenceType",
        "scheduleIntervalType",
        "primaryReplyAction",
        "secondaryReplyAction",
        "salesMotion",
    }
)
"""Attributes with a small vocabulary, repeated on tens of thousands of resources: their values
are interned (one string each instead of one per resource). Other strings are unique enough
that interning would only grow the interpreter's table."""

COUNTERS = ("deliverCount", "openCount", "clickCount", "replyCount", "bounceCount")
"""What a step or template has achieved, read with it for the review (`Results`): no request
of its own."""


@dataclass(frozen=True)
class Shape:
    """What the mapping reads of one JSON:API type."""

    type: str
    attributes: tuple[str, ...]
    relationships: tuple[str, ...] = ()
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = (*self.attributes, *self.relationships)
        object.__setattr__(self, "index", {name: i for i, name in enumerate(names)})

    def fieldset(self) -> dict[str, str]:
        """The sparse fieldset asking for exactly this shape."""
        return {f"fields[{self.type}]": ",".join(self.index)}

    def record(self, resource: Resource) -> Record:
        attrs = attributes(resource)
        values = [_compact(name, attrs.get(name)) for name in self.attributes]
        values += [related_id(resource, name) for name in self.relationships]
        return Record(self, int(resource["id"]), tuple(values))


class Record:
    """One live resource reduced to its `Shape`: `get` an attribute, `related` a to-one id."""

    __slots__ = ("id", "shape", "values")

    def __init__(self, shape: Shape, id: int, values: tuple[Any, ...]) -> None:
        self.shape, self.id, self.values = shape, id, values

    def __repr__(self) -> str:
        return f"Record({self.shape.type} {self.id})"

    def get(self, attribute: str) -> Any:
        return self.values[self.shape.index[attribute]]

    def related(self, relationship: str) -> int | None:
        return self.values[self.shape.index[relationship]]

    def results(self) -> Results | None:
        """The counters of `COUNTERS` (None when the server sent none of them)."""
        counts = [self.get(name) for name in COUNTERS]
        if all(c is None for c in counts):
            return None
        return Results(*(c if isinstance(c, int) and c >= 0 else 0 for c in counts))


SHAPES = {
    shape.type: shape
    for shape in (
        Shape("template", ("name", "tags", "updatedAt", *TEMPLATE_ATTRIBUTES, *COUNTERS)),
        Shape(
            "ruleset",
            ("name", "updatedAt", *RULESET_ATTRIBUTES),
            (*STAGE_FIELDS, *PRIORITY_FIELDS),
        ),
        Shape(
            "sequence",
            ("name", "enabled", "tags", "updatedAt", *SEQUENCE_ATTRIBUTES),
            ("ruleset", "owner"),
        ),
        Shape(
            "sequenceStep",
            (
                "order",
                "interval",
                "date",
                "updatedAt",
                *STEP_ATTRIBUTES.values(),
                *COUNTERS,
            ),
            ("sequence", "taskPriority"),
        ),
        Shape("sequenceTemplate", ("isReply", "enabled"), ("sequenceStep", "template")),
        Shape("sequenceState", ("state",), ("sequence", "sequenceStep")),
        Shape("user", ("email",)),
        Shape("stage", ("name",)),
        Shape("taskPriority", ("name",)),
    )
}
"""JSON:API type -> what the mapping reads of it."""


class Checker:
    """Checks each resource of one listing against its shape as it arrives (`documents`),
    naming it by its place (`sequences[3]`): a `convert` for `JsonApiClient.list_all` that
    keeps the resource as it came."""

    def __init__(self, shape: Shape, collection: str, request: str) -> None:
        self.shape, self.collection, self.request = shape, collection, request
        self.index = 0

    def __call__(self, resource: Any) -> Resource:
        documents.check(resource, self.shape, f"{self.collection}[{self.index}]", self.request)
        self.index += 1
        return cast(Resource, resource)  # `check` proved it a resource object


class Reader:
    """A `Checker` that reduces each resource to a `Record`."""

    def __init__(self, shape: Shape, collection: str, request: str) -> None:
        self.checker = Checker(shape, collection, request)

    def __call__(self, resource: Any) -> Record:
        return self.checker.shape.record(self.checker(resource))


def of(resource: Resource) -> Record:
    """The record of a single resource already checked (or made by a test), by its `type`."""
    return SHAPES[resource["type"]].record(resource)


def answered(document: Any, type_name: str, request: str) -> Record:
    """The record of a single resource: the `data` of an answer, checked."""
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise documents.ShapeError(
            f"the API answered data as {documents.describe_kind(data)} where seqops reads "
            f"a {type_name} object ({request})"
        )
    shape = SHAPES[type_name]
    documents.check(data, shape, "data", request)
    return shape.record(data)


def updated_shape(type_name: str) -> Shape:
    """What `updated_at` reads of a resource: its updatedAt, asked for alone."""
    return Shape(type_name, ("updatedAt",))


def _compact(name: str, value: Any) -> Any:
    """Lists as tuples (an empty tuple is a singleton; the models take either)."""
    if isinstance(value, list):
        return tuple(value)
    if name in ENUMERATED and isinstance(value, str):
        return sys.intern(value)
    return value
