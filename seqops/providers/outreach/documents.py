"""The JSON:API resources the Outreach provider reads, as pydantic models: what it expects of
each, checked at the boundary before anything is built from it.

A server (or a proxy in between) can answer anything. Read as it comes, `tags: "seqops:x"` is
iterated letter by letter (ownership lost), a step without its `sequence` relationship belongs
to no sequence (its steps look "added"), an id of -3 is planned as an update that fails. Each
resource of a listing or a write's answer is validated against the model of its type (`Shape`
in `records`): an unexpected shape is an error naming the object and field

    the API answered sequences[3].attributes.tags as a string where seqops reads a list of
    strings (GET /sequences): nothing was planned from it

never a plan. Only what seqops reads is checked: unknown attributes and relationships, `links`
and `meta` pass untouched, and null is always accepted for an attribute (unset).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Protocol

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)

from seqops.config import redact
from seqops.providers.base import ProviderError


class Shape(Protocol):
    """What one resource type is read for (`records.Shape`): its attributes and relationships."""

    @property
    def type(self) -> str: ...
    @property
    def attributes(self) -> tuple[str, ...]: ...
    @property
    def relationships(self) -> tuple[str, ...]: ...


LISTS = frozenset({"tags", "toRecipients", "ccRecipients", "bccRecipients"})
BOOLEANS = frozenset(
    {
        "enabled", "trackOpens", "trackLinks", "archived", "throttlePaused", "transactional",
        "isReply", "autoResumeOotoProspects", "includeUnsubscribeLinks",
        "ootoAutoExtractionEnabled", "stepOverridesEnabled",
    }
)  # fmt: skip
INTEGERS = frozenset(
    {
        "order", "interval", "taskAutoskipDelay", "maxActivations", "throttleCapacity",
        "throttleMaxAddsPerDay", "primaryReplyPauseDuration", "secondaryReplyPauseDuration",
        "applyCompletedStageIn", "autoResumeOotoProspectsExpiresIn", "autoResumeOotoProspectsIn",
        "clicksNeededBeforeCallTaskCreated", "minimumProspectTouchedInterval",
        "opensNeededBeforeCallTaskCreated",
    }
)  # fmt: skip
REQUIRED = {
    "sequenceStep": ("sequence",),
    "sequenceTemplate": ("sequenceStep", "template"),
}
"""Relationships without which a resource means nothing (a step of no sequence)."""
WHAT = {
    "list_type": "a list",
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "a boolean",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "literal_error": "its type",
}


class ShapeError(ProviderError):
    """The API answered a document seqops cannot read as it expects: nothing is built from it.
    The message quotes values of the answer: redacted, one line."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(" ".join(message.split())))


def _positive_id(value: Any) -> int:
    """An id: a positive integer, or a string of digits (JSON:API allows string ids)."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("not a positive integer id")
    return value


ResourceId = Annotated[int, BeforeValidator(_positive_id)]
LOOSE = ConfigDict(extra="allow")


class Identifier(BaseModel):
    model_config = LOOSE
    type: StrictStr
    id: ResourceId


class Relationship(BaseModel):
    """A relationship object: `data` (one identifier, a list, or null), `links`, `meta`."""

    model_config = LOOSE
    data: Identifier | list[Identifier] | None = None


class Linked(Relationship):
    """A relationship that must point somewhere (a step's sequence)."""

    data: Identifier


def _kind(attribute: str) -> Any:
    if attribute in LISTS:
        return list[StrictStr] | None
    if attribute in BOOLEANS:
        return StrictBool | None
    if attribute in INTEGERS or attribute.endswith("Count"):
        return StrictInt | None
    return StrictStr | None


def model_of(shape: Shape) -> type[BaseModel]:
    """The model of one resource object of `shape.type` (built once per shape)."""
    return _model(shape.type, shape.attributes, shape.relationships)


@cache
def _model(
    type_name: str, attribute_names: tuple[str, ...], relationship_names: tuple[str, ...]
) -> type[BaseModel]:
    # Fields named by the API: typed as create_model's field definitions, which mypy cannot
    # tell apart from its own keyword options (`__config__`) in a dict of names.
    attribute_fields: dict[str, Any] = {name: (_kind(name), None) for name in attribute_names}
    attributes = create_model(f"{type_name}Attributes", __config__=LOOSE, **attribute_fields)
    required = [r for r in REQUIRED.get(type_name, ()) if r in relationship_names]
    relationship_fields: dict[str, Any] = {
        name: (Linked | list[Linked], ...)
        if name in required
        else (Relationship | list[Relationship] | None, None)
        for name in relationship_names
    }
    relationships = create_model(
        f"{type_name}Relationships", __config__=LOOSE, **relationship_fields
    )
    default: Any = ... if required else None
    model: type[BaseModel] = create_model(
        type_name,
        __config__=LOOSE,
        type=(StrictStr, ...),
        id=(ResourceId, ...),
        attributes=(attributes | None, None),
        relationships=(relationships | None, default),
    )
    return model


def check(resource: Any, shape: Shape, where: str, request: str) -> None:
    """Raise a ShapeError naming `where` (`sequences[3]`) and the field when `resource` is not
    a `shape.type` seqops can read."""
    found = problems(resource, shape)
    if found:
        raise ShapeError(
            f"the API answered {where}{found[0]} ({request}): nothing was planned or written "
            "from it (`seqops doctor` lists every such value)"
        )


def problems(resource: Any, shape: Shape) -> list[str]:
    """Each way `resource` is not what seqops reads (`.attributes.tags as a string where
    seqops reads a list of strings`); empty when it reads as expected."""
    if not isinstance(resource, dict):
        return [f" as {_json_kind(resource)} where seqops reads a {shape.type} object"]
    if resource.get("type") != shape.type:
        return [f".type as {resource.get('type')!r} where seqops listed {shape.type!r}"]
    try:
        model_of(shape).model_validate(resource)
    except ValidationError as exc:
        said = dict.fromkeys(_said(error) for error in exc.errors(include_url=False))
        return list(said)
    except RecursionError:
        return [" nested too deeply to read"]
    return []


UNION_TAGS = frozenset({"Relationship", "Linked", "Identifier", "int", "str", "bool", "list"})


def _said(error: Any) -> str:
    """One pydantic error as `.relationships.sequence missing: seqops needs it`."""
    loc = [p for p in error["loc"] if not (isinstance(p, str) and _is_tag(p))]
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
    kind = error["type"]
    if kind == "missing":
        return f"{path} missing: seqops needs it"
    if kind == "value_error" and loc and loc[-1] == "id":
        return f"{path} as {error['input']!r} where seqops reads a positive integer id"
    expected = WHAT.get(kind)
    if expected is None:
        return f"{path} as {error['input']!r}: {error['msg']}"
    if kind == "list_type" and loc and loc[-1] in LISTS:
        expected = "a list of strings"
    return f"{path} as {_json_kind(error['input'])} where seqops reads {expected}"


def _is_tag(part: str) -> bool:
    """A union member's name pydantic puts in an error's location (`list[Relationship]`)."""
    return part in UNION_TAGS or "[" in part or "(" in part


def describe_kind(value: Any) -> str:
    """`a string`, `the number 3`, `null`: how a message names a JSON value's kind."""
    return _json_kind(value)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
