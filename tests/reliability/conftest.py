"""The reliability suite's fixtures: a sandbox served by uvicorn on 127.0.0.1 (in a thread, so
the test can read its request counters and turn its fault knobs), the real CLI with the token
in `SEQOPS_TOKEN`, and a canary check after every test: the token must never appear in what
seqops printed, logged or wrote."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from click.testing import Result
from starlette.applications import Starlette
from typer.testing import CliRunner

from seqops.cli import app as cli_app
from seqops.sandbox import Sandbox, create_app
from seqops.sandbox.server import uvicorn_config

SEQOPS = Path(sys.executable).parent / "seqops"
CANARY = "seqops-canary-token-5e1f0c2d9ab7"
"""The bearer token of every sandbox here: recognisable wherever it leaks."""


@dataclass
class Served:
    url: str
    app: Starlette

    @property
    def sandbox(self) -> Sandbox:
        return self.app.state.sandbox


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(wrap: Callable | None = None, **options) -> Iterator[Served]:
    """`create_app(token=CANARY, **options)` served by uvicorn until the block ends; `wrap`
    puts an ASGI layer (a network fault of the test's own) in front of it."""
    app = create_app(**{"token": CANARY, **options})
    port = free_port()
    server = uvicorn.Server(uvicorn_config(wrap(app) if wrap else app, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.01)
    try:
        yield Served(f"http://127.0.0.1:{port}/api/v2", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.sandbox.close()


@dataclass
class Cli:
    """`seqops` through typer's CliRunner, against one served target, recording every output."""

    target: str
    outputs: list[str] = field(default_factory=list)

    def __call__(self, *args: str) -> Result:
        """`seqops ARGS --target URL --no-color`; a crash (not an exit) fails the test."""
        return self.invoke([*args, "--target", self.target, "--no-color"])

    def invoke(self, argv: list[str]) -> Result:
        result = CliRunner().invoke(cli_app, argv, env={"SEQOPS_TOKEN": CANARY, "NO_COLOR": "1"})
        self.outputs += [result.stdout, result.stderr]
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


def leaked(texts: list[str]) -> bool:
    return any(CANARY in text for text in texts)


class Records(logging.Handler):
    """Every record of the loggers it is attached to, as it would be written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


LOGGERS = ("seqops", "httpx", "httpcore", "stamina", "uvicorn")


@pytest.fixture(autouse=True)
def no_canary(tmp_path: Path, capfd: pytest.CaptureFixture) -> Iterator[list[str]]:
    """After each test: the token is in no CLI output (a CLI's log lines are on its stderr),
    log record of seqops or its HTTP stack, captured stream, or file the test wrote (plan
    files included). `seqops.cli.common.setup_logging` replaces the root handlers, so the
    records are caught on the named loggers themselves."""
    outputs: list[str] = []
    records = Records()
    for name in LOGGERS:
        logging.getLogger(name).addHandler(records)
    try:
        yield outputs
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(records)
    out, err = capfd.readouterr()
    written = [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    assert not leaked([*outputs, *records.lines, out, err, *written]), "the token leaked"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory with no seqops.yaml: the target is always the served URL."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    return tmp_path


@pytest.fixture
def served(workdir: Path) -> Iterator[Served]:
    with serve() as s:
        yield s


@pytest.fixture
def cli(served: Served, no_canary: list[str]) -> Cli:
    return Cli(served.url, no_canary)


def run_concurrently(
    workdir: Path, target: str, outputs: list[str], *argvs: list[str]
) -> list[int]:
    """Several `seqops` processes at once (CliRunner cannot run two commands in parallel);
    their exit codes, in order. Their output joins `outputs` for the canary check."""
    env = {**os.environ, "SEQOPS_TOKEN": CANARY, "NO_COLOR": "1"}
    processes = [
        subprocess.Popen(
            [str(SEQOPS), *argv, "--target", target, "--no-color"],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    codes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        outputs += [out, err]
        codes.append(process.returncode)
    return codes
