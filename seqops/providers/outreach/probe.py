"""After a request got no complete answer within its deadline: is the host dead, or was that
request slow? One cheap read tells (`Probe`). The breaker opens at once on a dead host; a slow
request is retried (a slow listing page, smaller)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

PROBE_DEADLINE = 3.0
"""Seconds a probe (after a request timed out) may take: a live host answers it at once."""
PROBE_REUSE = 1.0
"""Seconds a probe's verdict stands for other requests that timed out meanwhile."""


Ask = Callable[[float], Awaitable[bool]]
"""Sends the probe with a deadline; True when the host answered (anything but a 5xx)."""


class Probe:
    """One cheap read (`GET /users?page[size]=1`, sent by `ask`) that tells a slow request
    from a dead host. It skips the concurrency slots and the pacing (hung requests may hold
    every slot); requests that time out together share one probe."""

    def __init__(self, ask: Ask, deadline: float) -> None:
        self.ask, self.deadline = ask, deadline
        self.said = ""
        self._running: asyncio.Task[bool] | None = None
        self._verdict: tuple[float, bool] | None = None

    async def alive(self) -> bool:
        if self._verdict is not None and time.monotonic() - self._verdict[0] < PROBE_REUSE:
            return self._verdict[1]
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self._asked())
        return await asyncio.shield(self._running)

    async def _asked(self) -> bool:
        alive = await self.ask(self.deadline)
        if not alive:
            self.said = f", nor to a {self.deadline:g} s probe"
        self._verdict = (time.monotonic(), alive)
        return alive
