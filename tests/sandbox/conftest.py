"""Sandbox test fixtures: a fresh app per test, and clients that check every response body
against the `...Response` component schemas of outreach-openapi.json."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sandbox_helpers import ApiClient, NoSpec, SpecChecker

from seqops.sandbox import DEFAULT_TOKEN, create_app


@pytest.fixture(scope="session")
def spec_checker(request: pytest.FixtureRequest) -> SpecChecker | NoSpec:
    try:
        return SpecChecker(request.getfixturevalue("openapi_spec"))
    except pytest.skip.Exception:
        return NoSpec()


@pytest.fixture
def make_client(spec_checker: SpecChecker) -> Iterator[Callable[..., ApiClient]]:
    clients: list[ApiClient] = []

    def make(app=None, token: str | None = DEFAULT_TOKEN, **options: Any) -> ApiClient:
        client = ApiClient(app or create_app(**options), spec_checker.check_response, token)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(make_client) -> ApiClient:
    """A client of a fresh in-memory sandbox, with the static token."""
    return make_client()
