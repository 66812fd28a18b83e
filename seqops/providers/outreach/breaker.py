"""A circuit breaker per target: when the API host refuses connections, answers 5xx or does not
answer at all for `window` seconds (retries included), the run stops instead of retrying each
remaining request on its own for minutes.

Refusals and 5xx answers count from the first one; any answer that is not a 5xx (a 2xx, a 4xx,
even a 429: the host is up) ends the streak. A request that got no complete answer within its
deadline is a verdict of its own: the client asks the host a cheap question (a probe) and, when
that goes unanswered too, or the host never answered anything, the breaker opens at once
(`dead`): the host has had a whole deadline already. A 502/504 to a listing page that can still
be asked smaller is the page's fault, not the host's, and does not count.

Once open the breaker stays open for the rest of the run: every later request fails at once
with `Unreachable`, whose message says what happened (one timeout is not "every request").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from seqops.providers.base import Unreachable

DEFAULT_WINDOW = 10.0
"""Seconds of consecutive failures before the run stops: with the request deadline (also
10 s), a run against a dead host ends within the ~15 s DESIGN §4 allows."""
TIMEOUT, REFUSED, ERROR = "timeout", "refused", "error"
STATES = {TIMEOUT: "does not answer", REFUSED: "is unreachable", ERROR: "keeps failing"}


@dataclass
class CircuitBreaker:
    host: str
    window: float = DEFAULT_WINDOW
    clock: Callable[[], float] = time.monotonic
    _since: float | None = None
    _answered: float | None = None
    _cause: str = ""
    _kind: str = ERROR
    _failures: int = 0
    _open: bool = False
    _said: set[tuple[int, str]] = field(default_factory=set)

    def success(self) -> None:
        """The host answered (anything but a 5xx)."""
        self._answered = self.clock()
        if not self._open:
            self._since, self._failures, self._said = None, 0, set()

    def failure(self, cause: str, *, kind: str = ERROR, sent_at: float | None = None) -> None:
        """A request sent at `sent_at` was refused, dropped or answered 5xx; opens once the
        streak, counted from the first failure, reaches the window."""
        now = self.clock()
        if self._since is None:
            self._since = now if sent_at is None else max(sent_at, self._answered or sent_at)
        self._cause, self._kind = cause, kind
        self._failures += 1
        if now - self._since >= self.window:
            self._open = True

    def dead(self, cause: str, sent_at: float) -> None:
        """A request sent at `sent_at` got no answer within its deadline, and neither did a
        probe (or the host never answered at all): open now. The first verdict is the one
        said; later ones only count."""
        self._failures += 1
        if self._open:
            return
        if self._since is None:
            self._since = sent_at
        self._cause, self._kind = cause, TIMEOUT
        self._open = True

    @property
    def ever_answered(self) -> bool:
        return self._answered is not None

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
        """`127.0.0.1:9 is unreachable (ConnectError to 127.0.0.1:9; 7 requests over 10 s)`,
        `api.x does not answer (no complete answer within 10 s to GET /sequences; 1 request
        over 10 s)`: what happened, how often, for how long."""
        requests = f"{self._failures} request{'s' if self._failures != 1 else ''}"
        elapsed = 0.0 if self._since is None else self.clock() - self._since
        return (
            f"{self.host} {STATES[self._kind]} ({self._cause}; {requests} over "
            f"{_seconds(elapsed)}): stopped"
        )


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 9.95 else f"{value:.0f} s"
