"""Through real HTTP: `seqops sandbox serve` on 127.0.0.1, reached by a URL target."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from seqops.config import resolve_target
from seqops.manifest.models import Template
from seqops.targets import build_provider

pytestmark = pytest.mark.anyio
SEQOPS = Path(sys.executable).parent / "seqops"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(url: str, process: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the sandbox exited: {process.stderr.read()}")  # type: ignore[union-attr]
        try:
            httpx.post(f"{url}/oauth/token", timeout=0.5)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("the sandbox did not start listening")


def template(name: str) -> Template:
    spec = {"subject": f"Hello from {name}"}
    return Template.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Template", "metadata": {"name": name}, "spec": spec}
    )


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = free_port()
    command = [
        str(SEQOPS), "sandbox", "serve", "--port", str(port), "--demo",
        "--fault-rate", "0.1", "--lost-response-rate", "0.2", "--fault-seed", "5",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until_listening(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}/api/v2"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_read_and_write_over_http_with_faults(served, monkeypatch, tmp_path):
    monkeypatch.setenv("SEQOPS_TOKEN", "sandbox-token")
    target = resolve_target(served, tmp_path / "seqops.yaml")
    provider = build_provider(target)
    try:
        state = await provider.read()
        assert state.of_kind("Sequence"), "the demo account has sequences"
        assert all(len(s.steps) == len(s.resource.spec.steps) for s in state.of_kind("Sequence"))
        await asyncio.gather(*(provider.create_template(template(f"served-{i}")) for i in range(8)))
        after = await provider.read()
    finally:
        await provider.aclose()
    owned = sorted(
        o.owner for o in after.of_kind("Template") if (o.owner or "").startswith("served-")
    )
    assert owned == [f"served-{i}" for i in range(8)]
    assert len(after.of_kind("Sequence")) == len(state.of_kind("Sequence"))
