"""An account written through the raw API the way the guide writes it (explicit nulls,
relationship objects) exports, plans to adoptions only, applies, and re-plans to zero, through
the real CLI against the embedded sandbox."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.sandbox.app import create_app

HEADERS = {"Authorization": "Bearer sandbox-token", "Content-Type": "application/vnd.api+json"}


def seqops(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, [*args, "--no-color"])
    assert result.exit_code == code, result.output
    return result.stdout


class RawApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(self, path: str, type_name: str, attributes: dict, **rels) -> int:
        relationships = {
            name: {"data": None if rid is None else {"type": kind, "id": rid}}
            for name, (kind, rid) in rels.items()
        }
        data = {"type": type_name, "attributes": attributes, "relationships": relationships}
        response = await self.client.post(path, json={"data": data})
        assert response.status_code == 201, response.text
        return response.json()["data"]["id"]


async def populate(app) -> None:
    transport = httpx.ASGITransport(app=app)
    base = "http://sandbox.test/api/v2"
    async with httpx.AsyncClient(transport=transport, base_url=base, headers=HEADERS) as client:
        api = RawApi(client)
        ruleset = await api.post(
            "/rulesets",
            "ruleset",
            {"name": "Guide rules", "emailOptOutAction": None, "sequenceExclusivity": None},
            bouncedStage=("stage", None),
        )
        template = await api.post(
            "/templates", "template", {"name": "Guide intro", "subject": "Hi", "bodyHtml": None}
        )
        variant = await api.post(
            "/templates", "template", {"name": "Guide intro B", "subject": "Hello", "tags": None}
        )
        sequence = await api.post(
            "/sequences",
            "sequence",
            {"name": "Guide sequence", "description": None, "maxActivations": None},
            ruleset=("ruleset", ruleset),
            owner=("user", None),
        )
        step = await api.post(
            "/sequenceSteps",
            "sequenceStep",
            {"stepType": "auto_email", "interval": None, "taskNote": None},
            sequence=("sequence", sequence),
            taskPriority=("taskPriority", None),
        )
        for bound in (template, variant):  # an A/B test: two templates on one step
            await api.post(
                "/sequenceTemplates",
                "sequenceTemplate",
                {},
                sequenceStep=("sequenceStep", step),
                template=("template", bound),
            )
        await api.post(
            "/sequenceSteps",
            "sequenceStep",
            {"stepType": "call", "interval": 86400, "taskNote": None},
            sequence=("sequence", sequence),
        )
        live = (await client.get(f"/sequences/{sequence}")).json()["data"]
        assert live["attributes"]["description"] is None
        assert live["relationships"]["sequenceSteps"]["data"]
        assert live["relationships"]["sequenceStates"]["links"]["related"]


@pytest.fixture
def account_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / ".seqops" / "sandbox.db"
    db.parent.mkdir()
    app = create_app(db=str(db))
    asyncio.run(populate(app))
    app.state.sandbox.close()
    return tmp_path


def test_null_attributes_and_guide_relationships_converge(account_dir):
    seqops("export", "--out", "manifests")
    planned = json.loads(seqops("plan", "manifests", "--format", "json"))
    assert {c["action"] for c in planned["changes"]} == {"adopt"}
    assert [d for c in planned["changes"] for d in c["diff"]] == []
    assert {(c["kind"], c["name"]) for c in planned["changes"]} == {
        ("Sequence", "guide-sequence"),
        ("Template", "guide-intro"),
        ("Template", "guide-intro-b"),
    }
    seqops("apply", "manifests", "--yes")
    seqops("plan", "manifests", "--detailed-exitcode")  # exit 0: no changes
    assert len(bindings(account_dir)) == 2, "both variants are still bound"


def bindings(account_dir: Path) -> list[dict]:
    app = create_app(db=str(account_dir / ".seqops" / "sandbox.db"))

    async def read() -> list[dict]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sandbox.test/api/v2", headers=HEADERS
        ) as client:
            return (await client.get("/sequenceTemplates")).json()["data"]

    try:
        return asyncio.run(read())
    finally:
        app.state.sandbox.close()
