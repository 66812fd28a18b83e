"""The sandbox's knobs for the real API's limits and failures: a rate limiter per token with
the real API's headers, and seeded faults. The middleware (`middleware`) applies them."""

from __future__ import annotations

import math
import random
import threading
import time

UNLIMITED = 1_000_000_000  # what x-ratelimit-limit says when no limit is configured
FAULT_STATUSES = (500, 502, 503, "drop")


class RateLimiter:
    """Fixed windows per token: `limit` requests per `window` seconds.

    Its headers are the real API's: `x-ratelimit-remaining` carries two values, this token's
    window first and then the app's (twice the token's budget, spent by the same requests
    here), `x-ratelimit-reset` is epoch seconds (shifted by `clock_skew`, as a server whose
    clock differs from the client's), and a 429 has no Retry-After."""

    def __init__(self, limit: int | None, window: float, clock_skew: float = 0.0) -> None:
        self.limit, self.window, self.clock_skew = limit, window, clock_skew
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, count: bool = True) -> tuple[bool, dict[str, str]]:
        """Count one request (unless `count` is false); whether it is allowed, and the
        x-ratelimit-* headers to send."""
        now = time.time()
        with self._lock:
            start, used = self._windows.get(key, (now, 0))
            if now >= start + self.window:
                start, used = now, 0
            allowed = self.limit is None or used < self.limit
            if count:
                used += allowed
                self._windows[key] = (start, used)
        limit = UNLIMITED if self.limit is None else self.limit
        reset = math.ceil(start + self.window + self.clock_skew)
        headers = {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": f"{max(limit - used, 0)}, {max(2 * limit - used, 0)}",
            "x-ratelimit-reset": str(reset),
        }
        return allowed, headers


class Faults:
    """Seeded, so a run with the same seed and request order fails the same requests."""

    def __init__(self, fault_rate: float = 0.0, lost_response_rate: float = 0.0, seed: int = 0):
        self.fault_rate, self.lost_response_rate = fault_rate, lost_response_rate
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def before_write(self) -> int | str | None:
        """A fault answered instead of running the request: a status or "drop"."""
        with self._lock:
            if self.fault_rate and self._rng.random() < self.fault_rate:
                return self._rng.choice(FAULT_STATUSES)
        return None

    def lose_response(self) -> bool:
        """Whether to run the request but hang up instead of answering."""
        with self._lock:
            return bool(self.lost_response_rate) and self._rng.random() < self.lost_response_rate
