"""`seqops sandbox enroll`: prospects into a sandbox sequence through the real CLI, honouring
the seed's enrolment rules, never against anything but a sandbox."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.config import Secret
from seqops.providers.outreach import JsonApiClient, StaticToken
from seqops.providers.outreach.enrolment import SANDBOX_HEADER, EnrolError, enrol
from seqops.sandbox import middleware
from seqops.sandbox.app import create_app
from seqops.sandbox.jsonapi import MEDIA_TYPE

MANIFESTS = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: exclusive}
spec: {displayName: Exclusive, sequenceExclusivity: exclusive_sequences}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  enabled: true
  ruleset: exclusive
  steps: [{type: call, wait: 0}]
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: outbound}
spec:
  displayName: Outbound
  enabled: true
  ruleset: exclusive
  steps: [{type: call, wait: 1d}]
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: nurture}
spec:
  displayName: Nurture
  steps: [{type: task, wait: 0}]
"""


def invoke(*args: str):
    return CliRunner().invoke(cli, [*args, "--no-color"])


@pytest.fixture
def account(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifests.yaml").write_text(MANIFESTS)
    assert invoke("apply", "manifests.yaml", "--yes").exit_code == 0
    return tmp_path


def call_api(account: Path, method: str, path: str, **kwargs) -> dict:
    """One request to the embedded sandbox of `account`, over its API."""
    app = create_app(db=str(account / ".seqops" / "sandbox.db"))
    headers = {"Authorization": "Bearer sandbox-token", "Content-Type": MEDIA_TYPE}

    async def send() -> dict:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sandbox/api/v2", headers=headers
        ) as client:
            response = await client.request(method, path, **kwargs)
            assert response.status_code < 300, response.text
            return response.json()

    try:
        return asyncio.run(send())
    finally:
        app.state.sandbox.close()


def listed(account: Path, path: str) -> list[dict]:
    return call_api(account, "GET", path, params={"page[size]": 1000})["data"]


def sequence_id(account: Path, name: str) -> int:
    (found,) = [s["id"] for s in listed(account, "/sequences") if s["attributes"]["name"] == name]
    return found


def in_sequence(account: Path, name: str) -> dict[int, str]:
    """Prospect id -> state, of the sequence with this display name."""
    wanted = sequence_id(account, name)
    return {
        s["relationships"]["prospect"]["data"]["id"]: s["attributes"]["state"]
        for s in listed(account, "/sequenceStates")
        if s["relationships"]["sequence"]["data"]["id"] == wanted
    }


def test_enrols_by_metadata_name_in_the_asked_state(account):
    result = invoke("sandbox", "enroll", "inbound", "--prospects", "3", "--state", "paused")
    assert result.exit_code == 0, result.output
    inbound = sequence_id(account, "Inbound demo")
    assert f"Sequence: 'Inbound demo' (id {inbound}), matched by metadata name" in result.stdout
    assert "Enrolled 3 of 3 prospects (paused): 1, 2, 3" in result.stdout
    assert in_sequence(account, "Inbound demo") == {1: "paused", 2: "paused", 3: "paused"}
    again = invoke("sandbox", "enroll", "inbound", "--prospects", "2")
    assert "Enrolled 2 of 2 prospects (active): 4, 5" in again.stdout  # the next free ones
    assert in_sequence(account, "Inbound demo")[4] == "active"


@pytest.mark.parametrize("by", ["display name", "id"])
def test_display_names_and_ids_are_accepted_and_named(account, by):
    nurture = sequence_id(account, "Nurture")
    reference = "Nurture" if by == "display name" else str(nurture)
    result = invoke("sandbox", "enroll", reference, "--prospects", "1")
    assert result.exit_code == 0, result.output
    assert f"Sequence: 'Nurture' (id {nurture}), matched by {by}" in result.stdout
    assert "(pending until the sequence is enabled)" in result.stdout
    assert in_sequence(account, "Nurture") == {1: "pending"}


def test_a_second_exclusive_sequence_skips_and_says_why(account):
    assert invoke("sandbox", "enroll", "inbound", "--prospects", "2").exit_code == 0
    result = invoke("sandbox", "enroll", "outbound", "--prospects", "3")
    assert result.exit_code == 0, result.output
    assert "Enrolled 3 of 3 prospects (active): 3, 4, 5" in result.stdout
    assert "Skipped 2 that the enrolment rules refuse:" in result.stdout
    assert "2 by sequenceExclusivity (prospects 1, 2)" in result.stdout
    assert set(in_sequence(account, "Outbound")) == {3, 4, 5}


