"""Reading the example GitHub Actions workflows, and running their seqops commands locally."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest
from ruamel.yaml import YAML

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"
WORKFLOWS = {name: CI / f"seqops-{name}.yml" for name in ("pr", "apply", "drift")}
ALL_WORKFLOWS = sorted(CI.glob("*.yml"))
BIN = Path(sys.executable).parent


def load(name: str) -> dict[str, Any]:
    """A workflow as GitHub reads it: YAML 1.2, so `on` is a key, not `True`."""
    return YAML(typ="safe").load(WORKFLOWS[name].read_text())


def jobs(name: str) -> dict[str, dict[str, Any]]:
    return load(name)["jobs"]


def steps(name: str) -> list[dict[str, Any]]:
    """Every step of every job, in order."""
    return [s for job in jobs(name).values() for s in job["steps"]]


def step(name: str, id: str) -> dict[str, Any]:
    return next(s for s in steps(name) if s.get("id") == id)


def seqops_lines(run: str) -> list[str]:
    return [line.strip() for line in run.splitlines() if line.strip().startswith("seqops ")]


def command(name: str, id: str) -> str:
    """The one seqops command of a step, exactly as the workflow writes it."""
    (line,) = seqops_lines(step(name, id)["run"])
    return line


def run_line(line: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """Run a workflow's command line with bash as GitHub does (`shell: bash` is
    `bash -eo pipefail`), with the workflow's env and `seqops` from this virtualenv."""
    environment = {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("SEQOPS_TOKEN", None)
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", line],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def example_manifests(into: Path) -> Path:
    """The repository's examples (its manifests, without examples/ci) copied to `into`, or a
    small built-in account when there are none yet."""
    examples = ROOT / "examples"
    found = [
        p
        for p in examples.rglob("*.y*ml")
        if CI not in p.parents and p.name != "seqops.yaml" and "kind:" in p.read_text()
    ]
    if found:
        for path in found:
            target = into / path.relative_to(examples)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    else:
        into.mkdir(parents=True, exist_ok=True)
        (into / "account.yaml").write_text(BUILT_IN)
    return into


BUILT_IN = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec:
  subject: Quick intro
  bodyHtml: <p>Hi {{first_name}},</p><p>Do you have 15 minutes this week?</p>
---
apiVersion: seqops/v1
kind: Template
metadata: {name: follow-up}
spec: {subject: Following up, bodyHtml: <p>Just bumping this.</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound-demo}
spec:
  displayName: Inbound demo
  enabled: true
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d}
    - {type: auto_email, wait: 3d, template: follow-up, isReply: true}
"""


def required_in_ci(reason: str) -> NoReturn:
    """Skip where a developer lacks an optional tool; fail in CI, which installs the test extra
    (a tool that silently went missing would turn these tests into skips nobody reads)."""
    if IN_CI:
        pytest.fail(f"{reason}; CI must run this test")
    pytest.skip(reason)
