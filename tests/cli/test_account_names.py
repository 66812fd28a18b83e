"""Names only the account knows, and its limits, are checked by `plan` (and `apply`) before any
write, each error at its manifest line: through the real CLI and the embedded sandbox."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.config import embedded_target
from seqops.embedded import embedded_provider

MANIFESTS = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: rules}
spec:
  displayName: Rules
  repliedStage: Replied
  callTaskPriority: high
---
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hello</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound
  owner: sandy.box@example.com
  ruleset: rules
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d, priority: medium}
"""


@pytest.fixture
def workdir(project) -> Path:
    return project()


def write(workdir: Path, text: str) -> None:
    (workdir / "manifests" / "account.yaml").write_text(text)


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def live_objects(workdir: Path) -> list:
    async def read():
        provider = embedded_provider(embedded_target(workdir / ".seqops" / "sandbox.db"))
        try:
            return (await provider.read()).objects
        finally:
            await provider.aclose()

    return asyncio.run(read())


def written(workdir: Path) -> list:
    """The live objects apply wrote: all of them but the account's default ruleset."""
    return [o for o in live_objects(workdir) if o.display_name != "Default ruleset"]


def test_the_account_names_the_manifests_use_plan_and_apply_cleanly(workdir: Path):
    write(workdir, MANIFESTS)
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_unknown_task_priority_fails_plan_located_and_apply_writes_nothing(workdir: Path):
    write(workdir, MANIFESTS.replace("priority: medium", "priority: urgent"))
    planned = seqops("plan", "manifests")
    assert planned.exit_code == 1
    line = "manifests/account.yaml:23:40: Sequence/inbound: unknown task priority 'urgent' "
    # from the first column, as validate prints it: editors and CI annotators parse it there
    assert line + "(account has: high, medium, low)" in planned.stderr.splitlines()
    assert "error: 1 value the account would refuse" in planned.stderr
    assert "Traceback" not in planned.output
    applied = seqops("apply", "manifests", "--yes")
    assert (
        applied.exit_code == 1
        and line + "(account has: high, medium, low)" in applied.stderr.splitlines()
    )
    assert written(workdir) == []  # not even the ruleset or the template


def test_every_unknown_name_is_reported_at_once_in_file_order(workdir: Path):
    text = (
        MANIFESTS.replace("repliedStage: Replied", "repliedStage: Bogus Stage")
        .replace("callTaskPriority: high", "callTaskPriority: High")
        .replace("sandy.box@example.com", "sandy.bx@example.com")
    )
    write(workdir, text)
    result = seqops("plan", "manifests")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "account.yaml:" in line]
    assert len(lines) == 3, result.output
    assert "6:17: Ruleset/rules: unknown stage 'Bogus Stage' (account has: Cold," in lines[0]
    assert "7:21: Ruleset/rules: unknown task priority 'High'" in lines[1]
    assert "did you mean 'high'?" in lines[1]
    assert "19:10: Sequence/inbound: unknown owner 'sandy.bx@example.com'" in lines[2]
    assert "did you mean 'sandy.box@example.com'?" in lines[2]
    assert written(workdir) == []


def test_a_duration_over_the_api_integer_range_fails_plan(workdir: Path):
    write(workdir, MANIFESTS.replace("wait: 2d", "wait: 10000w"))
    result = seqops("plan", "manifests")
    assert result.exit_code == 1
    assert re.search(
        r"account.yaml:23:\d+: Sequence/inbound: 6048000000 seconds is over", result.output
    )


def test_a_replace_that_would_overflow_the_display_name_fails_plan(workdir: Path):
    long_name = "N" * 253
    write(workdir, MANIFESTS.replace("displayName: Inbound", f"displayName: {long_name}"))
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    removed = MANIFESTS.replace("    - {type: call, wait: 2d, priority: medium}\n", "")
    write(workdir, removed.replace("displayName: Inbound", f"displayName: {long_name}"))
    result = seqops("plan", "manifests")
    assert result.exit_code == 1
    assert "account.yaml:18:16: Sequence/inbound: a replace names the new version" in result.output
    assert "268 characters once it drains in turn" in result.output
    assert "255 characters or fewer" not in result.output
    assert "shorten displayName to 240 characters or fewer" in result.output
    write(workdir, removed.replace("displayName: Inbound", f"displayName: {'N' * 240}"))
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0
