"""A tiny ASGI proxy in front of the sandbox that fails chosen request types, or "crashes"
the client right after one: the fault suite's way to stop apply at an exact write.

- `fail(method, pattern)`: every matching request is answered 500 (the server is unchanged);
- `crash_after(method, pattern, nth)` (method `WRITE` matches any write): the nth matching request is processed, then it and
  every later request fails (a dropped connection): to a client with no retries this is the
  process dying right after that write;
- `kill_after(nth, pid)`: SIGKILL the process `pid` (a real `seqops apply`) the moment the
  sandbox has processed its nth write, before the answer reaches it;
- `watch(check)`: `check()` runs after every write that reached the sandbox (invariants that
  must hold at every instant, not only at the end).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

WRITES = ("POST", "PATCH", "DELETE")


@dataclass
class _Rule:
    method: str
    pattern: re.Pattern
    nth: int = 1
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        wanted = method in WRITES if self.method == "WRITE" else method == self.method
        return wanted and bool(self.pattern.search(path))


class FaultProxy:
    def __init__(self, app) -> None:
        self.app = app
        self.failing: list[_Rule] = []
        self.crash: _Rule | None = None
        self.crashed = False
        self.checks: list[Callable[[], Awaitable[None]]] = []
        self.kill: tuple[int, int] | None = None
        """(nth write, pid) of `kill_after`."""
        self.log: list[str] = []
        """`METHOD /path` of every write the sandbox processed, in order."""

    def fail(self, method: str, pattern: str) -> None:
        self.failing.append(_Rule(method, re.compile(pattern)))

    def crash_after(self, method: str, pattern: str, nth: int = 1) -> None:
        self.crash, self.crashed = _Rule(method, re.compile(pattern), nth), False

    def kill_after(self, nth: int, pid: int) -> None:
        self.kill = (len(self.log) + nth, pid)

    def heal(self) -> None:
        self.failing, self.crash, self.crashed = [], None, False

    def watch(self, check: Callable[[], Awaitable[None]]) -> None:
        self.checks.append(check)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        method, path = scope["method"], scope["path"]
        if self.crashed or any(r.matches(method, path) for r in self.failing):
            return await _refuse(send, 503 if self.crashed else 500)
        await self.app(scope, receive, send)
        if method in WRITES:
            self.log.append(f"{method} {path}")
            if self.kill is not None and len(self.log) == self.kill[0]:
                _kill(self.kill[1])
            for check in self.checks:
                await check()
        if self.crash is not None and self.crash.matches(method, path):
            self.crash.seen += 1
            self.crashed = self.crash.seen >= self.crash.nth


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it had already finished
        os.kill(pid, signal.SIGKILL)


async def _refuse(send, status: int) -> None:
    body = json.dumps({"errors": [{"id": "fault", "title": "injected fault"}]}).encode()
    headers = [(b"content-type", b"application/vnd.api+json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
