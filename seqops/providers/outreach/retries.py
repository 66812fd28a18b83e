"""How one request is retried: which failures, how long to wait, what is said."""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from typing import Protocol

from seqops.providers.outreach.breaker import CircuitBreaker
from seqops.providers.outreach.errors import Transient
from seqops.providers.outreach.paging import PageSizes
from seqops.providers.outreach.ratelimit import NOTABLE_WAIT, RateLimiter, wait_after_429

log = logging.getLogger("seqops.http")


class Retried(Protocol):
    """What retrying needs of the client."""

    attempts: int
    backoff: dict[str, float]
    breaker: CircuitBreaker
    rate: RateLimiter
    host: str
    page_sizes: PageSizes


class Retries:
    """stamina's backoff hook for one request: which failures are retried, how long to wait,
    and one line per retry, numbered from 1.

    - a 429 waits as `ratelimit.wait_after_429` says, holding the client's other requests,
      until the request has waited `RatePolicy.total_max` in all;
    - a listing page that failed with 502/504 or a timeout is asked again at once, smaller;
    - other failures back off exponentially with jitter (or as a Retry-After asks), never past
      the breaker's deadline, `attempts` times in all."""

    def __init__(self, client: Retried, method: str, path: str, page: str | None) -> None:
        self.client, self.what, self.page = client, f"{method} {path}", page
        self.retries = client.attempts - 1
        self.done = 0
        self.refusals = 0
        self.rate_waited = 0.0
        self.gave_up = "gave up after retries"

    def decide(self, exc: BaseException) -> bool | float:
        if not isinstance(exc, Transient):
            return False
        if exc.rate_limit is not None:
            return self.rate_limited(exc.rate_limit)
        if exc.shrinkable and self.page and self.client.page_sizes.shrink(self.page, str(exc)):
            return 0.001
        self.done += 1
        if self.done > self.retries:
            return False
        wait = exc.wait if exc.wait is not None else self.backoff()
        wait = max(self.client.breaker.cap(wait), 0.001)
        self.say(exc, wait)
        return wait

    def rate_limited(self, headers: Mapping[str, str]) -> bool | float:
        self.refusals += 1
        policy = self.client.rate.policy
        wait = wait_after_429(headers, self.refusals, policy)
        if self.rate_waited + wait.seconds > policy.total_max:
            self.gave_up = f"gave up after waiting {self.rate_waited:.0f} s for the rate limit"
            return False
        self.rate_waited += wait.seconds
        self.client.rate.hold(wait, self.client.host)
        return wait.seconds

    def backoff(self) -> float:
        options = self.client.backoff
        wait = min(options["initial"] * 2 ** (self.done - 1), options["max"])
        return wait + random.uniform(0, options["jitter"])

    def say(self, exc: Transient, wait: float) -> None:
        """A target that does not answer is worth a line on the terminal (it may be down);
        a lone 5xx is not (-v shows it)."""
        cause = str(exc)
        notable = (exc.down and not exc.sent) or wait >= NOTABLE_WAIT
        level = logging.WARNING if notable else logging.DEBUG
        if level == logging.WARNING and not self.client.breaker.first_time(self.done, cause):
            level = logging.DEBUG
        log.log(
            level,
            "retry %d/%d in %.1fs after %s (%s): waiting for %s to answer",
            self.done,
            self.retries,
            wait,
            cause,
            self.what,
            self.client.host,
        )
