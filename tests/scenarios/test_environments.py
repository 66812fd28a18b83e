"""Environments: one set of manifests, two targets of seqops.yaml with their own owner.

Both targets are the same sandbox served on 127.0.0.1, so the plans can be compared change by
change: they must differ in the owner only, and applying one then planning the other must
show nothing but owner updates."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli

SEQOPS = Path(sys.executable).parent / "seqops"
TOKEN = "environments-token"

MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hi</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound, labels: {team: sdr}}
spec:
  displayName: Inbound
  owner: sandy.box@example.com
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: outbound}
spec:
  displayName: Outbound
  steps:
    - {type: call, wait: 1d}
"""

CONFIG = """\
targets:
  staging:
    url: {url}
    token: env:ENVIRONMENTS_TOKEN
    overrides:
      - kind: Sequence
        spec: {{owner: riley.rep@example.com}}
  production:
    url: {url}
    token: env:ENVIRONMENTS_TOKEN
    overrides:
      - kind: Sequence
        spec: {{owner: morgan.manager@example.com}}
  broken:
    url: {url}
    token: env:ENVIRONMENTS_TOKEN
    overrides:
      - kind: Sequence
        name: "in*"
        spec: {{throttleMaxAddsPerDay: -5}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = free_port()
    command = [str(SEQOPS), "sandbox", "serve", "--port", str(port), "--token", TOKEN]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(url, timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield f"{url}/api/v2"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def repo(tmp_path: Path, served: str, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVIRONMENTS_TOKEN", TOKEN)
    (tmp_path / "seqops.yaml").write_text(CONFIG.format(url=served))
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "account.yaml").write_text(MANIFESTS)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def plan(target: str) -> dict:
    result = invoke("plan", "manifests", "--target", target, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def without_owner(change: dict) -> dict:
    change = json.loads(json.dumps(change))
    change["diff"] = [d for d in change["diff"] if d["path"] != "owner"]
    if change.get("desired"):
        change["desired"]["spec"].pop("owner", None)
    return change


def test_same_manifests_two_targets_plans_differ_only_in_owner(repo: Path):
    staging, production = plan("staging"), plan("production")
    assert [without_owner(c) for c in staging["changes"]] == [
        without_owner(c) for c in production["changes"]
    ]
    owners = {
        t: {
            c["name"]: c["desired"]["spec"]["owner"]
            for c in p["changes"]
            if c["kind"] == "Sequence"
        }
        for t, p in (("staging", staging), ("production", production))
    }
    assert owners == {
        "staging": {"inbound": "riley.rep@example.com", "outbound": "riley.rep@example.com"},
        "production": {
            "inbound": "morgan.manager@example.com",
            "outbound": "morgan.manager@example.com",
        },
    }

    # Apply production; production re-plans to zero, staging wants only its owner back.
    applied = invoke("apply", "manifests", "--target", "production", "--yes")
    assert applied.exit_code == 0, applied.output
    assert plan("production")["changes"] == []
    changes = plan("staging")["changes"]
    assert {(c["action"], c["name"]) for c in changes} == {
        ("update", "inbound"),
        ("update", "outbound"),
    }
    assert all(
        c["diff"]
        == [{"path": "owner", "old": "morgan.manager@example.com", "new": "riley.rep@example.com"}]
        for c in changes
    )


def test_an_override_that_breaks_a_manifest_is_an_error_located_in_seqops_yaml(repo: Path):
    result = invoke("plan", "manifests", "--target", "broken")
    assert result.exit_code == 1
    # at the bad value's line in seqops.yaml, not at the override's first line
    assert "seqops.yaml:20:39: Sequence/inbound: spec.throttleMaxAddsPerDay:" in result.output
    assert "Traceback" not in result.output
