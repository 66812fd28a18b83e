"""The probe after a timeout: requests that time out together share one question to the host,
its answer stands for a second, and a host that does not answer it is said not to have."""

from __future__ import annotations

import asyncio

import pytest

from seqops.providers.outreach.probe import PROBE_REUSE, Probe

pytestmark = pytest.mark.anyio


class Host:
    """Answers probes after `delay` seconds, `alive` or not; counts the questions."""

    def __init__(self, alive: bool, delay: float = 0.05) -> None:
        self.alive, self.delay, self.asked = alive, delay, []

    async def __call__(self, deadline: float) -> bool:
        self.asked.append(deadline)
        await asyncio.sleep(self.delay)
        return self.alive


async def test_requests_timing_out_together_share_one_probe():
    host = Host(alive=True)
    probe = Probe(host, 3.0)
    assert await asyncio.gather(*(probe.alive() for _ in range(5))) == [True] * 5
    assert host.asked == [3.0]
    assert probe.said == ""


async def test_a_verdict_stands_for_a_second_then_the_host_is_asked_again():
    host = Host(alive=False, delay=0.0)
    probe = Probe(host, 0.5)
    assert await probe.alive() is False
    assert await probe.alive() is False
    assert len(host.asked) == 1
    assert probe.said == ", nor to a 0.5 s probe"
    await asyncio.sleep(PROBE_REUSE)
    host.alive = True
    assert await probe.alive() is True
    assert len(host.asked) == 2
