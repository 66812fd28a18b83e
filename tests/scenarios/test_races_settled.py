"""Concurrent applies against one sandbox (in process): creates settle races (lowest id wins),
twins left by older versions are retired, a step bound to several templates is repaired."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from seqops.apply.executor import apply
from seqops.plan.errors import IdentityError
from seqops.providers.base import Ids
from seqops.providers.outreach import mapping

from .kit import account, call, email, make_provider, resource, sequence, template

pytestmark = pytest.mark.anyio


async def owners(kit, path: str) -> Counter:
    rows = await kit.client.list_all(path)
    return Counter(mapping.owner_key(r["attributes"].get("tags")) for r in rows)


async def post(kit, path: str, type_name: str, attributes: dict) -> int:
    created = await kit.client.post(path, mapping.document(type_name, attributes))
    return int(created["data"]["id"])


async def test_two_applies_of_one_plan_from_empty_agree_on_every_object(kit):
    """Both plans are made before either writes, then both applies run at once."""
    rival = make_provider(kit.app)
    try:
        first, second = await kit.plan(account()), await kit.plan(account())
        reports = await asyncio.gather(apply(first, kit.provider), apply(second, rival))
    finally:
        await rival.aclose()
    assert all(r.ok for r in reports), [str(x) for r in reports for x in r.results]
    assert await owners(kit, "/sequences") == Counter({"inbound": 1, "outbound": 1})
    assert await owners(kit, "/templates") == Counter({"intro": 1, "follow-up": 1})
    assert await named(kit, "/rulesets") == Counter({"Default ruleset": 1, "Default rules": 1})
    steps = await kit.client.list_all("/sequenceSteps")
    assert len(steps) == 5 and len(await kit.client.list_all("/sequenceTemplates")) == 3
    assert (await kit.plan(account())).empty


async def test_a_create_that_lost_the_race_deletes_its_copy_and_keeps_the_first(kit):
    intro = template("intro")
    winner = await post(kit, "/templates", "template", {"name": "intro", "tags": ["seqops:intro"]})
    await kit.provider.create_template(intro)
    [settled] = await kit.provider.settle()
    assert (settled.kept, settled.raced) == (winner, True)
    assert await owners(kit, "/templates") == Counter({"intro": 1})

    rules = resource("Ruleset", "rules", {"displayName": "Rules"})
    first = await post(kit, "/rulesets", "ruleset", {"name": "Rules"})
    await kit.provider.create_ruleset(rules, Ids())
    [kept] = await kit.provider.settle()
    assert (kept.kept, kept.raced) == (first, True)
    assert (await named(kit, "/rulesets"))["Rules"] == 1


async def test_a_create_with_no_rival_is_not_settled_away(kit):
    other = {"name": "intro", "tags": ["seqops:someone-else"]}
    await post(kit, "/templates", "template", other)  # same name, another owner: not a rival
    live = await kit.provider.create_template(template("intro"))
    [settled] = await kit.provider.settle()
    assert (settled.kept, settled.raced, settled.error) == (live.id, False, None)
    assert await owners(kit, "/templates") == Counter({"intro": 1, "someone-else": 1})


async def test_the_loser_leaves_steps_and_enabling_to_the_winner(kit):
    resources = [sequence("s", [call("1d"), call("2d")], displayName="S", enabled=True)]
    plan = await kit.plan(resources)
    await kit.converge(resources)  # the rival apply, done first
    report = await apply(plan, kit.provider)  # planned from the empty account
    assert report.ok
    created, enabled = report.results
    assert "another apply created it first" in created.reason
    assert enabled.change.action == "enable" and "left to the apply" in enabled.reason
    assert await owners(kit, "/sequences") == Counter({"s": 1})
    assert len(await kit.client.list_all("/sequenceSteps")) == 2
    assert (await kit.plan(resources)).empty


async def test_twins_left_by_an_older_version_are_retired_and_converge(kit):
    resources = [template("intro"), sequence("s", [email("intro"), call("1d")], displayName="S")]
    await kit.converge(resources)
    twin = await post(
        kit,
        "/sequences",
        "sequence",
        {"name": "S", "sequenceType": "interval", "tags": ["seqops:s"]},
    )
    twin_template = await post(
        kit, "/templates", "template", {"name": "intro", "tags": ["seqops:intro"]}
    )

    plan = await kit.plan(resources)
    assert sorted((c.action, c.kind, c.id) for c in plan.changes) == [
        ("disable", "Sequence", twin),
        ("disable", "Template", twin_template),
    ]
    await kit.converge(resources)
    assert await owners(kit, "/sequences") == Counter({"s": 1, "s--retired": 1})
    assert await owners(kit, "/templates") == Counter({"intro": 1, "intro--retired": 1})


async def test_a_twin_with_prospects_stops_the_plan_naming_both_ids(kit):
    resources = [sequence("s", [call("1d")], displayName="S")]
    await kit.converge(resources)
    kept = (await kit.live("Sequence", "s")).id
    twin = await post(
        kit,
        "/sequences",
        "sequence",
        {"name": "S", "sequenceType": "interval", "tags": ["seqops:s"]},
    )
    kit.sandbox.enroll(twin, n=2)

    with pytest.raises(IdentityError, match=f"live sequences {kept} and {twin}"):
        await kit.plan(resources)


async def bind(kit, step_id: int, template_id: int) -> None:
    body = mapping.sequence_template_document(step_id, template_id, False)
    await kit.client.post("/sequenceTemplates", body)


async def test_a_variant_the_manifest_does_not_list_is_planned_away_then_unbound(kit):
    resources = [template("intro"), template("other"), sequence("s", [email("intro")])]
    await kit.converge(resources)
    live = await kit.live("Sequence", "s")
    other = (await kit.live("Template", "other")).id
    await bind(kit, live.steps[0].id, other)

    [change] = (await kit.plan(resources)).changes
    assert [str(d) for d in change.diff] == [
        "steps[0].templates: intro, other → intro (variants: -other)"
    ]
    await kit.converge(resources)
    bindings = await kit.client.list_all("/sequenceTemplates")
    assert [int(b["id"]) for b in bindings] == [live.steps[0].sequence_template_id]


async def test_a_step_bound_twice_that_stops_sending_email_loses_every_binding(kit):
    resources = [template("intro"), sequence("s", [email("intro"), call("1d")])]
    await kit.converge(resources)
    live = await kit.live("Sequence", "s")
    await bind(kit, live.steps[0].id, live.steps[0].template_id)

    await kit.converge([template("intro"), sequence("s", [call("1d"), call("1d")])])
    assert await kit.client.list_all("/sequenceTemplates") == []


async def named(kit, path: str) -> Counter[str]:
    """Live objects per display name (every account also has its default ruleset)."""
    return Counter(r["attributes"]["name"] for r in await kit.client.list_all(path))
