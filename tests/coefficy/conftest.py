"""Fixtures for the Coefficy tests: the sandbox in process, and served over HTTP for the CLI."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import stamina
import uvicorn

from seqops.config import Secret
from seqops.providers.coefficy.client import CoefficyClient
from seqops.providers.coefficy.provider import CoefficyProvider

TOKEN = "coefficy-token"
BASE = "http://sandbox.test/coefficy/v1"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    """Retries keep their attempts but skip the waits between them."""
    with stamina.set_testing(True, attempts=100, cap=True):
        yield


@dataclass
class CoefficySandbox:
    app: Any
    sandbox: Any

    def http(self, token: str | None = TOKEN) -> httpx.AsyncClient:
        headers = {"x-access-token": token} if token is not None else {}
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers)

    def provider(self, token: str = TOKEN) -> CoefficyProvider:
        transport = httpx.ASGITransport(app=self.app)
        return CoefficyProvider(CoefficyClient(BASE, Secret(token), transport=transport))


def make_sandbox(demo: bool = False) -> CoefficySandbox:
    from seqops.sandbox.app import create_app

    app = create_app(demo=demo)
    return CoefficySandbox(app, app.state.sandbox)


@pytest.fixture
def coefficy() -> CoefficySandbox:
    """A fresh in-memory sandbox (baseline Coefficy data only)."""
    return make_sandbox()


@pytest.fixture
def coefficy_demo() -> CoefficySandbox:
    return make_sandbox(demo=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_sandbox() -> Iterator[tuple[str, CoefficySandbox]]:
    """The sandbox served by uvicorn on 127.0.0.1 in a thread: (Coefficy base URL, sandbox)."""
    box = make_sandbox()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(box.app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the sandbox server did not start")
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}/coefficy/v1", box
    server.should_exit = True
    thread.join(timeout=10)
