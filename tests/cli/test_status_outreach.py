"""`seqops status` on an Outreach target: per sequence, enabled, steps, prospects by state."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.config import Secret
from seqops.providers.outreach import JsonApiClient, StaticToken
from seqops.providers.outreach.status import read_status
from seqops.sandbox.app import create_app

MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hi</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  enabled: true
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


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def status_json() -> dict:
    result = invoke("status", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_counts_prospects_per_sequence_in_the_embedded_sandbox(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("manifests.yaml").write_text(MANIFESTS)
    assert invoke("apply", "manifests.yaml", "--yes").exit_code == 0
    ids = {s["name"]: s["id"] for s in status_json()["sequences"]}
    sandbox = create_app(db=str(tmp_path / ".seqops/sandbox.db")).state.sandbox
    sandbox.enroll(ids["Inbound demo"], 3, "active")
    sandbox.enroll(ids["Inbound demo"], 2, "paused")
    sandbox.enroll(ids["Inbound demo"], 1, "finished")
    sandbox.close()

    document = status_json()
    assert document["provider"] == "outreach" and "embedded sandbox" in document["target"]
    assert document["sequences"] == [
        {
            "id": ids["Inbound demo"],
            "name": "Inbound demo",
            "key": "inbound",
            "enabled": True,
            "steps": 2,
            "active": 3,
            "paused": 2,
            "pending": 0,
            "finished": 1,
            "retiring": False,
            "finishes_by": None,
        },
        {
            "id": ids["Outbound"],
            "name": "Outbound",
            "key": "outbound",
            "enabled": False,
            "steps": 1,
            "active": 0,
            "paused": 0,
            "pending": 0,
            "finished": 0,
            "retiring": False,
            "finishes_by": None,
        },
    ]
    text = invoke("status", "--no-color").stdout
    assert text.startswith("Target: embedded sandbox")
    row = next(line for line in text.splitlines() if "Inbound demo" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == [
        "Inbound demo", "inbound", "yes", "2", "3", "2", "0", "1",
    ]  # fmt: skip


def test_since_is_refused_for_outreach_targets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("status", "--since", "1h")
    assert result.exit_code == 1 and "--since is for Coefficy targets" in result.output


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def client(app, page_size: int) -> JsonApiClient:
    transport = httpx.ASGITransport(app=app)
    auth = StaticToken(Secret("sandbox-token"))
    return JsonApiClient("http://sb.test/api/v2", auth, transport=transport, page_size=page_size)


@pytest.mark.anyio
async def test_status_lists_states_once_or_counts_per_sequence_whichever_is_fewer_requests():
    app = create_app()
    sandbox = app.state.sandbox
    ids = sandbox.generate_account(3, steps_per_sequence=2, prefix="st")
    sandbox.enroll(ids[0], 5, "active")
    sandbox.enroll(ids[1], 4, "paused")
    sandbox.enroll(ids[1], 3, "finished")
    sandbox.enroll(ids[2], 1, "active")
    sandbox.enroll(ids[2], 2, "disabled")  # stopped with its sequence: waiting, as pending

    listing = client(app, page_size=1000)  # 15 states: one page beats 12 counts
    by_listing = await read_status(listing)
    assert listing.requests == {"GET /sequences": 1, "GET /sequenceStates": 2}

    counting = client(app, page_size=1)  # 15 pages of one state: 12 counts are fewer
    by_counting = await read_status(counting)
    assert counting.requests["GET /sequenceStates"] == 1 + 3 * 4

    assert by_listing == by_counting
    counts = {s.id: (s.active, s.paused, s.pending, s.finished) for s in by_listing}
    assert counts == {ids[0]: (5, 0, 0, 0), ids[1]: (0, 4, 0, 3), ids[2]: (1, 0, 2, 0)}
    assert all(s.steps == 2 and s.key is not None for s in by_listing)
    for c in (listing, counting):
        await c.aclose()
