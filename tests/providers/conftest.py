"""Fixtures for the provider tests: the sandbox in process, clients with short backoff."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from seqops.config import Secret
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken
from seqops.sandbox.app import create_app

SANDBOX_URL = "http://sandbox.test/api/v2"
FAST_RETRIES = {"wait_initial": 0.001, "wait_max": 0.02, "wait_jitter": 0.01, "attempts": 20}
"""Backoff is not what these tests measure: keep retries quick (429 waits still honour the
server's Retry-After)."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app():
    """A fresh in-memory sandbox; `app.state.sandbox` turns its knobs."""
    return create_app()


def client_for(app, auth=None, **kwargs) -> JsonApiClient:
    options = {**FAST_RETRIES, **kwargs}
    auth = auth or StaticToken(Secret("sandbox-token"))
    return JsonApiClient(SANDBOX_URL, auth, transport=httpx.ASGITransport(app=app), **options)


@pytest.fixture
def provider_for() -> Callable[..., OutreachProvider]:
    def make(app, **kwargs) -> OutreachProvider:
        return OutreachProvider(client_for(app, **kwargs), "sandbox under test")

    return make


@pytest.fixture
def provider(app, provider_for) -> OutreachProvider:
    return provider_for(app)
