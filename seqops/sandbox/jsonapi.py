"""JSON:API wire format: media type, error documents, resource objects.

Resource objects follow Outreach's "Making requests" guide (JSON:API 1.0), not the OpenAPI
file's notation where the two disagree (docs/sandbox.md): every attribute of the type is
present, unset ones as `null`; every relationship is a relationship object: to-one
`{"data": {"type", "id"} | null}`, to-many with linkage `{"data": [{"type", "id"}, ...],
"links": {"related": URL}, "meta": {"count": N}}` (all three together, as a recorded response
of the real API shows), and to-many the API gives no linkage for `{"links": {"related": URL}}`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from seqops.sandbox.resources import TYPES, ResourceType
from seqops.sandbox.store import Row

MEDIA_TYPE = "application/vnd.api+json"


class ApiError(Exception):
    """An error the API answers with a JSON:API `errors` document."""

    def __init__(
        self, status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None
    ):
        first = errors[0] if errors else {}
        super().__init__(first.get("detail") or first.get("details") or str(status))
        self.status = status
        self.errors = errors
        self.headers = headers or {}


def error(id_: str, title: str, detail: str, pointer: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": id_, "title": title, "detail": detail}
    if pointer:
        item["source"] = {"pointer": pointer}
    return item


def bad_request(detail: str, parameter: str | None = None) -> ApiError:
    item = error("badRequest", "Bad Request", detail)
    if parameter:
        item["source"] = {"parameter": parameter}
    return ApiError(400, [item])


def not_found(type_name: str, rid: Any) -> ApiError:
    detail = f"Could not find '{type_name}' with ID '{rid}'."
    return ApiError(404, [error("resourceNotFound", "Resource Not Found", detail)])


def invalid(detail: str, pointer: str | None = None) -> dict[str, Any]:
    """One 422 validation error item."""
    return error("validationError", "Validation Error", detail, pointer)


def unprocessable(items: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, items)


def unauthorized(detail: str = "The OAuth token provided is invalid or has expired.") -> ApiError:
    return ApiError(401, [error("unauthorizedOauthToken", "Unauthorized OAuth Token", detail)])


def respond(
    document: dict[str, Any] | None, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = b"" if document is None else json.dumps(document, separators=(",", ":")).encode()
    return Response(
        body,
        status_code=status,
        headers=headers,
        media_type=None if document is None else MEDIA_TYPE,
    )


def error_response(exc: ApiError) -> Response:
    return respond({"errors": exc.errors}, exc.status, exc.headers)


def linkage(type_name: str, rid: int | None) -> dict[str, Any] | None:
    return None if rid is None else {"type": type_name, "id": rid}


def resource_object(
    rtype: ResourceType,
    row: Row,
    to_many: dict[str, list[int]],
    base_url: str,
    fields: set[str] | None = None,
) -> dict[str, Any]:
    """The JSON:API resource object of a row; `fields` is the sparse fieldset, if any."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    attributes = {a.name: row.attributes.get(a.name) for a in rtype.attributes if wanted(a.name)}
    relationships: dict[str, Any] = {
        rel.name: {"data": linkage(rel.target, row.rels.get(rel.name))}
        for rel in rtype.to_one
        if wanted(rel.name)
    }
    for rel in rtype.to_many:
        if not wanted(rel.name):
            continue
        if rel.linkage:
            ids = to_many.get(rel.name, [])
            path = TYPES[rel.target].path
            relationships[rel.name] = {
                "data": [linkage(rel.target, i) for i in ids],
                **related_link(base_url, path, rel.inverse, row.id),
                "meta": {"count": len(ids)},
            }
        else:
            path = TYPES[rel.target].path
            relationships[rel.name] = related_link(base_url, path, rel.inverse, row.id)
    for link in rtype.links_only:
        if wanted(link.name):
            relationships[link.name] = related_link(base_url, link.path, link.inverse, row.id)
    return {
        "type": rtype.name,
        "id": row.id,
        "attributes": attributes,
        "relationships": relationships,
        "links": {"self": f"{base_url}/{rtype.path}/{row.id}"},
    }


def related_link(base_url: str, path: str, inverse: str, rid: int) -> dict[str, Any]:
    """A links-only relationship, as the guide shows a prospect's mailings."""
    return {"links": {"related": f"{base_url}/{path}?filter[{inverse}][id]={rid}"}}
