"""The project every CLI test runs in."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette

from seqops.sandbox.app import create_app
from seqops.sandbox.server import uvicorn_config

SERVED_TOKEN = "served-test-token"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], Path]:
    """`project(text)`: tmp_path as the working directory, with no seqops.yaml (so the target is
    the embedded sandbox), no SEQOPS_TOKEN, and `text` (if any) in manifests/account.yaml."""

    def make(manifests: str | None = None) -> Path:
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
        (tmp_path / "manifests").mkdir()
        if manifests is not None:
            (tmp_path / "manifests" / "account.yaml").write_text(manifests)
        return tmp_path

    return make


@dataclass
class Served:
    url: str
    app: Starlette
    token: str = SERVED_TOKEN


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    """`serve(**options)`: a sandbox served by uvicorn on 127.0.0.1 (in a thread) with the
    sandbox's options (latency_ms, ...) and the token `SERVED_TOKEN`; stopped after the test."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(**options: object) -> Served:
        app = create_app(token=SERVED_TOKEN, **options)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", port))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the sandbox did not start"
            time.sleep(0.01)
        servers.append((server, thread))
        return Served(f"http://127.0.0.1:{port}/api/v2", app)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
