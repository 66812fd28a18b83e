"""The Coefficy client has a total deadline per request too: a target that accepts and never
answers ends `status` quickly, naming the host."""

from __future__ import annotations

import time

import pytest

from seqops.config import Secret
from seqops.providers.base import ProviderError
from seqops.providers.coefficy.client import CoefficyClient
from seqops.sandbox.hostile import Blackhole, started

pytestmark = pytest.mark.anyio


async def test_a_coefficy_target_that_never_answers_fails_within_its_deadlines():
    with started(Blackhole()) as hole:
        base = f"http://127.0.0.1:{hole.port}/coefficy/v1"
        client = CoefficyClient(base, Secret("coefficy-canary-token"), deadline=0.4)
        began = time.monotonic()
        with pytest.raises(ProviderError) as info:
            await client.get("/sequence/action", [])
        await client.aclose()
    assert time.monotonic() - began < 2.0  # the retries stop 1.5 deadlines after the first
    message = str(info.value)
    assert f"cannot reach {base}: no complete answer within 0.4 s" in message
    assert "coefficy-canary-token" not in message
