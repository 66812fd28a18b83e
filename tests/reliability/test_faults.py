"""Apply through injected faults: 5xx and dropped connections, a tight rate limit, responses
lost after the write. It converges, and nothing is created twice or lost."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from seqops.sandbox.middleware import discard, drop

from .account import assert_exactly_once, write_account
from .conftest import Cli, serve

FAULT_LINE = re.compile(r"^(GET|POST|PATCH|DELETE) \S+ (50[023]|failed \(\w+\))", re.M)


def converge(cli: Cli, *args: str, runs: int = 3) -> list:
    """Apply until it succeeds, at most `runs` times; every run's result."""
    results = []
    for _ in range(runs):
        results.append(cli("apply", *args, "--yes", "-v"))
        if results[-1].exit_code == 0:
            return results
    pytest.fail(f"no convergence in {runs} runs:\n{results[-1].output[-3000:]}")


def test_apply_under_faults_and_a_tight_rate_limit_converges(workdir: Path, no_canary):
    write_account(workdir / "manifests", 3)
    options = {"fault_rate": 0.2, "rate_limit": 25, "rate_window": 0.5, "seed": 7}
    with serve(**options) as target:
        cli = Cli(target.url, no_canary)
        results = converge(cli, "manifests")
        replan = cli("plan", "manifests", "--detailed-exitcode")
        assert replan.exit_code == 0, replan.output
        target.sandbox.set_faults(fault_rate=0.0)
        assert_exactly_once(target.url, 3)
        assert target.sandbox.request_count > 3 * options["rate_limit"]  # several windows
    faults = sum(len(FAULT_LINE.findall(r.stderr)) for r in results)
    assert faults >= 5, "the faults were injected and retried"


def test_lost_responses_never_make_a_duplicate(workdir: Path, no_canary):
    write_account(workdir / "manifests", 3)
    with serve(lost_response_rate=0.25, seed=3) as target:
        cli = Cli(target.url, no_canary)
        results = converge(cli, "manifests")
        assert cli("plan", "manifests", "--detailed-exitcode").exit_code == 0
        target.sandbox.set_faults(lost_response_rate=0.0)
        assert_exactly_once(target.url, 3)
    lost = sum(r.stderr.count("failed (RemoteProtocolError)") for r in results)
    assert lost >= 5


class LoseFirstCreate:
    """Runs the first POST to each collection, then hangs up before answering: the object
    exists, the client never heard of it."""

    def __init__(self, app) -> None:
        self.app = app
        self.lost: Counter[str] = Counter()

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        create = scope["type"] == "http" and scope["method"] == "POST" and path.count("/") == 3
        if create and path.startswith("/api/v2/") and not self.lost[path]:
            self.lost[path] += 1
            await self.app(scope, receive, discard)
            await drop(send)
        await self.app(scope, receive, send)


def test_a_lost_response_after_each_kind_of_create_is_recovered(workdir: Path, no_canary):
    write_account(workdir / "manifests", 2)
    layers: list[LoseFirstCreate] = []

    def wrap(app):
        layers.append(LoseFirstCreate(app))
        return layers[0]

    with serve(wrap=wrap) as target:
        cli = Cli(target.url, no_canary)
        result = cli("apply", "manifests", "--yes")
        assert result.exit_code == 0, result.output
        assert cli("plan", "manifests", "--detailed-exitcode").exit_code == 0
        assert_exactly_once(target.url, 2)
    creates = ("rulesets", "templates", "sequences", "sequenceSteps", "sequenceTemplates")
    assert set(layers[0].lost) == {f"/api/v2/{c}" for c in creates}
