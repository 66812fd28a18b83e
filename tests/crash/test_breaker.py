"""Fail fast: a target that refuses connections or keeps answering 5xx stops the run within
the breaker's window, naming the host; the rest of an apply is reported not attempted."""

from __future__ import annotations

import asyncio
import logging
import socket

import httpx
import pytest

from seqops.apply.executor import apply
from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED
from seqops.config import Secret
from seqops.plan.planner import plan as make_plan
from seqops.providers.base import Unreachable
from seqops.providers.outreach import JsonApiClient, StaticToken
from seqops.providers.outreach.breaker import CircuitBreaker
from tests.scenarios.kit import TARGET, account, make_provider, template

from .rig import Rig

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_only_after_a_window_of_consecutive_failures():
    clock = Clock()
    breaker = CircuitBreaker("api.example:443", window=10, clock=clock)
    breaker.failure("ConnectError to api.example:443")
    clock.now += 9
    breaker.failure("ConnectError to api.example:443")
    breaker.check()  # 9 s of failures: still closed
    breaker.success()  # one answer ends the streak
    clock.now += 5
    breaker.failure("503 from api.example:443")
    breaker.check()
    assert breaker.cap(30.0) == pytest.approx(10.05)  # a long backoff wakes when it is due
    clock.now += 10
    breaker.failure("503 from api.example:443")
    with pytest.raises(Unreachable, match=r"^api.example:443 keeps failing \(503 from"):
        breaker.check()
    breaker.success()  # open for the rest of the run
    assert breaker.is_open


def test_a_host_that_went_silent_is_said_once_with_every_request_counted():
    """The first verdict is the one said (what timed out, for how long since it was sent);
    later timeouts only add to the count. A failure before the host ever answered counts
    from when it was sent."""
    clock = Clock()
    breaker = CircuitBreaker("api.example:443", window=10, clock=clock)
    breaker.dead("no complete answer within 10 s to GET /users", sent_at=clock.now)
    clock.now += 12.4
    breaker.dead("no complete answer within 10 s to GET /stages", sent_at=clock.now - 10)
    with pytest.raises(Unreachable) as info:
        breaker.check()
    assert str(info.value) == (
        "api.example:443 does not answer (no complete answer within 10 s to GET /users; "
        "2 requests over 12 s): stopped"
    )


def test_a_refused_connection_is_said_unreachable_with_one_request_over_its_time():
    clock = Clock()
    breaker = CircuitBreaker("127.0.0.1:9", window=0.5, clock=clock)
    breaker.failure("ConnectError to 127.0.0.1:9", kind="refused", sent_at=clock.now - 0.5)
    assert breaker.message == (
        "127.0.0.1:9 is unreachable (ConnectError to 127.0.0.1:9; 1 request over 0.5 s): stopped"
    )
    assert breaker.is_open


def test_a_streak_counts_from_the_last_answer_when_a_request_was_sent_before_it():
    """A request sent before the host last answered cannot say the host was down since it was
    sent: the streak starts at that answer."""
    clock = Clock()
    breaker = CircuitBreaker("api.example:443", window=10, clock=clock)
    sent = clock.now
    clock.now += 8
    breaker.success()
    clock.now += 4
    breaker.failure("503 from api.example:443", sent_at=sent)
    breaker.check()  # 12 s since it was sent, but only 4 s since the host answered
    assert breaker.cap(30.0) == pytest.approx(6.05)


def test_a_retry_line_is_said_once_per_streak():
    breaker = CircuitBreaker("api.example:443")
    assert breaker.first_time(1, "503 from api.example:443")
    assert not breaker.first_time(1, "503 from api.example:443")
    assert breaker.first_time(2, "503 from api.example:443")
    breaker.success()  # a new streak says it again
    assert breaker.first_time(1, "503 from api.example:443")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port_client(port: int, *, wait_max: float, breaker_window: float) -> JsonApiClient:
    """A client of a port nothing listens on, retrying (almost) forever: only the breaker
    can end its requests."""
    return JsonApiClient(
        f"http://127.0.0.1:{port}/api/v2",
        StaticToken(Secret("t")),
        attempts=1000,
        wait_initial=0.01,
        wait_max=wait_max,
        wait_jitter=0.0,
        breaker_window=breaker_window,
    )


async def test_a_closed_port_raises_unreachable_naming_the_host(caplog):
    port = closed_port()
    client = closed_port_client(port, wait_max=0.05, breaker_window=0.3)
    caplog.set_level(logging.WARNING, logger="seqops.http")
    try:
        with pytest.raises(Unreachable, match=rf"127.0.0.1:{port} is unreachable \(ConnectError"):
            await client.list_all("/sequences")
        with pytest.raises(Unreachable):  # once open, nothing more is sent
            await client.get("/stages")
    finally:
        await client.aclose()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith(f"retry 1/999 in 0.0s after ConnectError to 127.0.0.1:{port}")
    assert "(GET /sequences): waiting for" in lines[0]
    assert client.requests["GET /stages"] == 0


async def test_a_server_dying_during_apply_stops_the_run_and_reports_the_rest():
    rig = Rig()
    dying = make_provider(rig.proxy, attempts=10_000, breaker_window=0.2)
    try:
        resources = [*account(), *(template(f"extra-{i}") for i in range(12))]
        plan = await make_plan(resources, rig.kit.provider, TARGET)
        rig.proxy.crash_after("POST", r"/templates$", nth=3)
        report = await apply(plan, dying, concurrency=2)
        statuses = report.counts
        assert statuses[DONE] >= 1 and statuses[FAILED] >= 1 and statuses[NOT_ATTEMPTED] >= 5
        assert sum(statuses.values()) == len(plan.changes)
        for result in report.of(FAILED) + report.of(NOT_ATTEMPTED):
            assert "keeps failing" in result.reason or "did not succeed" in result.reason
        rig.proxy.heal()
        await rig.kit.converge(resources)
        assert (await rig.audit()).duplicates() == []
    finally:
        await dying.aclose()
        await rig.aclose()


def test_hosts_are_named_with_their_port():
    from seqops.providers.outreach.client import host_of

    assert host_of(httpx.URL("http://127.0.0.1:9/api/v2/")) == "127.0.0.1:9"
    assert host_of(httpx.URL("https://api.outreach.io/api/v2/")) == "api.outreach.io"


async def test_requests_failing_alike_say_each_retry_once(caplog):
    port = closed_port()
    client = closed_port_client(port, wait_max=0.02, breaker_window=0.2)
    caplog.set_level(logging.WARNING, logger="seqops.http")
    try:
        outcomes = await asyncio.gather(
            *(client.get(f"/{p}") for p in ("stages", "users", "sequences")),
            return_exceptions=True,
        )
    finally:
        await client.aclose()
    assert all(isinstance(o, Unreachable) for o in outcomes)
    firsts = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retry 1/")]
    assert len(firsts) == 1
