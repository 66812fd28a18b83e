"""A circuit breaker per target: when the API host refuses connections or answers 5xx to every
request for `window` seconds (retries included), the run stops instead of retrying each
remaining request on its own for minutes.

Any answer that is not a 5xx (a 2xx, a 4xx, even a 429: the host is up) ends the streak. Once
open the breaker stays open for the rest of the run: every later request fails at once with
`Unreachable`, which names the host, and the executor reports the rest as not attempted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from seqops.providers.base import Unreachable

DEFAULT_WINDOW = 10.0
"""Seconds of consecutive failures before the run stops: with start-up, a plan against a dead
host ends within the ~15 s DESIGN §4 allows."""


@dataclass
class CircuitBreaker:
    host: str
    window: float = DEFAULT_WINDOW
    clock: Callable[[], float] = time.monotonic
    _since: float | None = None
    _cause: str = ""
    _open: bool = False
    _said: set[tuple[int, str]] = field(default_factory=set)

    def success(self) -> None:
        if not self._open:
            self._since, self._said = None, set()

    def failure(self, cause: str) -> None:
        """A request failed at the transport or with a 5xx; opens once the streak is long."""
        now = self.clock()
        if self._since is None:
            self._since = now
        self._cause = cause
        if now - self._since >= self.window:
            self._open = True

    def check(self) -> None:
        if self._open:
            raise Unreachable(self.message)

    @property
    def is_open(self) -> bool:
        return self._open

    def cap(self, wait: float) -> float:
        """`wait`, shortened so that a retry wakes up when the breaker is due to open (a
        10 s backoff must not keep a dead target's run going past the window)."""
        if self._since is None:
            return wait
        due = self._since + self.window - self.clock()
        return max(0.0, min(wait, due + 0.05))

    def first_time(self, retry: int, cause: str) -> bool:
        """Whether this retry line is new in the current streak (concurrent requests failing
        the same way say it once)."""
        key = (retry, cause)
        if key in self._said:
            return False
        self._said.add(key)
        return True

    @property
    def message(self) -> str:
        """`127.0.0.1:9 is unreachable (ConnectError …)`, `api.x keeps failing (503 …)`."""
        state = "keeps failing" if self._cause[:1].isdigit() else "is unreachable"
        return (
            f"{self.host} {state} ({self._cause} on every request for {self.window:.0f} s): stopped"
        )
