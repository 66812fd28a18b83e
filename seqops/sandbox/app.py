"""`create_app`: the sandbox as an ASGI app, for uvicorn or `httpx.ASGITransport`."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect
from starlette.routing import Mount, Route

from seqops.sandbox import advance, coefficy, handlers
from seqops.sandbox.jsonapi import ApiError
from seqops.sandbox.middleware import SandboxMiddleware
from seqops.sandbox.oauth import token_endpoint
from seqops.sandbox.sandbox import DEFAULT_TOKEN, Sandbox


def create_app(db: str = ":memory:", token: str = DEFAULT_TOKEN, **options: Any) -> Starlette:
    """The emulator app; `app.state.sandbox` is its `Sandbox`, which takes the keyword options
    (latency_ms, fault_rate, lost_response_rate, rate_limit, rate_window, demo, seed,
    coefficy_token, client_id, client_secret, refresh_token) and their defaults."""
    return app_for(Sandbox(db, token, **options))


def app_for(sandbox: Sandbox) -> Starlette:
    routes = [
        Route("/oauth/token", token_endpoint(sandbox.tokens), methods=["POST"]),
        Mount("/coefficy/v1", routes=coefficy.coefficy_routes(sandbox)),
        advance.route(sandbox),
        *handlers.routes(sandbox),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SandboxMiddleware, sandbox=sandbox)],
        exception_handlers={
            ApiError: handlers.api_error,
            HTTPException: handlers.http_error,
            ClientDisconnect: handlers.client_gone,
        },
    )
    app.state.sandbox = sandbox
    return app
