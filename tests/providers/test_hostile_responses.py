"""Answers no real API gives, from a broken proxy or a hostile server: each is a clear error
naming the object and field, and no plan is built from it (issue 23 item 7)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.providers.base import ProviderError
from seqops.providers.outreach import OutreachProvider
from seqops.sandbox import create_app
from seqops.sandbox.hostile import FaultProxy, Rule, running

from .conftest import client_for

pytestmark = pytest.mark.anyio


class Rewritten:
    """The sandbox, with the JSON answers of one collection's listing rewritten."""

    def __init__(self, app, collection: str, rewrite) -> None:
        self.app, self.collection, self.rewrite = app, collection, rewrite

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != f"/api/v2/{self.collection}":
            return await self.app(scope, receive, send)
        start: dict[str, Any] = {}

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body = self.rewrite(json.loads(message["body"]))
            body = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def first(attribute_path: tuple[str, ...], value: Any):
    """Set one value of the first resource of a listing."""

    def rewrite(document: dict) -> dict:
        node = document["data"][0]
        for key in attribute_path[:-1]:
            node = node.setdefault(key, {})
        node[attribute_path[-1]] = value
        return document

    return rewrite


def without_sequence(document: dict) -> dict:
    for step in document["data"]:
        step.get("relationships", {}).pop("sequence", None)
    return document


def nested(depth: int):
    return lambda document: b'{"data": ' + b"[" * depth + b"]" * depth + b"}"


CASES = {
    "tags as a string": (
        "sequences",
        first(("attributes", "tags"), "seqops:gen-0000"),
        "the API answered sequences[0].attributes.tags as a string where seqops reads a list "
        "of strings (GET /sequences)",
    ),
    "a step without its sequence": (
        "sequenceSteps",
        without_sequence,
        "the API answered sequenceSteps[0].relationships.sequence missing: seqops needs it "
        "(GET /sequenceSteps)",
    ),
    "data as an object": (
        "templates",
        lambda document: {"data": document["data"][0]},
        "the API answered templates: data as an object where seqops reads a list of templates",
    ),
    "a negative id": (
        "sequences",
        first(("id",), -3),
        "the API answered sequences[0].id as -3 where seqops reads a positive integer id",
    ),
    "a fractional id": (
        "sequenceTemplates",
        first(("id",), 2.5),
        "the API answered sequenceTemplates[0].id as 2.5 where seqops reads a positive integer id",
    ),
    "200k-deep nesting": (
        "users",
        nested(200_000),
        "GET /users: sandbox.test answered a document nested too deeply to read",
    ),
    "deep but parseable nesting": (
        "stages",
        nested(500),
        "the API answered stages[0] as a list where seqops reads a stage object",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_an_unexpected_shape_is_an_error_naming_object_and_field(case: str):
    collection, rewrite, said = CASES[case]
    app = create_app()
    app.state.sandbox.generate_account(2, 3)
    provider = OutreachProvider(client_for(Rewritten(app, collection, rewrite)), "hostile")
    with pytest.raises(ProviderError) as info:
        await provider.read()
    await provider.aclose()
    assert said in str(info.value)
    assert "\n" not in str(info.value)


def test_plan_through_a_rewriting_proxy_fails_with_one_line_and_writes_no_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEQOPS_TOKEN", "sandbox-token")
    (tmp_path / "m.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: intro}\n"
        "spec: {subject: Hi, bodyHtml: <p>Hi</p>}\n"
    )
    app = create_app()
    app.state.sandbox.generate_account(1, 2)

    def tags_as_text(document: dict) -> dict:
        for template in document.get("data") or []:
            template["attributes"]["tags"] = "seqops:intro"
        return document

    with running(app) as sandbox:
        proxy = FaultProxy(sandbox, [Rule("rewrite", "GET", "/templates$", rewrite=tags_as_text)])
        with running(proxy) as front:
            result = CliRunner().invoke(
                cli, ["plan", ".", "--target", f"{front}/api/v2", "--out", "plan.json"]
            )
    assert result.exit_code == 1
    assert "templates[0].attributes.tags as a string" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "plan.json").exists()
