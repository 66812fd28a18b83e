"""Rate limits: pace requests under the server's budget, and wait out a 429 the way the real API
needs.

Outreach sends `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` on every
response. `remaining` (and sometimes `limit`) carries two values, `"9999, 19988"`, the hourly
window first; `reset` is an epoch timestamp in the server's clock (a small number is read as
seconds from now). A 429 comes without `Retry-After`, so the client waits until the reset plus a
margin for clock skew, never less than a few seconds; when the reset is missing or already past
by this machine's clock it backs off exponentially instead of retrying in a busy loop.
`Retry-After` is honoured when a server sends it.

A 429 holds every request of the client (not only the one refused) until the wait is over, and
the wait is logged once per hold, not once per request.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger("seqops.http")

EPOCH_THRESHOLD = 1_000_000_000
"""A reset value this large is a Unix timestamp, not a number of seconds."""
MAX_WAIT = 3600.0
"""The longest window Outreach has: no single wait is longer."""
NOTABLE_WAIT = 5.0
"""Waits at least this long are worth a warning: the user should know why nothing moves."""


@dataclass(frozen=True)
class RatePolicy:
    """How long a 429 waits. The defaults suit the real API; tests shrink them."""

    skew_margin: float = 2.0
    """Added to a reset read by this machine's clock: the server's may be behind."""
    minimum: float = 3.0
    """A 429 is never retried sooner than this (unless its Retry-After says so)."""
    floor: float = 1.0
    """Nor sooner than this, whatever its Retry-After says (0 would be a busy loop)."""
    backoff_max: float = 120.0
    """The longest single backoff step when the reset is unknown or past."""
    total_max: float = MAX_WAIT + 120.0
    """A request gives up after waiting this long for rate limits in all."""


def header_numbers(value: str | None) -> list[float]:
    """The numbers of a (possibly comma-joined) header value, in order."""
    numbers = []
    for part in (value or "").split(","):
        try:
            numbers.append(float(part.strip()))
        except ValueError:
            continue
    return numbers


def header_number(value: str | None) -> float | None:
    """The smallest number of a header value (the budget that runs out first), or None."""
    return min(header_numbers(value), default=None)


def first_number(value: str | None) -> float | None:
    """The first number of a header value: the hourly window's, or None."""
    numbers = header_numbers(value)
    return numbers[0] if numbers else None


def seconds_until_reset(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds until the window resets by this machine's clock (negative: already past)."""
    reset = first_number(headers.get("x-ratelimit-reset"))
    if reset is None:
        return None
    if reset >= EPOCH_THRESHOLD:
        reset -= time.time() if now is None else now
    return min(reset, MAX_WAIT)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """`Retry-After` in seconds (a number or an HTTP date), or None."""
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = header_number(value)
    if seconds is None:
        seconds = _http_date_delay(value)
    return None if seconds is None else min(max(seconds, 0.0), MAX_WAIT)


def _http_date_delay(value: str) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


@dataclass(frozen=True)
class Budget:
    """The hourly budget the latest response reported."""

    limit: int | None
    remaining: int | None
    resets_in: float | None

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> Budget:
        limit = first_number(headers.get("x-ratelimit-limit"))
        remaining = first_number(headers.get("x-ratelimit-remaining"))
        reset = seconds_until_reset(headers)
        return cls(
            None if limit is None else int(limit),
            None if remaining is None else int(remaining),
            None if reset is None else max(reset, 0.0),
        )


@dataclass(frozen=True)
class Wait:
    """How long a refused request waits, and why (said once per hold)."""

    seconds: float
    why: str


def wait_after_429(
    headers: Mapping[str, str], refusals: int, policy: RatePolicy, now: float | None = None
) -> Wait:
    """The wait before retrying the `refusals`-th 429 of one request."""
    asked = retry_after(headers)
    if asked is not None:
        return Wait(max(asked, policy.floor), "as its Retry-After asks")
    until = seconds_until_reset(headers, now)
    if until is not None and until > 0:
        seconds = max(until + policy.skew_margin, policy.minimum)
        return Wait(seconds, f"until the window resets, +{policy.skew_margin:g} s for clock skew")
    step = min(policy.minimum * 2 ** (refusals - 1), policy.backoff_max)
    why = "the reset it gave is already past by this machine's clock"
    if until is None:
        why = "it gave no reset time"
    return Wait(step + random.uniform(0, step / 4), f"backing off: {why}")


class RateLimiter:
    """Paces requests so that no more are sent than the server says remain in its window, and
    holds every request while a 429's wait runs.

    Every response updates the budget; each request sent takes one unit before its response is
    known, so concurrent requests cannot overshoot together. When the budget is spent the next
    request waits for the reset (plus the skew margin) instead of being refused.
    """

    def __init__(self, reserve: int = 0, policy: RatePolicy | None = None) -> None:
        self.reserve = reserve
        self.policy = policy or RatePolicy()
        self.remaining: float | None = None
        self.resets_at: float | None = None
        self.held_until = 0.0
        self.in_flight = 0
        self.waited = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            delay = max(self._delay(), self.held_until - time.monotonic())
            if delay > 0:
                if delay >= NOTABLE_WAIT and self.held_until <= time.monotonic():
                    log.warning(
                        "rate limit budget spent: waiting %s for the window to reset, then "
                        "going on",
                        _seconds(delay),
                    )
                self.waited += delay
                await asyncio.sleep(delay)
                self.remaining = None
            if self.remaining is not None:
                self.remaining -= 1
            self.in_flight += 1

    def release(self, headers: Mapping[str, str] | None, refused: bool = False) -> None:
        """Record a finished request; `headers` is None when no response arrived. A 429
        (`refused`) does not pace: its own wait holds every request (`hold`)."""
        self.in_flight = max(self.in_flight - 1, 0)
        if headers is None or refused:
            return
        remaining = header_number(headers.get("x-ratelimit-remaining"))
        if remaining is not None:
            self.remaining = remaining - self.in_flight
        reset = seconds_until_reset(headers)
        if reset is not None:
            self.resets_at = time.monotonic() + max(reset, 0.0) + self.policy.skew_margin

    def hold(self, wait: Wait, host: str) -> None:
        """Hold every request for `wait` (a 429 answered); say so once per hold."""
        until = time.monotonic() + wait.seconds
        if until <= self.held_until + 1.0:
            self.held_until = max(self.held_until, until)
            return
        log.warning("%s rate-limited this token (429): waiting %s, %s", host,
                    _seconds(wait.seconds), wait.why)  # fmt: skip
        self.held_until = until

    def _delay(self) -> float:
        if self.remaining is None or self.remaining > self.reserve:
            return 0.0
        if self.resets_at is None:
            return 0.0
        return max(self.resets_at - time.monotonic(), 0.0)


def _seconds(value: float) -> str:
    """`3.2 s`, `47 s`, `12 min`, `1 h 5 min`: a wait as people say it."""
    if value < 9.95:
        return f"{value:.1f} s"
    if value < 120:
        return f"{value:.0f} s"
    minutes = round(value / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
