"""The sandbox over real HTTP: uvicorn on 127.0.0.1, and `seqops sandbox serve` itself."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from seqops.sandbox import create_app
from seqops.sandbox.server import uvicorn_config

AUTH = {"Authorization": "Bearer sandbox-token"}
JSONAPI = AUTH | {"content-type": "application/vnd.api+json"}


@contextmanager
def serving(app) -> Iterator[str]:
    """Run `app` under uvicorn in a thread on a free port; yields the API base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/api/v2"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def http(spec_checker) -> Iterator[httpx.Client]:
    def check(response: httpx.Response) -> None:
        response.read()
        spec_checker.check_response(response)

    with httpx.Client(headers=AUTH, event_hooks={"response": [check]}, timeout=10) as client:
        yield client


def test_dropped_connections_are_transport_errors_over_http(http):
    app = create_app(fault_rate=1.0, seed=3)
    with serving(app) as base:
        outcomes = set()
        for _ in range(30):
            try:
                outcomes.add(http.get(f"{base}/stages").status_code)
            except httpx.RemoteProtocolError:
                outcomes.add("dropped")
        assert outcomes == {500, 502, 503, "dropped"}
        app.state.sandbox.set_faults(fault_rate=0.0)
        assert http.get(f"{base}/stages").status_code == 200  # the server survived


def test_lost_responses_over_http_still_write(http):
    app = create_app(lost_response_rate=1.0)
    body = {"data": {"type": "sequence", "attributes": {"name": "written"}}}
    with serving(app) as base:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(f"{base}/sequences", json=body, headers=JSONAPI)
        app.state.sandbox.set_faults(lost_response_rate=0.0)
        listed = http.get(f"{base}/sequences", params={"filter[name]": "written"}).json()
        assert listed["meta"]["count"] == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def cli_serve(*args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    command = [sys.executable, "-c", "from seqops.cli import main; main()", "sandbox", "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"NO_COLOR": "1"},
    )
    base = f"http://127.0.0.1:{port}/api/v2"
    try:
        wait_until_up(base, process)
        yield base, process
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stdout.read())
        try:
            httpx.get(f"{base}/stages", headers=AUTH, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("seqops sandbox serve did not start")


def test_serve_keeps_data_across_restarts_with_the_same_db(tmp_path: Path, http):
    db = str(tmp_path / "sandbox.db")
    body = {
        "data": {
            "type": "sequence",
            "attributes": {"name": "survivor", "tags": ["seqops:survivor"]},
        }
    }
    with cli_serve("--db", db, "--token", "sandbox-token") as (base, _):
        created = http.post(f"{base}/sequences", json=body, headers=JSONAPI).json()["data"]
        users = http.get(f"{base}/users").json()["meta"]["count"]
    with cli_serve("--db", db) as (base, process):
        again = http.get(f"{base}/sequences/{created['id']}").json()["data"]
        assert again["attributes"] == created["attributes"]
        assert http.get(f"{base}/users").json()["meta"]["count"] == users  # seeded only once
        assert http.get(f"{base}/prospects").json()["meta"]["count"] >= 20
    output = process.stdout.read()
    assert f"{base}" in output and "sandbox-token" in output


def test_serve_demo_with_rate_limit_and_latency_flags(http):
    with cli_serve(
        "--demo", "--rate-limit", "500", "--rate-window", "60", "--latency-ms", "20"
    ) as (base, _):
        started = time.perf_counter()
        response = http.get(f"{base}/sequenceStates", params={"filter[state]": "active,paused"})
        assert time.perf_counter() - started >= 0.02
        assert response.headers["x-ratelimit-limit"] == "500"
        assert response.json()["meta"]["count"] > 0


def test_serve_answers_like_the_real_api_with_its_knobs(http):
    flags = ("--max-page-size", "250", "--clock-skew", "-20", "--count-cap", "10")
    with cli_serve(*flags, "--rate-window", "60") as (base, _):
        assert http.get(f"{base}/prospects", params={"page[size]": 1000}).status_code == 502
        page = http.get(f"{base}/prospects", params={"page[size]": 250})
        assert page.json()["meta"] == {"count": 10, "count_truncated": True}
        reset = int(page.headers["x-ratelimit-reset"])
        assert time.time() + 35 <= reset <= time.time() + 41  # 60 s window, 20 s behind
        remaining = page.headers["x-ratelimit-remaining"].split(", ")
        assert len(remaining) == 2 and int(remaining[1]) > int(remaining[0])
        empty = http.get(f"{base}/sequences").json()
        assert empty["data"] == [] and "links" not in empty
        unknown = http.get(f"{base}/nowhere")
        assert unknown.status_code == 404
        assert unknown.json()["errors"][0]["id"] == "routeNotFound"


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_client_killed_mid_write_is_one_quiet_line_and_writes_nothing(http):
    """An apply SIGKILLed while sending a POST body: no traceback in the server's log, no
    template created, and the server goes on answering."""
    app = create_app()
    seen, logs = Records(), [logging.getLogger(n) for n in ("uvicorn.error", "seqops.sandbox")]
    with serving(app) as base:
        for log in logs:  # after uvicorn configured its logging
            log.addHandler(seen)
        logs[0].setLevel(logging.INFO)  # as `sandbox serve --verbose` shows it
        try:
            before = http.get(f"{base}/templates").json()["meta"]["count"]
            with socket.create_connection(("127.0.0.1", int(base.split(":")[2][:-7]))) as raw:
                raw.sendall(
                    b"POST /api/v2/templates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Authorization: Bearer sandbox-token\r\n"
                    b"Content-Type: application/vnd.api+json\r\nContent-Length: 400\r\n\r\n"
                    b'{"data": {"type": "template", "attributes": {"name": "half'
                )
                time.sleep(0.3)
            deadline = time.monotonic() + 5
            while not seen.records and time.monotonic() < deadline:
                time.sleep(0.05)
            assert http.get(f"{base}/templates").json()["meta"]["count"] == before
            said = list(seen.records)
        finally:
            for log in logs:
                log.removeHandler(seen)
    assert [r.getMessage() for r in said] == [
        "client went away during POST /api/v2/templates: nothing written"
    ]
    assert not any(r.exc_info for r in said)
