"""Ctrl-C and SIGTERM during apply (DESIGN §4): real signals to a real `seqops apply` process
against a sandbox served with latency. No new change starts, the changes in flight finish (or,
at a second signal, are abandoned), the summary is printed, `--report` written, and apply exits
130 or 143; the next plan sees what is left and the next apply completes it."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from seqops.sandbox.resources import TYPES

SEQOPS = [sys.executable, "-c", "from seqops.cli import main; main()"]
TEMPLATES = 20
CHANGES = 2 * TEMPLATES
"""A template and a sequence that sends it, twenty times: the sequences' phase comes after
the templates' (whose results may all come at its end), so a signal finds work left."""


def manifests(folder: Path) -> Path:
    folder.mkdir()
    for i in range(TEMPLATES):
        (folder / f"t{i:02}.yaml").write_text(
            "apiVersion: seqops/v1\nkind: Template\n"
            f"metadata: {{name: t{i:02}}}\nspec: {{subject: Hi {i}, bodyHtml: <p>Hello.</p>}}\n"
            "---\napiVersion: seqops/v1\nkind: Sequence\n"
            f"metadata: {{name: s{i:02}}}\nspec:\n  steps:\n"
            f"    - {{type: auto_email, wait: 0, template: t{i:02}}}\n"
        )
    return folder


@pytest.fixture
def account(tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch):
    """A served sandbox answering each request after 250 ms, and the manifests of 12 templates."""
    monkeypatch.chdir(tmp_path)
    served = serve(latency_ms=300)
    manifests(tmp_path / "m")
    return served


