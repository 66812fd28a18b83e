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
