"""A hostile network for tests and benchmarks: servers that fail the way real ones do, and a
fault-injecting proxy in front of a served sandbox.

- `Blackhole`: accepts connections and never answers.
- `Trickle`: answers a valid response a byte at a time, slower than any deadline.
- `Recorder`: an HTTP server that records what it receives (did a token reach it?) and
  answers empty JSON:API pages.
- `FaultProxy`: forwards to an upstream (a served sandbox) and, by rule, drops a connection
  mid-answer, hangs, trickles, answers an HTML 502 or a 429, or rewrites the JSON it forwards.

Each runs on 127.0.0.1 in a thread of its own (`running`), so a test or a benchmark drives
seqops (in process or as a subprocess) against it. Nothing here is used by seqops itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from seqops.sandbox.middleware import DroppedConnection

Scope = dict[str, Any]
Rewrite = Callable[[dict[str, Any]], dict[str, Any]]
FAULTS = ("drop", "hang", "trickle", "html502", "429", "rewrite")
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Thread:
    """An asyncio server on 127.0.0.1 in a daemon thread, stopped by `close()`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v2"

    def start(self) -> _Thread:
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def close(self) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self._started.set()
        await self._stop.wait()
        server.close()
        for writer in list(self._writers):  # connections held open by clients end here
            writer.close()
        handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 5)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            await self.handle(reader, writer)
        finally:
            self._writers.discard(writer)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError


class Blackhole(_Thread):
    """Accepts every connection, reads what it is sent, never answers."""

    def __init__(self) -> None:
        super().__init__()
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        with contextlib.suppress(Exception):
            while await reader.read(65536):
                pass
        writer.close()


class Trickle(_Thread):
    """Answers `200` with a JSON:API page whose body arrives one byte every `interval` s."""

    def __init__(self, interval: float = 1.0) -> None:
        super().__init__()
        self.interval = interval

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = json.dumps({"data": []}).encode()
        head = (
            "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.api+json\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        ).encode()
        with contextlib.suppress(Exception):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(head)
            for byte in body:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(self.interval)
        writer.close()


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]


class Recorder:
    """An ASGI app that records every request and answers an empty page (no `links`)."""

    def __init__(self) -> None:
        self.received: list[Received] = []

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.received.append(Received(scope["method"], scope["path"], headers))
        await _send(send, 200, json.dumps({"data": []}).encode())


@dataclass
class Rule:
    """A fault for the requests it matches: `method` and `path` are regular expressions, `rate`
    the share of matching requests it hits, `after` how many matching requests pass first."""

    fault: str
    method: str = ".*"
    path: str = ".*"
    rate: float = 1.0
    after: int = 0
    rewrite: Rewrite | None = None
    seen: int = 0

    def matches(self, method: str, path: str, rng: random.Random) -> bool:
        if not (re.fullmatch(self.method, method) and re.search(self.path, path)):
            return False
        self.seen += 1
        return self.seen > self.after and rng.random() < self.rate


@dataclass
class FaultProxy:
    """Forwards every request to `upstream` (scheme://host:port) and injects the first fault
    whose rule matches. `counts` says how many of each fault it injected."""

    upstream: str
    rules: list[Rule] = field(default_factory=list)
    seed: int = 0
    trickle_interval: float = 1.0
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def fault_for(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if rule.matches(method, path, self._rng):
                    self.counts[rule.fault] = self.counts.get(rule.fault, 0) + 1
                    return rule
        return None

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        body = await _body(receive)
        rule = self.fault_for(scope["method"], scope["path"])
        if rule is not None and rule.fault in ("hang", "html502", "429"):
            return await _early(rule.fault, send)
        response = await self._forward(scope, body)
        if rule is None:
            return await _send(send, response.status_code, response.content, response.headers)
        await self._late(rule, response, send)

    async def _forward(self, scope: Scope, body: bytes) -> httpx.Response:
        query = scope["query_string"].decode("latin-1")
        url = f"{self.upstream}{scope['path']}" + (f"?{query}" if query else "")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        headers = [(k, v) for k, v in headers if k.lower() not in ("host", "content-length")]
        async with httpx.AsyncClient(timeout=120) as http:
            return await http.request(scope["method"], url, headers=headers, content=body)

    async def _late(self, rule: Rule, response: httpx.Response, send: Callable) -> None:
        """Faults after the upstream did the work: the answer is lost, slow or altered."""
        if rule.fault == "drop":
            head = [(b"content-type", b"application/vnd.api+json"), (b"content-length", b"1024")]
            await send({"type": "http.response.start", "status": 200, "headers": head})
            raise DroppedConnection("an injected drop: the upstream wrote, the client never heard")
        if rule.fault == "trickle":
            return await _trickle(send, response, self.trickle_interval)
        content = response.content
        if rule.fault == "rewrite" and rule.rewrite is not None and content:
            content = json.dumps(rule.rewrite(response.json())).encode()
        await _send(send, response.status_code, content, response.headers)


async def _early(fault: str, send: Callable) -> None:
    """Faults before the upstream sees the request."""
    if fault == "hang":
        await asyncio.sleep(3600)
    elif fault == "html502":
        await _send(send, 502, HTML_502, {"content-type": "text/html"})
    else:
        reset = str(int(time.time()) + 2)
        limits = {"x-ratelimit-limit": "10000", "x-ratelimit-remaining": "0, 0"}
        errors = {"errors": [{"id": "rateLimitExceeded", "title": "Rate Limit Exceeded"}]}
        await _send(send, 429, json.dumps(errors).encode(), {**limits, "x-ratelimit-reset": reset})


async def _trickle(send: Callable, response: httpx.Response, interval: float) -> None:
    headers = _headers(response.headers, len(response.content))
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    for byte in response.content:
        await send({"type": "http.response.body", "body": bytes([byte]), "more_body": True})
        await asyncio.sleep(interval)
    await send({"type": "http.response.body", "body": b""})


async def _body(receive: Callable) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


HOP_BY_HOP = {
    "content-length",
    "transfer-encoding",
    "connection",
    "content-encoding",
    "date",
    "server",
}


def _headers(headers: Any, length: int) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in dict(headers or {}).items() if k.lower() not in HOP_BY_HOP]
    kept.append(("content-length", str(length)))
    if not any(k.lower() == "content-type" for k, _ in kept):
        kept.append(("content-type", "application/vnd.api+json"))
    return [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in kept]


async def _send(send: Callable, status: int, body: bytes, headers: Any = None) -> None:
    raw = _headers(headers, len(body))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


@contextlib.contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve an ASGI `app` with uvicorn on 127.0.0.1 until the block ends; yields its base URL
    (`http://127.0.0.1:PORT`)."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="critical", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def started(server: _Thread) -> Iterator[_Thread]:
    server.start()
    try:
        yield server
    finally:
        server.close()
