"""Every kind of dead target stops the run within ~15 s of it dying, naming the host, with a
message that says what happened: one that accepts and never answers, one that trickles its
answers a byte at a time, one that hangs in the middle of an apply. Real sockets on 127.0.0.1;
the default deadline except where a test says otherwise."""

from __future__ import annotations

import time
from pathlib import Path

from seqops.sandbox.hostile import Blackhole, FaultProxy, Rule, Trickle, running, started

from .account import assert_exactly_once, write_account
from .conftest import CANARY, Cli, serve


def timed(cli: Cli, *args: str) -> tuple[float, object]:
    began = time.monotonic()
    result = cli(*args)
    return time.monotonic() - began, result


def test_a_target_that_accepts_and_never_answers_stops_the_plan(workdir: Path, no_canary):
    write_account(workdir / "manifests", 1)
    with started(Blackhole()) as hole:
        seconds, result = timed(Cli(hole.url, no_canary), "plan", "manifests")
    assert result.exit_code == 1
    assert seconds < 15, seconds
    error = result.stderr.strip().splitlines()[-1]
    assert f"127.0.0.1:{hole.port} does not answer (no complete answer within 10 s" in error
    assert "every request" not in error and "Traceback" not in result.stderr


def test_a_trickling_target_stops_at_the_configured_deadline(workdir: Path, no_canary):
    write_account(workdir / "manifests", 1)
    with started(Trickle(interval=0.5)) as trickle:
        (workdir / "seqops.yaml").write_text(
            f"targets:\n  slow: {{url: '{trickle.url}', token: 'env:SEQOPS_TOKEN', timeout: 2}}\n"
        )
        cli = Cli("slow", no_canary)
        seconds, result = timed(cli, "plan", "manifests")
    assert result.exit_code == 1
    assert seconds < 6, seconds
    assert (
        f"127.0.0.1:{trickle.port} does not answer (no complete answer within 2 s" in result.stderr
    )


def test_a_target_hanging_mid_apply_stops_it_and_the_rerun_converges(workdir: Path, no_canary):
    write_account(workdir / "manifests", 2)
    with serve() as sandbox:
        upstream = sandbox.url.removesuffix("/api/v2")
        proxy = FaultProxy(upstream, [Rule("hang", after=12)])  # reads, then a few writes
        with running(proxy) as front:
            seconds, result = timed(
                Cli(f"{front}/api/v2", no_canary), "apply", "manifests", "--yes"
            )
        assert result.exit_code == 1
        assert seconds < 20, seconds
        assert "does not answer" in result.stdout + result.stderr
        assert "not attempted" in result.stdout
        rerun = Cli(sandbox.url, no_canary)("apply", "manifests", "--yes")
        assert rerun.exit_code == 0, rerun.output
        assert (
            Cli(sandbox.url, no_canary)("plan", "manifests", "--detailed-exitcode").exit_code == 0
        )
        assert_exactly_once(sandbox.url, 2)
    assert CANARY not in result.output
