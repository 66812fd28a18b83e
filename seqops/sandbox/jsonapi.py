"""JSON:API wire format: media type, error documents, resource objects.

Attributes whose value is null are left out of resource objects: the OpenAPI types are not
nullable, so an absent key is how the sandbox says "null" (clients read attributes with `.get`).
To-many relationships use the array form the OpenAPI file and seed documents describe:
`[{"data": {"type", "id"}}, ...]`; to-one relationships are `{"data": {"type", "id"} | null}`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from seqops.sandbox.resources import ResourceType
from seqops.sandbox.store import Row

MEDIA_TYPE = "application/vnd.api+json"


class ApiError(Exception):
    """An error the API answers with a JSON:API `errors` document."""

    def __init__(
        self, status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None
    ):
        super().__init__(errors[0]["detail"] if errors else str(status))
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

    attributes = {k: v for k, v in row.attributes.items() if v is not None and wanted(k)}
    relationships: dict[str, Any] = {
        rel.name: {"data": linkage(rel.target, row.rels.get(rel.name))}
        for rel in rtype.to_one
        if wanted(rel.name)
    }
    for name, ids in to_many.items():
        if wanted(name):
            target = rtype.rels[name].target
            relationships[name] = [{"data": linkage(target, i)} for i in ids]
    return {
        "type": rtype.name,
        "id": row.id,
        "attributes": attributes,
        "relationships": relationships,
        "links": {"self": f"{base_url}/{rtype.path}/{row.id}"},
    }
