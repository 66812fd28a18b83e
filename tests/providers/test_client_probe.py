"""The probe as the API sees it: after a request got no answer within its deadline, one cheap
read (a single user's email, no count) with the run's token tells a slow request from a dead
host. A host that answers it is alive and the request is asked again; a 5xx is no answer."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from seqops.providers.base import Unreachable

from .test_hostile_network import TOKEN, client_for, jsonapi, rows

pytestmark = pytest.mark.anyio


class SlowOnce(httpx.AsyncBaseTransport):
    """Answers every request at once, but the first `/stages` hangs past any deadline; the
    probe is answered `probe_status`. Keeps the probes it was sent."""

    def __init__(self, probe_status: int) -> None:
        self.probe_status = probe_status
        self.probes: list[httpx.Request] = []
        self.stages = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v2/users":
            self.probes.append(request)
            return jsonapi(self.probe_status, {"data": rows(1)})
        if request.url.path == "/api/v2/stages":
            self.stages += 1
            if self.stages == 1:
                await asyncio.sleep(5)
        return jsonapi(200, {"data": rows(1)[0]})


async def test_a_host_answering_the_probe_is_alive_and_the_slow_request_is_asked_again(caplog):
    caplog.set_level(logging.DEBUG, logger="seqops.http")
    transport = SlowOnce(probe_status=200)
    client = client_for(None, transport=transport, timeout=0.3, attempts=3)
    await client.get("/users/1")
    assert (await client.get("/stages"))["data"]["id"] == 1
    [probe] = transport.probes
    assert probe.method == "GET" and probe.url.path == "/api/v2/users"
    assert dict(probe.url.params) == {"page[size]": "1", "count": "false", "fields[user]": "email"}
    assert probe.headers["authorization"] == f"Bearer {TOKEN}"
    assert client.requests == {"GET /users/1": 1, "GET /stages": 2, "GET /users": 1}
    said = [r.getMessage() for r in caplog.records]
    assert any(
        line.startswith("GET /api/v2/users?page[size]=1&count=false&fields[user]=email 200: "
                        "the probe ")
        for line in said
    ), said  # fmt: skip
    assert not client.breaker.is_open


@pytest.mark.parametrize("status", [500, 503])
async def test_a_probe_answered_with_a_5xx_is_no_answer_the_run_stops(status):
    client = client_for(None, transport=SlowOnce(probe_status=status), timeout=0.3, attempts=3)
    await client.get("/users/1")
    with pytest.raises(Unreachable) as info:
        await client.get("/stages")
    assert str(info.value).startswith(
        "api.example.test does not answer (no complete answer within 0.3 s to GET /stages, "
        "nor to a 0.3 s probe; "
    )
