"""The provider reads accounts whose resources carry every attribute as null and every
relationship in any JSON:API form (guide objects, the OpenAPI file's arrays, links only)."""

from __future__ import annotations

import httpx
import pytest

from seqops.config import Secret
from seqops.manifest.models import Step
from seqops.providers.base import ProviderError
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken, records

pytestmark = pytest.mark.anyio


def nulls(type_name: str, id: int, attrs=None, rels=None) -> dict:
    """A resource whose every attribute and to-one the provider reads is null."""
    shape = records.SHAPES[type_name]
    return {
        "type": type_name,
        "id": id,
        "attributes": {a: None for a in shape.attributes} | (attrs or {}),
        "relationships": {r: {"data": None} for r in shape.relationships} | (rels or {}),
    }


def one(type_name: str, id: int) -> dict:
    return {"data": {"type": type_name, "id": id}}


LINKS_ONLY = {"links": {"related": "https://api.outreach.io/api/v2/mailings?filter[x][id]=1"}}
ACCOUNT = {
    "users": [nulls("user", 1)],
    "stages": [nulls("stage", 2)],
    "taskPriorities": [nulls("taskPriority", 3)],
    "rulesets": [nulls("ruleset", 4, {"name": "Rules"}, {"sequences": LINKS_ONLY})],
    "templates": [nulls("template", 5, {"name": "Intro"})],
    "sequences": [
        nulls("sequence", 6, {"name": "Bare"}),
        nulls(
            "sequence",
            7,
            {"name": "Guide", "tags": ["seqops:guide"]},
            {
                "ruleset": one("ruleset", 4),
                "sequenceSteps": {"data": [{"type": "sequenceStep", "id": 9}]},
                "sequenceStates": LINKS_ONLY,
                "mailings": LINKS_ONLY,
            },
        ),
    ],
    "sequenceSteps": [
        nulls("sequenceStep", 8, {"stepType": "call"}, {"sequence": [one("sequence", 6)]}),
        nulls(
            "sequenceStep",
            9,
            {"stepType": "auto_email", "order": 1},
            {"sequence": one("sequence", 7)},
        ),
    ],
    "sequenceTemplates": [
        nulls(
            "sequenceTemplate",
            10,
            rels={"sequenceStep": one("sequenceStep", 9), "template": one("template", 5)},
        )
    ],
}


def handler(request: httpx.Request) -> httpx.Response:
    rows = ACCOUNT[request.url.path.rsplit("/", 1)[-1]]
    return httpx.Response(200, json={"data": rows, "meta": {"count": len(rows)}})


async def test_null_attributes_and_every_relationship_form_read_as_unset():
    auth = StaticToken(Secret("mock-token"))
    client = JsonApiClient("https://mock.test/api/v2", auth, transport=httpx.MockTransport(handler))
    state = await OutreachProvider(client).read()

    (bare,) = state.by_display_name("Sequence", "Bare")
    spec = bare.resource.spec
    assert spec.steps == [Step(type="call", wait=0)]
    assert spec.description is None and spec.ruleset is None and spec.owner is None
    assert spec.tags == [] and spec.sequenceType == "interval"
    guide = state.owned("Sequence", "guide")
    assert guide is not None
    assert guide.resource.spec.ruleset == "rules"
    assert guide.resource.spec.steps == [Step(type="auto_email", wait=0, template="intro")]
    (ruleset,) = state.of_kind("Ruleset")
    assert ruleset.resource.spec.permitDuplicateProspects is None
    (template,) = state.of_kind("Template")
    assert template.resource.spec.subject is None and template.resource.spec.tags == []


async def test_a_step_without_a_type_is_a_clear_error():
    account = {
        **ACCOUNT,
        "sequenceSteps": [nulls("sequenceStep", 8, rels={"sequence": one("sequence", 6)})],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        rows = account[request.url.path.rsplit("/", 1)[-1]]
        return httpx.Response(200, json={"data": rows})

    auth = StaticToken(Secret("mock-token"))
    client = JsonApiClient("https://mock.test/api/v2", auth, transport=httpx.MockTransport(handler))
    with pytest.raises(
        ProviderError, match=r"cannot read live Step: type: Field required .*seqops doctor"
    ):
        await OutreachProvider(client).read()
