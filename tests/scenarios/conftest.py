"""Fixtures of the scenario tests: a fresh sandbox per test, in process."""

import pytest

from .kit import new_kit


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def kit():
    kit = new_kit()
    yield kit
    await kit.provider.aclose()
