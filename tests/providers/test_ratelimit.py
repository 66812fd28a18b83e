"""Rate limits: pacing keeps a run under the budget; a 429 waits for the reset and goes on."""

from __future__ import annotations

import logging

import httpx
import pytest

from seqops.providers.outreach.ratelimit import RateLimiter
from seqops.sandbox.app import create_app

pytestmark = pytest.mark.anyio


def statuses(caplog) -> list[str]:
    return [r.getMessage().split()[2] for r in caplog.records if r.name == "seqops.http"]


async def test_pacing_stays_under_the_budget_instead_of_hitting_429(provider_for, caplog):
    app = create_app(rate_limit=12, rate_window=1.0)
    app.state.sandbox.generate_account(20, 8)
    provider = provider_for(app, page_size=25, concurrency=4)
    caplog.set_level(logging.DEBUG, logger="seqops.http")

    state = await provider.read()

    assert provider.client.request_count > 12  # more than one window's budget was needed
    assert "429" not in statuses(caplog)
    assert provider.client.rate.waited > 0
    assert sum(len(s.steps) for s in state.of_kind("Sequence")) == 160


async def test_429_from_a_budget_spent_elsewhere_waits_for_the_reset(provider_for, caplog):
    app = create_app(rate_limit=8, rate_window=1.0)  # a read of this account takes 8 requests
    app.state.sandbox.generate_account(3, 2)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as neighbour:
        for _ in range(8):  # another process with the same token spends the whole window
            await neighbour.get(
                "http://sandbox.test/api/v2/users",
                headers={"Authorization": "Bearer sandbox-token"},
            )
    provider = provider_for(app, concurrency=2)
    caplog.set_level(logging.DEBUG, logger="seqops.http")

    state = await provider.read()

    assert "429" in statuses(caplog)
    assert len(state.of_kind("Sequence")) == 3


async def test_limiter_counts_requests_in_flight_against_the_remaining_budget():
    limiter = RateLimiter()
    limiter.release({"x-ratelimit-remaining": "10, 3", "x-ratelimit-reset": "60"})
    assert limiter.remaining == 3
    await limiter.acquire()
    await limiter.acquire()
    assert limiter.remaining == 1 and limiter.in_flight == 2
    limiter.release({"x-ratelimit-remaining": "2"})  # the other request is still in flight
    assert limiter.remaining == 1


def test_a_response_without_rate_headers_reports_no_budget():
    from seqops.providers.outreach.ratelimit import Budget

    assert Budget.of({}) == Budget(None, None, None)
    past = Budget.of({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "0",
                      "x-ratelimit-reset": "1000000000"})  # fmt: skip
    assert past == Budget(100, 0, 0.0)  # a reset already past resets in no time, not negative


def test_no_wait_is_longer_than_the_longest_window():
    """A reset or a Retry-After days away (a server's clock far ahead) waits an hour at most;
    a Retry-After in the past waits nothing of its own."""
    from seqops.providers.outreach.ratelimit import retry_after, seconds_until_reset

    assert seconds_until_reset({"x-ratelimit-reset": "86400"}) == 3600
    assert retry_after({"retry-after": "86400"}) == 3600
    assert retry_after({"retry-after": "-5"}) == 0
    assert retry_after({"retry-after": "soon"}) is None


async def test_a_refused_request_does_not_pace_the_others():
    """A 429's headers say the budget is spent, but its own wait holds every request: pacing
    on them too would wait twice."""
    limiter = RateLimiter()
    limiter.release({"x-ratelimit-remaining": "5", "x-ratelimit-reset": "60"})
    await limiter.acquire()
    limiter.release({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "60"}, refused=True)
    assert (limiter.remaining, limiter.in_flight) == (4, 0)
    limiter.release(None)  # a request that got no answer leaves the budget as it was
    assert (limiter.remaining, limiter.in_flight) == (4, 0)


async def test_the_last_request_a_window_allows_is_sent_at_once():
    """One request answered "1 remaining", none in flight: the next one is still within the
    window and goes without waiting for the reset a minute away."""
    limiter = RateLimiter()
    await limiter.acquire()
    limiter.release({"x-ratelimit-remaining": "1", "x-ratelimit-reset": "60"})
    assert (limiter.remaining, limiter.in_flight) == (1, 0)
    await limiter.acquire()
    assert limiter.waited == 0
