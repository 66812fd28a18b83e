"""Client-side pacing: stay under the server's remaining request budget instead of hitting 429.

Outreach reports `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` on every
response. Proxies that merge duplicated headers turn a value into `"9999, 9998"`; the smallest
number is the truthful one. `x-ratelimit-reset` is seconds until the window resets, or an epoch
timestamp on some deployments: both are accepted.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Mapping

log = logging.getLogger("seqops.http")

EPOCH_THRESHOLD = 1_000_000_000
"""A reset value this large is a Unix timestamp, not a number of seconds."""
MAX_WAIT = 3600.0
NOTABLE_WAIT = 5.0
"""Waits at least this long are worth a warning: the user should know why nothing moves."""


def header_number(value: str | None) -> float | None:
    """The smallest number in a (possibly comma-joined) header value, or None."""
    if not value:
        return None
    numbers = []
    for part in value.split(","):
        try:
            numbers.append(float(part.strip()))
        except ValueError:
            continue
    return min(numbers) if numbers else None


def seconds_until_reset(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long until the window resets, from `x-ratelimit-reset`."""
    reset = header_number(headers.get("x-ratelimit-reset"))
    if reset is None:
        return None
    if reset >= EPOCH_THRESHOLD:
        reset -= time.time() if now is None else now
    return min(max(reset, 0.0), MAX_WAIT)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait before retrying: `Retry-After` (seconds or HTTP date), else the reset."""
    value = headers.get("retry-after")
    if value:
        seconds = header_number(value)
        if seconds is None:
            seconds = _http_date_delay(value)
        if seconds is not None:
            return min(max(seconds, 0.0), MAX_WAIT)
    return seconds_until_reset(headers)


def _http_date_delay(value: str) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


class RateLimiter:
    """Paces requests so that no more are sent than the server says remain in its window.

    Every response updates the budget; each request sent takes one unit before its response is
    known, so concurrent requests cannot overshoot together. When the budget is spent the next
    request waits for the reset instead of being refused.
    """

    def __init__(self, reserve: int = 0) -> None:
        self.reserve = reserve
        self.remaining: float | None = None
        self.resets_at: float | None = None
        self.in_flight = 0
        self.waited = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            delay = self._delay()
            if delay > 0:
                if delay >= NOTABLE_WAIT:
                    log.warning(
                        "rate limit budget spent: waiting %.0fs for the window to reset", delay
                    )
                self.waited += delay
                await asyncio.sleep(delay)
                self.remaining = None
            if self.remaining is not None:
                self.remaining -= 1
            self.in_flight += 1

    def release(self, headers: Mapping[str, str] | None) -> None:
        """Record a finished request; `headers` is None when no response arrived."""
        self.in_flight = max(self.in_flight - 1, 0)
        if headers is None:
            return
        remaining = header_number(headers.get("x-ratelimit-remaining"))
        if remaining is not None:
            self.remaining = remaining - self.in_flight
        reset = seconds_until_reset(headers)
        if reset is not None:
            self.resets_at = time.monotonic() + reset

    def _delay(self) -> float:
        if self.remaining is None or self.remaining > self.reserve:
            return 0.0
        if self.resets_at is None:
            return 0.0
        return max(self.resets_at - time.monotonic(), 0.0)
