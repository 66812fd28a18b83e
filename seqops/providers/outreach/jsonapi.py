"""JSON:API resource objects as the Outreach API writes them: reading their attributes and
relationships in every form the API uses, and building the documents seqops sends."""

from __future__ import annotations

from typing import Any

Resource = dict[str, Any]
"""A JSON:API resource object: {type, id, attributes, relationships, links}."""


def related_id(resource: Resource, name: str) -> int | None:
    """The id of a to-one relationship; None for `{data: null}`, `{links}` or `{meta}` only."""
    ids = related_ids(resource, name)
    return ids[0] if ids else None


def related_ids(resource: Resource, name: str) -> list[int]:
    """Ids of a relationship in any shape the API uses: `{data: {..}}`, `{data: null}`,
    `{data: [..]}`, an array of `{data}` objects, or `{links}` / `{meta}` with no linkage."""
    rel = (resource.get("relationships") or {}).get(name)
    entries = rel if isinstance(rel, list) else [rel]
    ids: list[int] = []
    for entry in entries:
        data = entry.get("data") if isinstance(entry, dict) else None
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("id") is not None:
                ids.append(int(item["id"]))
    return ids


def attributes(resource: Resource) -> dict[str, Any]:
    return resource.get("attributes") or {}


def linkage(type_name: str, id: int) -> dict[str, Any]:
    return {"data": {"type": type_name, "id": id}}


def document(
    type_name: str,
    attrs: dict[str, Any],
    relationships: dict[str, Any] | None = None,
    id: int | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"type": type_name, "attributes": attrs}
    if id is not None:
        data["id"] = id
    if relationships:
        data["relationships"] = relationships
    return {"data": data}
