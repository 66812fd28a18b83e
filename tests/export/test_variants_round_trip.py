"""A/B variants made in Outreach (a step bound to several templates through raw API writes)
survive export -> plan -> apply -> plan: export writes them, the plan only adopts, apply keeps
every binding, and a duplicate binding of one template is the only thing repaired."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from ruamel.yaml import YAML

from seqops.sandbox.app import create_app

from .conftest import BASE, TOKEN, Api
from .test_round_trip import assert_round_trip, run_export, sandbox_dir, seqops

__all__ = ["sandbox_dir"]  # the fixture, imported for these tests

HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/vnd.api+json"}


async def _with_api(db: Path, work) -> object:
    app = create_app(db=str(db))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=HEADERS) as c:
            return await work(Api(c))
    finally:
        app.state.sandbox.close()


def on_account(sandbox: Path, work) -> object:
    return asyncio.run(_with_api(sandbox / ".seqops/sandbox.db", work))


async def ab_account(api: Api) -> dict[str, int]:
    """`A/B intro`: step 1 sends intro A and intro B, step 2 a call, step 3 the follow-up twice
    (the same template bound twice, as a racing apply leaves it)."""
    ids = {}
    for name in ("Intro A", "Intro B", "Follow up"):
        ids[name] = await api.create(
            "templates", "template", {"name": name, "subject": name, "bodyHtml": "<p>x</p>"}
        )
    seq = await api.create("sequences", "sequence", {"name": "A/B intro"})
    first = await api.step(seq, {"stepType": "auto_email", "interval": 0}, ids["Intro A"])
    await bind(api, first, ids["Intro B"])
    await api.step(seq, {"stepType": "call", "interval": 86400})
    third = await api.step(seq, {"stepType": "auto_email", "interval": 0}, ids["Follow up"])
    ids["step 1"], ids["step 3"], ids["sequence"] = first, third, seq
    return ids


async def bind(api: Api, step: int, template: int) -> int:
    return await api.create(
        "sequenceTemplates",
        "sequenceTemplate",
        {"isReply": False},
        sequenceStep=("sequenceStep", step),
        template=("template", template),
    )


def bound(sandbox: Path, step: int) -> list[int]:
    """The template ids bound to `step`, one per sequenceTemplate, sorted."""

    async def read(api: Api) -> list[int]:
        response = await api.client.get(
            "/sequenceTemplates", params={"filter[sequenceStep][id]": step}
        )
        rows = response.json()["data"]
        return sorted(int(_related(r, "template")) for r in rows)

    return on_account(sandbox, read)  # type: ignore[return-value]


def _related(resource: dict, name: str) -> str:
    data = resource["relationships"][name]
    data = data[0] if isinstance(data, list) else data
    return data["data"]["id"]


def test_variants_export_as_templates_and_survive_plan_and_apply(sandbox_dir):
    ids = on_account(sandbox_dir, ab_account)
    run_export()
    manifests = sandbox_dir / "manifests"
    doc = YAML(typ="safe").load((manifests / "sequences/a-b-intro.yaml").read_text())
    assert doc["spec"]["steps"][0]["templates"] == ["intro-a", "intro-b"]
    assert "template" not in doc["spec"]["steps"][0]
    assert doc["spec"]["steps"][2]["template"] == "follow-up"
    assert_round_trip(manifests)  # adopt only, no diff; apply; plan 0; re-export: same bytes
    assert bound(sandbox_dir, ids["step 1"]) == sorted([ids["Intro A"], ids["Intro B"]])


def test_a_duplicate_binding_is_repaired_and_variants_kept(sandbox_dir):
    ids = on_account(sandbox_dir, ab_account)
    run_export()
    on_account(sandbox_dir, lambda api: bind(api, ids["step 3"], ids["Follow up"]))
    on_account(sandbox_dir, lambda api: bind(api, ids["step 1"], ids["Intro B"]))
    planned = json.loads(seqops("plan", "manifests", "--format", "json"))
    [sequence] = [c for c in planned["changes"] if c["name"] == "a-b-intro"]
    assert all(d["op"] == "changed" for d in sequence["diff"])  # steps kept where they are
    assert [{k: d[k] for k in ("path", "old", "new")} for d in sequence["diff"]] == [
        {
            "path": "steps[0].templates",
            "old": ["intro-a", "intro-b", "intro-b"],
            "new": ["intro-a", "intro-b"],
        },
        {"path": "steps[2].template", "old": ["follow-up", "follow-up"], "new": "follow-up"},
    ]
    seqops("apply", "manifests", "--yes")
    seqops("plan", "manifests", "--detailed-exitcode")  # exit 0: converged
    assert bound(sandbox_dir, ids["step 1"]) == sorted([ids["Intro A"], ids["Intro B"]])
    assert bound(sandbox_dir, ids["step 3"]) == [ids["Follow up"]]


def test_variants_added_and_removed_by_the_manifest(sandbox_dir):
    ids = on_account(sandbox_dir, ab_account)
    run_export()
    seqops("apply", "manifests", "--yes")
    path = sandbox_dir / "manifests/sequences/a-b-intro.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "templates:\n        - intro-a\n        - intro-b", "template: intro-b"
        ).replace("template: follow-up", "templates: [follow-up, intro-a]")
    )
    plan = seqops("plan", "manifests")
    step_1 = "step 1 · Automatic email “Intro B”: templates intro-a, intro-b → intro-b"
    assert f"{step_1} (variants: -intro-a)" in plan
    step_3 = (
        "step 3 · Automatic email “Follow up” / “Intro A”: templates follow-up → follow-up, intro-a"
    )
    assert f"{step_3} (variants: +intro-a)" in plan
    markdown = seqops("plan", "manifests", "--format", "markdown")
    assert "variants: +intro-a" in markdown and "Automatic email Follow up / Intro A" in markdown
    seqops("apply", "manifests", "--yes")
    seqops("plan", "manifests", "--detailed-exitcode")
    assert bound(sandbox_dir, ids["step 1"]) == [ids["Intro B"]]
    assert bound(sandbox_dir, ids["step 3"]) == sorted([ids["Follow up"], ids["Intro A"]])
