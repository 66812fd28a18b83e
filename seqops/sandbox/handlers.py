"""One generic JSON:API endpoint set, instantiated for every resource type in the registry."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from seqops.sandbox import actions, limits, writes
from seqops.sandbox.documents import Documents, list_document
from seqops.sandbox.jsonapi import (
    MEDIA_TYPE,
    ApiError,
    error,
    error_response,
    not_found,
    respond,
)
from seqops.sandbox.resources import TYPES, ResourceType
from seqops.sandbox.rules import Context

if TYPE_CHECKING:
    from seqops.sandbox.sandbox import Sandbox

API_PREFIX = "/api/v2"
COLLECTION_METHODS = {"list": "GET", "create": "POST"}
MEMBER_METHODS = {"get": "GET", "update": "PATCH", "delete": "DELETE"}


def api_base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + API_PREFIX


def require_media_type(request: Request) -> None:
    """Writes must declare a JSON:API body (415 otherwise, like the real API)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != MEDIA_TYPE:
        # Outreach's guide spells this error's key `details`, not JSON:API's `detail`.
        detail = f"Expected Content-Type header to be '{MEDIA_TYPE}'."
        item = {"id": "unsupportedMediaType", "title": "Unsupported Media Type", "details": detail}
        raise ApiError(415, [item])


class Endpoints:
    """The endpoints of one resource type, bound to a sandbox."""

    def __init__(self, sandbox: Sandbox, rtype: ResourceType) -> None:
        self.sandbox = sandbox
        self.rtype = rtype

    @property
    def ctx(self) -> Context:
        return Context(self.sandbox.store, self.sandbox.actor_id)

    async def collection(self, request: Request) -> Response:
        if request.method == "GET":
            return respond(
                list_document(
                    self.sandbox.store,
                    self.rtype,
                    request.url,
                    api_base(request),
                    self.sandbox.count_cap,
                )
            )
        require_media_type(request)
        change = writes.parse_body(self.rtype, await request.body())
        row = writes.create(self.ctx, self.rtype, change)
        return respond(self.single(request, row.id), 201)

    def path_id(self, request: Request) -> int:
        """The id in the URL; one no row can have (beyond 64 bits) names nothing: 404."""
        rid = request.path_params["id"]
        if not limits.is_id(rid):
            raise not_found(self.rtype.name, rid)
        return rid

    async def member(self, request: Request) -> Response:
        rid = self.path_id(request)
        if request.method == "GET":
            return respond(self.single(request, rid))
        if request.method == "DELETE":
            writes.delete(self.ctx, self.rtype, rid)
            return respond(None, 204)
        require_media_type(request)
        writes.update(
            self.ctx, self.rtype, rid, writes.parse_body(self.rtype, await request.body(), rid)
        )
        return respond(self.single(request, rid))

    async def action(self, request: Request) -> Response:
        name = request.path_params["action"]
        if (self.rtype.name, name) not in actions.ACTIONS:
            raise HTTPException(404)
        require_media_type(request)
        row = actions.run(self.ctx, self.rtype, self.path_id(request), name)
        return respond(self.single(request, row.id))

    def single(self, request: Request, rid: int) -> dict:
        row = self.sandbox.store.get(self.rtype, rid)
        if row is None:
            raise not_found(self.rtype.name, rid)
        return Documents(
            self.sandbox.store, api_base(request), request.query_params, self.rtype
        ).single(self.rtype, row)


def routes(sandbox: Sandbox) -> list[Route]:
    result = []
    for rtype in TYPES.values():
        endpoints = Endpoints(sandbox, rtype)
        base = f"{API_PREFIX}/{rtype.path}"
        collection = [m for op, m in COLLECTION_METHODS.items() if op in rtype.operations]
        member = [m for op, m in MEMBER_METHODS.items() if op in rtype.operations]
        result.append(Route(base, endpoints.collection, methods=collection))
        result.append(Route(base + "/{id:int}", endpoints.member, methods=member))
        if rtype.name in actions.ACTION_TYPES:
            result.append(
                Route(base + "/{id:int}/actions/{action}", endpoints.action, methods=["POST"])
            )
    return result


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)  # registered for ApiError only
    return error_response(exc)


async def client_gone(request: Request, exc: Exception) -> Response:
    """A client killed mid-request (an apply under SIGKILL): nothing was written, nobody is
    left to answer; one log line, not a traceback."""
    log = logging.getLogger("uvicorn.error")  # shown by `sandbox serve --verbose`
    log.info("client went away during %s %s: nothing written", request.method, request.url.path)
    return Response(status_code=499)


ROUTE_NOT_FOUND = error(
    "routeNotFound",
    "Route Not Found",
    "The request path does not match any known resource endpoints.",
)
"""What the real API answers a path it does not serve (a production connector's recording)."""


async def http_error(request: Request, exc: Exception) -> Response:
    """Routing errors (unknown path, method not allowed) as JSON:API errors too."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        item = ROUTE_NOT_FOUND
    else:
        title = {405: "Method Not Allowed"}.get(exc.status_code, "Error")
        detail = f"{request.method} {request.url.path} is not an endpoint of this API."
        item = error(title[:1].lower() + title.replace(" ", "")[1:], title, detail)
    response = error_response(ApiError(exc.status_code, [item]))
    if exc.headers:
        response.headers.update(exc.headers)
    return response
