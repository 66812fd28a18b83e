"""The wire-level behaviour around the API: counting, latency, bearer auth, per-token rate
limiting and injected faults. A pure ASGI middleware, so a fault can drop the connection.

A dropped connection raises `DroppedConnection` (an `httpx.RemoteProtocolError`) out of the
app after starting a response it never finishes. Under uvicorn the server then closes the socket
mid-response, which an httpx client reports as `httpx.RemoteProtocolError`; in process, under
`httpx.ASGITransport`, the same exception propagates to the caller. Either way a client sees
the same transport error type.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import httpx

from seqops.sandbox.jsonapi import MEDIA_TYPE, error, unauthorized
from seqops.sandbox.store import format_time

if TYPE_CHECKING:
    from seqops.sandbox.sandbox import Sandbox

API_PREFIX = "/api/v2"
SANDBOX_HEADER = "x-seqops-sandbox"
"""Sent with every API response: how `seqops sandbox enroll` knows it is not a real account."""
CLOCK_HEADER = "x-seqops-sandbox-now"
"""The sandbox's time with every API response (`seqops sandbox advance` moves it ahead of the
machine's), so dates a client derives from "now" agree with the sandbox's."""
FAULT_TITLES = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
ID_SEGMENT = re.compile(r"/\d+(?=/|$)")
log = logging.getLogger("seqops.sandbox")

Scope = dict[str, Any]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class DroppedConnection(httpx.RemoteProtocolError):
    """The sandbox hung up without a complete response (an injected fault)."""


def path_template(path: str) -> str:
    return ID_SEGMENT.sub("/{id}", path)


class SandboxMiddleware:
    def __init__(self, app: Callable, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Callable, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.sandbox.record(scope["method"], path_template(scope["path"]))
        if self.sandbox.latency_ms:
            await asyncio.sleep(self.sandbox.latency_ms / 1000)
        if scope["path"].startswith(API_PREFIX):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def api(self, scope: Scope, receive: Callable, send: Send) -> None:
        now = format_time(self.sandbox.store.clock.moment())
        send = with_headers(send, {SANDBOX_HEADER: "seqops", CLOCK_HEADER: now})
        token = bearer_token(scope)
        if token is None or not self.sandbox.tokens.accepts(token):
            # Unauthenticated requests spend nothing, but still say where the budget stands.
            _, limits = self.sandbox.limiter.hit(token or "", count=False)
            body = {"errors": unauthorized().errors}
            await send_json(send, 401, body, limits | {"www-authenticate": "Bearer"})
            return
        allowed, limits = self.sandbox.limiter.hit(token)
        if not allowed:
            detail = (
                f"You have exceeded your permitted rate limit of {limits['x-ratelimit-limit']}."
            )
            body = {"errors": [error("rateLimitExceeded", "Rate Limit Exceeded", detail)]}
            await send_json(send, 429, body, limits)
            return
        if too_large(scope, self.sandbox.max_page_size):
            await send_html(send, 502, BAD_GATEWAY)
            return
        fault = self.sandbox.faults.before_write()
        if fault == "drop":
            await drop(send)
        if isinstance(fault, int):
            detail = "An injected sandbox fault (--fault-rate); nothing was written."
            body = {"errors": [error("serverError", FAULT_TITLES[fault], detail)]}
            await send_json(
                send, fault, body, limits | {"retry-after": "1"} if fault == 503 else limits
            )
            return
        if self.sandbox.faults.lose_response():
            await self.app(scope, receive, discard)
            await drop(send)
        await answer_errors_as_json(self.app, scope, receive, send, limits)


async def answer_errors_as_json(
    app: Callable, scope: Scope, receive: Callable, send: Send, limits: dict[str, str]
) -> None:
    """Run the app; a bug of the sandbox still answers a JSON:API 500 document, never a
    plain-text page (the traceback goes to the log)."""
    started = False

    async def sending(message: dict[str, Any]) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, with_headers(sending, limits))
    except Exception as exc:
        if started or isinstance(exc, httpx.TransportError):
            raise
        log.exception("sandbox error on %s %s", scope["method"], scope["path"])
        detail = f"The sandbox failed on {scope['method']} {scope['path']}: {type(exc).__name__}."
        body = {"errors": [error("serverError", "Internal Server Error", detail)]}
        await send_json(send, 500, body, limits)


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


def with_headers(send: Send, extra: dict[str, str]) -> Send:
    async def sending(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            encoded = [(k.encode(), v.encode()) for k, v in extra.items()]
            message = message | {"headers": [*message.get("headers", []), *encoded]}
        await send(message)

    return sending


async def discard(message: dict[str, Any]) -> None:
    """A `send` that throws the response away: the write happened, the client never hears."""


async def drop(send: Send) -> None:
    """Start a response and hang up before its body (see the module docstring)."""
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", b"1024")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    raise DroppedConnection("Server disconnected without sending a complete response.")


BAD_GATEWAY = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
"""What a gateway answers when a page took too long to build (`--max-page-size`)."""


def too_large(scope: Scope, max_page_size: int | None) -> bool:
    """A listing asking for more rows than `max_page_size`: the real API times out on large
    pages of large objects and its gateway answers an HTML 502."""
    if max_page_size is None or scope["method"] != "GET":
        return False
    for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
        if key == "page[size]" and value.isdigit() and int(value) > max_page_size:
            return True
    return False


async def send_html(send: Send, status: int, text: str) -> None:
    payload = text.encode()
    headers = [(b"content-type", b"text/html"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def send_json(send: Send, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    raw_headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(payload)).encode()),
        *((k.encode(), v.encode()) for k, v in headers.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})