def start(served, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SEQOPS_TOKEN": served.token}
    return subprocess.Popen(
        [*SEQOPS, *args, "--target", served.url, "--no-color"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(served, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEQOPS_TOKEN": served.token}
    argv = [*SEQOPS, *args, "--target", served.url, "--no-color"]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


def wait_for(stream, prefix: str) -> list[str]:
    """Lines of `stream` up to the first one starting with `prefix`."""
    lines = []
    while line := stream.readline():
        lines.append(line)
        if line.startswith(prefix):
            return lines
    raise AssertionError(f"no line starting with {prefix!r} in {lines}")


def rest(process: subprocess.Popen[str]) -> tuple[str, str]:
    """What is left of stdout and stderr once the process ends. Not `communicate()`: it reads
    the pipes' file descriptors and would lose the lines `wait_for`'s readline already took
    into the streams' buffers."""
    out, err = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
    process.wait(timeout=60)
    return out, err


def templates(served) -> list[str]:
    rows = served.app.state.sandbox.store.query(TYPES["template"])
    return sorted(row.attributes["name"] for row in rows)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_starting_changes_prints_the_summary_and_writes_the_report(
    account, tmp_path: Path, signum: int, code: int
):
    process = start(account, "apply", "m", "--yes", "--parallelism", "2", "--report", "r.json")
    before = wait_for(process.stdout, "done:")
    process.send_signal(signum)
    out, err = rest(process)
    name = signal.Signals(signum).name
    assert process.returncode == code, err
    report = json.loads((tmp_path / "r.json").read_text())
    totals = report["totals"]
    assert totals["done"] >= 1 and totals["not attempted"] >= 1 and totals["failed"] == 0
    assert totals["done"] + totals["not attempted"] == CHANGES
    summary = f"Apply: {totals['done']} done, 0 failed, {totals['not attempted']} not attempted."
    assert summary in out
    assert (
        len([line for line in before + out.splitlines(True) if line.startswith("done:")])
        == (totals["done"])
    )
    assert report["ok"] is False
    assert report["error"] == (
        f"interrupted by {name}: {totals['done']} done, 0 failed, "
        f"{totals['not attempted']} not attempted; run apply again to complete it "
        "(the next plan shows what is left)"
    )
    reasons = {c["error"] for c in report["changes"] if c["status"] == "not attempted"}
    interrupted = f"interrupted by {name}: not started"
    assert interrupted in reasons  # the rest wait for a template that was not started
    assert all(
        r == interrupted or re.fullmatch(r"create Template/t\d\d did not succeed", r)
        for r in reasons
    ), reasons
    lines = err.splitlines()
    assert lines[0].startswith(f"interrupted by {name}: no new change starts")
    assert lines[-1] == f"error: {report['error']}"
    # the next plan sees what is left, the next apply completes it
    planned = run(account, "plan", "m", "--detailed-exitcode")
    assert planned.returncode == 2 and "to create" in planned.stdout
    assert run(account, "apply", "m", "--yes").returncode == 0
    assert run(account, "plan", "m", "--detailed-exitcode").returncode == 0
    assert templates(account) == [f"t{i:02}" for i in range(TEMPLATES)]


def test_a_second_signal_abandons_the_changes_in_flight(account, tmp_path: Path):
    account.app.state.sandbox.latency_ms = 1500  # in flight long enough to be abandoned
    process = start(account, "apply", "m", "--yes", "--parallelism", "3", "--report", "r.json")
    wait_for(process.stdout, "done:")
    process.send_signal(signal.SIGINT)
    wait_for(process.stderr, "interrupted by SIGINT")
    process.send_signal(signal.SIGINT)
    out, err = rest(process)
    assert process.returncode == 130, err
    report = json.loads((tmp_path / "r.json").read_text())
    abandoned = [c for c in report["changes"] if c["status"] == "failed"]
    assert abandoned and all(
        c["error"] == "interrupted by SIGINT: abandoned in flight: the next plan shows whether "
        "it was written"
        for c in abandoned
    )
    assert "Apply: " in out and err.splitlines()[-1] == f"error: {report['error']}"
    account.app.state.sandbox.latency_ms = 0
    assert run(account, "apply", "m", "--yes").returncode == 0
    assert run(account, "plan", "m", "--detailed-exitcode").returncode == 0
    assert templates(account) == [f"t{i:02}" for i in range(TEMPLATES)]  # no duplicate


def test_a_signal_before_any_write_ends_apply_at_once(account, tmp_path: Path):
    account.app.state.sandbox.latency_ms = 3000  # still planning when the signal comes
    process = start(account, "apply", "m", "--yes", "--report", "r.json")
    deadline = time.monotonic() + 60
    while account.app.state.sandbox.request_count == 0:  # planning: its first read is served
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    out, err = rest(process)
    assert process.returncode == 143, err
    assert err.splitlines()[-1] == "error: interrupted by SIGTERM: nothing was changed"
    assert "Apply:" not in out and not (tmp_path / "r.json").exists()
    assert templates(account) == []


@contextmanager
def prompted(served) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`seqops apply` (no --yes) on a terminal, once it asks; yields it and the terminal's
    controlling end (to type into)."""
    controller, terminal = pty.openpty()  # the question is asked only of a terminal
    env = {**os.environ, "SEQOPS_TOKEN": served.token}
    process = subprocess.Popen(
        [*SEQOPS, "apply", "m", "--target", served.url, "--no-color"],
        env=env,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(terminal)
    try:
        asked = ""
        while not asked.endswith("[y/N]: "):
            char = process.stdout.read(1)  # type: ignore[union-attr]
            assert char, f"no question in {asked!r}"
            asked += char
        assert f"Apply {CHANGES} changes to" in asked
        yield process, controller
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("attempt", range(3))  # the OS picks the thread a signal goes to
def test_a_signal_at_the_confirmation_prompt_ends_apply_saying_nothing_changed(
    account, signum: int, code: int, attempt: int
):
    """The question waits on the terminal, not on the event loop: the signal is still heard,
    said, and mapped to its exit code (a bare SIGTERM used to end the process silently, and a
    signal the OS gave another thread went unheard until Enter was pressed)."""
    with prompted(account) as (process, _):
        process.send_signal(signum)
        _, err = rest(process)
    assert process.returncode == code, err
    name = signal.Signals(signum).name
    assert err.splitlines()[-1] == f"error: interrupted by {name}: nothing was changed"
    assert templates(account) == []


def test_no_at_the_prompt_changes_nothing_and_yes_applies(account):
    with prompted(account) as (process, controller):
        os.write(controller, b"maybe\nn\n")
        out, err = rest(process)
    assert process.returncode == 1 and "Error: invalid input" in out
    assert err.splitlines()[-1] == "error: apply cancelled: nothing was changed"
    assert templates(account) == []
    with prompted(account) as (process, controller):
        os.write(controller, b"yes\n")
        out, err = rest(process)
    assert process.returncode == 0, err
    assert templates(account) == [f"t{i:02}" for i in range(TEMPLATES)]
