"""A drain end to end through the real CLI against a served sandbox (uvicorn on 127.0.0.1):
enrol, replace (no flag), watch the old version drain in `plan` and `status`, `sandbox advance`
past its cadence, and the next plan disables it with zero impact; then zero changes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from seqops.config import Secret
from seqops.providers.outreach import JsonApiClient, StaticToken
from seqops.providers.outreach.advance import AdvanceError, advance
from tests.reliability.conftest import Cli, serve

SEQUENCE = """\
apiVersion: seqops/v1
kind: Template
metadata: {{name: intro}}
spec: {{subject: Hello, bodyHtml: "<p>Hi {{{{first_name}}}}, <a href='https://x.test/u'>unsubscribe</a></p>"}}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {{name: trial}}
spec:
  displayName: Trial nurture
  enabled: true
  steps:
{steps}
"""
STEPS = [
    "    - {type: auto_email, wait: 0, template: intro}",
    "    - {type: call, wait: 2d}",
    "    - {type: task, wait: 3d, note: Check in}",
    "    - {type: call, wait: 1w}",
]


def write(folder: Path, steps: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "trial.yaml").write_text(SEQUENCE.format(steps="\n".join(steps)))


@pytest.fixture
def served_cli(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with serve() as served:
        yield Cli(served.url)


def plan_json(cli: Cli) -> dict:
    result = cli("plan", "m", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_drain_end_to_end_on_a_served_sandbox(served_cli: Cli, tmp_path: Path):
    cli = served_cli
    write(tmp_path / "m", STEPS)
    assert cli("apply", "m", "--yes").exit_code == 0
    enrolled = cli("sandbox", "enroll", "trial", "--prospects", "3")
    assert enrolled.exit_code == 0, enrolled.output

    write(tmp_path / "m", [STEPS[0], STEPS[2], STEPS[1], STEPS[3]])  # two steps swap: a replace
    shown = cli("plan", "m", "--detailed-exitcode")
    assert shown.exit_code == 2, shown.output
    assert "3 active prospects keep their cadence in v1 until they finish" in shown.stdout
    assert "apply will need" not in shown.stdout
    planned = plan_json(cli)
    [replace] = planned["changes"]
    assert replace["action"] == "replace" and planned["requires"] == []
    assert replace["outcome"]["fate"] == "drain"
    applied = cli("apply", "m", "--yes")  # no flag: draining reaches nobody
    assert applied.exit_code == 0, applied.output

    quiet = cli("plan", "m", "--detailed-exitcode")
    assert quiet.exit_code == 0, quiet.output  # "No changes", the drain shown all the same
    assert "draining: Sequence/trial 'Trial nurture (v1, retiring)'" in quiet.stdout
    [draining] = plan_json(cli)["draining"]
    assert (draining["active"], draining["enabled"]) == (3, True)
    assert draining["finishes_by"]
    status = cli("status", "--format", "json")
    rows = {s["name"]: s for s in json.loads(status.stdout)["sequences"]}
    old = rows["Trial nurture (v1, retiring)"]
    assert old["retiring"] and old["active"] == 3 and old["finishes_by"] == draining["finishes_by"]
    assert rows["Trial nurture (v2)"]["pending"] == 0 and not rows["Trial nurture (v2)"]["retiring"]
    assert "Retiring versions (draining)" in cli("status").stdout

    moved = cli("sandbox", "advance", "3w")
    assert moved.exit_code == 0, moved.output
    assert "3 prospects finished" in moved.stdout
    done = plan_json(cli)
    [retire] = done["changes"]
    assert (retire["action"], retire["id"]) == ("disable", draining["id"])
    assert retire["impact"] == {"active": 0, "paused": 0} and done["requires"] == []
    assert done["draining"] == []
    assert cli("apply", "m", "--yes").exit_code == 0
    assert cli("plan", "m", "--detailed-exitcode").exit_code == 0


def test_status_shows_pending_prospects(served_cli: Cli, tmp_path: Path):
    cli = served_cli
    write(tmp_path / "m", STEPS)
    (tmp_path / "m" / "trial.yaml").write_text(
        (tmp_path / "m" / "trial.yaml").read_text().replace("enabled: true", "enabled: false")
    )
    assert cli("apply", "m", "--yes").exit_code == 0
    assert cli("sandbox", "enroll", "trial", "--prospects", "2").exit_code == 0
    [row] = json.loads(cli("status", "--format", "json").stdout)["sequences"]
    assert (row["pending"], row["active"]) == (2, 0)
    line = next(x for x in cli("status").stdout.splitlines() if "Trial nurture" in x)
    assert [c.strip() for c in line.strip("│ ").split("│")][3:] == ["4", "0", "0", "2", "0"]


def test_advance_refuses_an_account_that_is_not_a_sandbox():
    seen: list[str] = []

    def outreach(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(200, json={"data": []})

    async def run() -> None:
        client = JsonApiClient(
            "https://api.outreach.io/api/v2",
            StaticToken(Secret("real-token")),
            transport=httpx.MockTransport(outreach),
        )
        try:
            await advance(client, 3600)
        finally:
            await client.aclose()

    import asyncio

    with pytest.raises(AdvanceError, match="is not a seqops sandbox"):
        asyncio.run(run())
    assert seen == ["GET"]  # nothing was posted


def test_advance_takes_durations_as_manifests_write_them(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli = Cli("")
    bad = cli.invoke(["sandbox", "advance", "3 days", "--no-color"])
    assert bad.exit_code == 1 and "'3 days' is not a duration" in bad.output
    zero = cli.invoke(["sandbox", "advance", "0", "--no-color"])
    assert zero.exit_code == 1 and "more than 0" in zero.output
    ok = cli.invoke(["sandbox", "advance", "90m", "--no-color"])  # the embedded sandbox
    assert ok.exit_code == 0, ok.output
    assert "embedded sandbox" in ok.stdout and "Advanced 90m" in ok.stdout
