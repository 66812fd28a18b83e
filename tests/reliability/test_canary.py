"""The token never shows: every test of this suite ends with the canary check of conftest.py
(CLI output, log records, captured streams, every file written). These runs go where a token
would most likely leak: request logs, saved plans, every output format, refused credentials,
retried faults."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .account import assert_exactly_once, write_account
from .conftest import CANARY, Cli, leaked, serve

REQUEST_LINE = re.compile(r"^GET /api/v2/sequences\S* 200 \d+ms$", re.M)


def test_the_canary_check_catches_a_leak():
    assert leaked(["fine", f"Authorization: Bearer {CANARY}"])
    assert not leaked(["Authorization: Bearer ***"])


def test_verbose_plans_in_every_format_and_saved_plans(workdir: Path, served, cli: Cli):
    write_account(workdir / "manifests", 2)
    for format in ("text", "json", "markdown"):
        result = cli("plan", "manifests", "-v", "--format", format, "--out", f"{format}.json")
        assert result.exit_code == 0, result.output
        assert REQUEST_LINE.search(result.stderr), "the request log is there to be scanned"
    plan = json.loads((workdir / "text.json").read_text())
    assert plan["changes"] and plan["target"]


def test_verbose_apply_under_faults_and_a_saved_plan(workdir: Path, no_canary):
    write_account(workdir / "manifests", 2)
    with serve(fault_rate=0.2, lost_response_rate=0.1, seed=5) as target:
        cli = Cli(target.url, no_canary)
        assert cli("plan", "manifests", "--out", "plan.json").exit_code == 0
        result = cli("apply", "--plan", "plan.json", "--yes", "-v")
        assert "retry" in result.stderr or "failed (" in result.stderr
        if result.exit_code != 0:  # a change that failed under faults: the next run finishes it
            assert result.exit_code == 1, result.output
            assert cli("apply", "manifests", "--yes", "-v").exit_code == 0
        assert cli("plan", "manifests", "--detailed-exitcode").exit_code == 0
        target.sandbox.set_faults(fault_rate=0.0, lost_response_rate=0.0)
        assert_exactly_once(target.url, 2)


def test_a_refused_token_is_not_echoed(workdir: Path, no_canary):
    write_account(workdir / "manifests", 1)
    with serve(token="another-token") as target:
        result = Cli(target.url, no_canary)("plan", "manifests", "-v")
    assert result.exit_code == 1
    assert "401" in result.output