def test_nothing_enrolled_is_exit_1_with_the_rules_named(account):
    assert invoke("sandbox", "enroll", "inbound", "--prospects", "100").exit_code == 0
    result = invoke("sandbox", "enroll", "outbound")
    assert result.exit_code == 1
    assert "Enrolled 0 of 5 prospects (active)." in result.stdout
    assert "by sequenceExclusivity" in result.stdout and "by emailOptOutAction" in result.stdout
    assert in_sequence(account, "Outbound") == {}


def test_paused_needs_an_enabled_sequence(account):
    result = invoke("sandbox", "enroll", "nurture", "--state", "paused")
    assert result.exit_code == 1
    assert "is disabled" in result.stderr and "Traceback" not in result.output
    assert in_sequence(account, "Nurture") == {}


@pytest.mark.parametrize("reference", ["nope", "99", "99999999999999999999"])
def test_unknown_sequence_is_one_line_exit_1(account, reference):
    result = invoke("sandbox", "enroll", reference)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: no sequence has the metadata name, display name or id {reference!r}"
    )


def test_twin_display_names_are_ambiguous(account):
    body = {"data": {"type": "sequence", "attributes": {"name": "Inbound demo"}}}
    twin = call_api(account, "POST", "/sequences", json=body)["data"]["id"]
    ids = sorted([sequence_id_of_tag(account, "inbound"), twin])
    result = invoke("sandbox", "enroll", "Inbound demo")
    assert result.exit_code == 1
    message = f"2 sequences have the display name 'Inbound demo' (ids {ids[0]}, {ids[1]})"
    assert f"{message}: pass the id" in result.stderr
    by_id = invoke("sandbox", "enroll", str(twin), "--prospects", "1")
    assert by_id.exit_code == 0, by_id.output
    assert f"(id {twin}), matched by id" in by_id.stdout
    by_key = invoke("sandbox", "enroll", "inbound", "--prospects", "1")
    assert "matched by metadata name" in by_key.stdout  # the tag decides before the name


def sequence_id_of_tag(account: Path, key: str) -> int:
    (found,) = [
        s["id"]
        for s in listed(account, "/sequences")
        if f"seqops:{key}" in (s["attributes"]["tags"] or [])
    ]
    return found


def test_the_header_the_sandbox_sends_is_the_one_enroll_looks_for():
    assert middleware.SANDBOX_HEADER == SANDBOX_HEADER


def test_a_real_account_is_refused_before_any_write():
    """An API that does not answer as the sandbox gets no enrolment at all."""
    seen: list[str] = []

    def outreach(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        sequence = {"type": "sequence", "id": 1, "attributes": {"name": "Real", "enabled": True}}
        return httpx.Response(200, json={"data": [sequence]})

    async def run() -> None:
        auth = StaticToken(Secret("real-token"))
        transport = httpx.MockTransport(outreach)
        client = JsonApiClient("https://api.outreach.io/api/v2", auth, transport=transport)
        try:
            await enrol(client, "Real", 1, "active")
        finally:
            await client.aclose()

    with pytest.raises(EnrolError, match="is not a seqops sandbox"):
        asyncio.run(run())
    assert seen == ["GET"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(url: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        assert process.poll() is None, "the sandbox exited"
        try:
            httpx.get(f"{url}/users", timeout=0.5)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the sandbox did not start listening")


def test_a_served_sandbox_by_url(tmp_path, monkeypatch):
    port = free_port()
    seqops = str(Path(sys.executable).parent / "seqops")
    process = subprocess.Popen(
        [seqops, "sandbox", "serve", "--port", str(port), "--demo"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v2"
        wait_until_listening(url, process)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("SEQOPS_TOKEN", "sandbox-token")
        result = invoke("sandbox", "enroll", "Webinar invitation", "-t", url, "--prospects", "2")
        assert result.exit_code == 0, result.output
        assert "matched by display name" in result.stdout and "Enrolled 2 of 2" in result.stdout
        assert not (tmp_path / ".seqops").exists(), "the served sandbox, not an embedded one"
    finally:
        process.terminate()
        process.wait(timeout=10)
