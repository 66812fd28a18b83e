"""Generic create / update / delete of any resource type, driven by its description.

Every error found in a request is reported together (one 422 with several `errors`), the way
the real API lists each invalid attribute. Type-specific rules come from `rules.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from seqops.sandbox import limits, rules
from seqops.sandbox.jsonapi import ApiError, bad_request, error, invalid, not_found, unprocessable
from seqops.sandbox.resources import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    OBJECT,
    STRING,
    TEXT_LIST,
    TYPES,
    Attr,
    ResourceType,
    ToOne,
    defaults,
)
from seqops.sandbox.store import Row, Store


@dataclass
class Change:
    """What a POST or PATCH body asks for: attributes and to-one relationship ids."""

    attributes: dict[str, Any]
    relationships: dict[str, Any]


def parse_body(rtype: ResourceType, body: bytes, rid: int | None = None) -> Change:
    try:
        document = limits.load_body(body)
    except limits.TooDeep:
        detail = f"The request body is nested more than {limits.MAX_DEPTH} levels deep."
        raise bad_request(detail) from None
    except ValueError:
        raise bad_request("The request body is not valid JSON.") from None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON:API document with a 'data' object.")
    if data.get("type") != rtype.name:
        detail = f"data.type must be '{rtype.name}', not {data.get('type')!r}."
        raise ApiError(409, [error("typeMismatch", "Conflict", detail)])
    if rid is not None and str(data.get("id")) != str(rid):
        detail = f"data.id must be {rid}, the id in the URL."
        raise ApiError(409, [error("idMismatch", "Conflict", detail)])
    attributes, relationships = data.get("attributes") or {}, data.get("relationships") or {}
    if not isinstance(attributes, dict) or not isinstance(relationships, dict):
        raise bad_request("data.attributes and data.relationships must be objects.")
    return Change(attributes, relationships)


# -- attribute and relationship validation ---------------------------------------------------


def check_attributes(rtype: ResourceType, attributes: dict[str, Any]) -> list[dict[str, Any]]:
    problems = []
    for name, value in attributes.items():
        pointer = f"/data/attributes/{name}"
        attr = rtype.attrs.get(name)
        if attr is None:
            problems.append(invalid(f"{name} is not an attribute of {rtype.name}.", pointer))
        elif attr.readonly:
            problems.append(invalid(f"{name} is read-only.", pointer))
        else:
            problems += [invalid(p, pointer) for p in value_problems(attr, value)]
    return problems


def value_problems(attr: Attr, value: Any) -> list[str]:
    if value is None:
        return [f"{attr.name} can't be blank."] if attr.required else []
    if not KIND_CHECKS[attr.kind](value):
        return [f"{attr.name} must be a{'n' if attr.kind[0] in 'aeio' else ''} {attr.kind}."]
    if attr.kind == INTEGER and not limits.in_int32(value):
        low, high = limits.INT32
        return [f"{attr.name} must be an integer from {low} to {high} (got {value})."]
    if attr.kind == NUMBER and isinstance(value, float) and not math.isfinite(value):
        return [f"{attr.name} must be a finite number."]
    if attr.enum and value not in attr.enum:
        return [f"{attr.name} must be one of {', '.join(attr.enum)} (got {value!r})."]
    if attr.max_length is not None and not attr.enum and len(value) > attr.max_length:
        return [f"{attr.name} is too long (maximum is {attr.max_length} characters)."]
    if attr.required and attr.kind == STRING and not value.strip():
        return [f"{attr.name} can't be blank."]
    return []


def is_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return len(value) == 10


def is_datetime(value: Any) -> bool:
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return False
    return isinstance(value, str)


KIND_CHECKS = {
    STRING: lambda v: isinstance(v, str),
    TEXT_LIST: lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    INTEGER: lambda v: isinstance(v, int) and not isinstance(v, bool),
    NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    BOOLEAN: lambda v: isinstance(v, bool),
    DATE: is_date,
    DATETIME: is_datetime,
    OBJECT: lambda v: isinstance(v, dict),
}


def check_relationships(
    store: Store, rtype: ResourceType, relationships: dict[str, Any], creating: bool
) -> tuple[dict[str, int | None], list[dict[str, Any]]]:
    """The to-one ids asked for, and what is wrong with them (unknown, read-only, missing ids)."""
    ids: dict[str, int | None] = {}
    problems = []
    for name, value in relationships.items():
        pointer = f"/data/relationships/{name}"
        rel = rtype.rels.get(name)
        if not isinstance(rel, ToOne) or rel.readonly:
            kind = "a relationship" if rel is None else "a writable relationship"
            problems.append(invalid(f"{name} is not {kind} of {rtype.name}.", pointer))
            continue
        if rel.immutable and not creating:
            problems.append(invalid(f"{name} cannot be changed once set.", pointer))
            continue
        rid, problem = linkage_id(rel, value)
        if problem:
            problems.append(invalid(problem, pointer))
            continue
        if rid is not None and not store.existing_ids(TYPES[rel.target], [rid]):
            problems.append(invalid(f"{name}: there is no {rel.target} with id {rid}.", pointer))
            continue
        ids[name] = rid
    return ids, problems


def linkage_id(rel: ToOne, value: Any) -> tuple[int | None, str | None]:
    data = value.get("data", ...) if isinstance(value, dict) else ...
    if data is None:
        return None, None if not rel.required else f"{rel.name} is required."
    if not isinstance(data, dict) or data.get("type") != rel.target:
        return None, f"{rel.name} must be {{'data': {{'type': '{rel.target}', 'id': ...}}}}."
    rid = data.get("id")
    if isinstance(rid, str) and rid.isdigit():
        rid = int(rid)
    if not isinstance(rid, int) or isinstance(rid, bool):
        return None, f"{rel.name}: id must be an integer."
    if not limits.is_id(rid):
        return None, f"{rel.name}: there is no {rel.target} with id {rid}."
    return rid, None


def missing_required(rtype: ResourceType, row: Row, mentioned: set[str]) -> list[dict[str, Any]]:
    """Required attributes and relationships left empty (relationships already reported aside)."""
    problems = [
        invalid(f"{a.name} can't be blank.", f"/data/attributes/{a.name}")
        for a in rtype.attributes
        if a.required and row.attributes.get(a.name) in (None, "")
    ]
    problems += [
        invalid(f"{r.name} is required.", f"/data/relationships/{r.name}")
        for r in rtype.to_one
        if r.required and row.rels.get(r.name) is None and r.name not in mentioned
    ]
    return problems


# -- operations ------------------------------------------------------------------------------


def create(ctx: rules.Context, rtype: ResourceType, change: Change) -> Row:
    with ctx.store.transaction():
        problems = check_attributes(rtype, change.attributes)
        rels, rel_problems = check_relationships(ctx.store, rtype, change.relationships, True)
        row = Row(rtype.name, 0, defaults(rtype) | change.attributes, rels)
        problems += rel_problems + missing_required(rtype, row, set(change.relationships))
        problems += [] if problems else rules.of(rtype).check(ctx, row, None)
        if problems:
            raise unprocessable(problems)
        rules.of(rtype).compute(ctx, row, None)
        row.id = ctx.store.insert(rtype, row.attributes, row.rels)
        rules.of(rtype).after_write(ctx, row)
    return row


def update(ctx: rules.Context, rtype: ResourceType, rid: int, change: Change) -> Row:
    with ctx.store.transaction():
        before = ctx.store.get(rtype, rid)
        if before is None:
            raise not_found(rtype.name, rid)
        problems = check_attributes(rtype, change.attributes)
        rels, rel_problems = check_relationships(ctx.store, rtype, change.relationships, False)
        row = Row(rtype.name, rid, before.attributes | change.attributes, before.rels | rels)
        problems += rel_problems
        problems += [] if problems else rules.of(rtype).check(ctx, row, before)
        if problems:
            raise unprocessable(problems)
        rules.of(rtype).compute(ctx, row, before)
        ctx.store.update(row)
        rules.of(rtype).after_write(ctx, row)
    return row


def delete(ctx: rules.Context, rtype: ResourceType, rid: int) -> None:
    with ctx.store.transaction():
        row = ctx.store.get(rtype, rid)
        if row is None:
            raise not_found(rtype.name, rid)
        problems = rules.of(rtype).check_delete(ctx, row) or references(ctx.store, rtype, rid)
        if problems:
            raise unprocessable(problems)
        cascade_delete(ctx.store, rtype, [rid])
        rules.of(rtype).after_delete(ctx, row)


def references(store: Store, rtype: ResourceType, rid: int) -> list[dict[str, Any]]:
    """Objects still pointing at this one through a writable to-one (cascades excepted)."""
    cascaded = {(rtype.many(name).target, rtype.many(name).inverse) for name in rtype.cascade}
    problems = []
    for other in TYPES.values():
        for rel in other.to_one:
            if rel.target != rtype.name or rel.readonly or (other.name, rel.name) in cascaded:
                continue
            users = store.count(other, f'"{rel.name}_id" = ?', [rid])
            if users:
                detail = f"This {rtype.name} is in use by {users} {other.name}(s) ({rel.name})."
                problems.append(invalid(detail))
    return problems


def cascade_delete(store: Store, rtype: ResourceType, ids: list[int]) -> None:
    for name in rtype.cascade:
        rel = rtype.many(name)
        target = TYPES[rel.target]
        children = store.children(target, rel.inverse, ids)
        child_ids = [c for kids in children.values() for c in kids]
        if child_ids:
            cascade_delete(store, target, child_ids)
    store.delete(rtype, ids)
