"""A real-shaped account through export -> plan -> apply -> plan.

The sandbox's answers are rewritten into the shapes production integrations recorded from the
real API (a `POST /sequences` answer, a listing): attributes seqops does not know (and null),
relationships it does not read (`contentCategoryMemberships` with data, links and meta
together, `schedule` null), related links with percent-encoded brackets, `count_truncated` in
`meta`, no `links` on an empty page, a sequence created with no owner and the account's default
ruleset. The real CLI reads it through a served proxy on 127.0.0.1: an export re-plans with no
field change, an edit applies and re-plans to nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.sandbox import create_app
from seqops.sandbox.hostile import running
from seqops.sandbox.jsonapi import MEDIA_TYPE

TOKEN = "real-shapes-token"
UNKNOWN_ATTRIBUTES = {"engagementScore": None, "interestedCount": None}


def real(resource: dict[str, Any]) -> dict[str, Any]:
    """One resource object as the real API writes it."""
    if not isinstance(resource, dict) or "attributes" not in resource:
        return resource
    resource["attributes"] |= UNKNOWN_ATTRIBUTES
    relationships = resource.setdefault("relationships", {})
    for value in relationships.values():
        related = (value.get("links") or {}).get("related")
        if related:
            value["links"]["related"] = related.replace("[", "%5B").replace("]", "%5D")
    base = resource["links"]["self"].rsplit("/", 2)[0]
    relationships["contentCategoryMemberships"] = {
        "data": [],
        "links": {"related": f"{base}/contentCategoryMemberships?filter%5Bx%5D%5Bid%5D=1"},
        "meta": {"count": 0},
    }
    relationships["schedule"] = {"data": None}
    return resource


def real_document(document: dict[str, Any]) -> dict[str, Any]:
    data = document.get("data")
    for resource in data if isinstance(data, list) else [data]:
        real(resource)
    for resource in document.get("included", []):
        real(resource)
    return document


class RealShapes:
    """An ASGI layer that rewrites the sandbox's JSON:API answers into recorded real shapes."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            if body and (dict(headers).get(b"content-type") or b"").decode() == MEDIA_TYPE:
                body = json.dumps(real_document(json.loads(body))).encode()
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A served, real-shaped account with a hand-made sequence like the recorded one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEQOPS_TOKEN", TOKEN)
    app = create_app(token=TOKEN)
    with running(RealShapes(app)) as base:
        url = f"{base}/api/v2"
        seed(app)
        yield url
    app.state.sandbox.close()


def seed(app) -> None:
    """What a user made in Outreach: the recorded sequence (tags, a description, no owner,
    the default ruleset), a template, an email step and a call."""
    from seqops.sandbox import seed as sandbox_seed
    from seqops.sandbox.rules import Context

    sandbox = app.state.sandbox
    ctx = Context(sandbox.store, None)  # made by no API user: no owner
    attrs = {"name": "string", "description": "A test sequence", "tags": ["sequence", "coffee"]}
    sequence = sandbox_seed.create(ctx, "sequence", attrs)
    template = sandbox_seed.create(ctx, "template", {"name": "Coffee?", "subject": "Coffee?"})
    step = sandbox_seed.create(
        ctx, "sequenceStep", {"stepType": "auto_email", "interval": 0}, sequence=sequence
    )
    sandbox_seed.create(ctx, "sequenceTemplate", {}, sequenceStep=step, template=template)
    sandbox_seed.create(
        ctx, "sequenceStep", {"stepType": "call", "interval": 86400}, sequence=sequence
    )


def seqops(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, [*args, "--no-color"])
    assert result.exit_code == code, result.output
    return result.stdout


def test_a_real_shaped_account_exports_re_plans_and_applies_to_nothing(account: str):
    seqops("export", "--target", account, "--out", "manifests")
    exported = (Path("manifests") / "sequences" / "string.yaml").read_text()
    assert "description: A test sequence" in exported and "coffee" in exported
    for default in ("secondaryReplyAction", "maxActivations", "scheduleIntervalType", "owner"):
        assert default not in exported, default  # what the API fills in stays out
    assert "ruleset: default-ruleset" in exported  # the account's default, a real reference

    planned = json.loads(seqops("plan", "manifests", "--target", account, "--format", "json"))
    assert {c["action"] for c in planned["changes"]} == {"adopt"}
    assert all(c["diff"] == [] or _only_tags(c["diff"]) for c in planned["changes"])
    seqops("apply", "manifests", "--target", account, "--yes")
    seqops("plan", "manifests", "--target", account, "--detailed-exitcode")

    path = Path("manifests") / "sequences" / "string.yaml"
    path.write_text(exported.replace("A test sequence", "Coffee, then a call"))
    seqops("apply", "manifests", "--target", account, "--yes")
    seqops("plan", "manifests", "--target", account, "--detailed-exitcode")


def _only_tags(diff: list[dict[str, Any]]) -> bool:
    return all(d["path"].endswith("tags") for d in diff)
