"""Relationship shapes the sandbox does not emit but a JSON:API server may: the standard
`{data: [...], links, meta}` to-many form, `{links}` / `{meta}` without linkage, `{data: null}`,
missing `links.next`, empty pages. `httpx.MockTransport` plays that server; mapping and
assembly are the real code."""

from __future__ import annotations

import httpx
import pytest

from seqops.config import Secret
from seqops.manifest.models import Step
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken, records
from seqops.providers.outreach.mapping import assign_names, candidate, related_ids, slugify

pytestmark = pytest.mark.anyio


def one(type_name: str, id: int) -> dict:
    return {"data": {"type": type_name, "id": id}}


ACCOUNT = {
    "users": [{"type": "user", "id": 4, "attributes": {"email": "ana@example.com"}}],
    "stages": [{"type": "stage", "id": 2, "attributes": {"name": "Replied"}}],
    "taskPriorities": [{"type": "taskPriority", "id": 9, "attributes": {"name": "high"}}],
    "rulesets": [
        {
            "type": "ruleset",
            "id": "31",  # string ids, as JSON:API strictly has them
            "attributes": {"name": "Default Rules", "permitDuplicateProspects": "allow"},
            "relationships": {
                "repliedStage": one("stage", 2),
                "callTaskPriority": {"links": {"related": "/taskPriorities/9"}},
                "owner": {"meta": {"count": 1}},
                "bouncedStage": {"data": None},
            },
        }
    ],
    "templates": [
        {
            "type": "template",
            "id": 11,
            "attributes": {"name": "Intro", "subject": "Hi", "tags": ["seqops:intro", "x"]},
            "relationships": {
                "sequenceTemplates": {"data": [{"type": "sequenceTemplate", "id": 51}]}
            },
        }
    ],
    "sequences": [
        {
            "type": "sequence",
            "id": 21,
            "attributes": {"name": "Inbound", "sequenceType": "interval", "enabled": True},
            "relationships": {
                "owner": one("user", 4),
                "ruleset": {"data": {"type": "ruleset", "id": "31"}, "links": {"related": "x"}},
                "sequenceSteps": {
                    "data": [
                        {"type": "sequenceStep", "id": 41},
                        {"type": "sequenceStep", "id": 42},
                    ],
                    "links": {"related": "/sequences/21/sequenceSteps"},
                    "meta": {"count": 2},
                },
                "mailings": {"links": {"related": "/mailings?filter[sequence][id]=21"}},
            },
        }
    ],
    "sequenceSteps": [
        {
            "type": "sequenceStep",
            "id": 42,
            "attributes": {"order": 2, "stepType": "call", "taskNote": "ring"},
            "relationships": {
                "sequence": one("sequence", 21),
                "taskPriority": one("taskPriority", 9),
            },
        },
        {
            "type": "sequenceStep",
            "id": 41,
            "attributes": {"order": 1, "stepType": "auto_email", "interval": 3600},
            "relationships": {"sequence": [one("sequence", 21)], "taskPriority": {"data": None}},
        },
    ],
    "sequenceTemplates": [
        {
            "type": "sequenceTemplate",
            "id": 51,
            "attributes": {"isReply": True},
            "relationships": {
                "sequenceStep": one("sequenceStep", 41),
                "template": one("template", 11),
            },
        }
    ],
}


def handler(request: httpx.Request) -> httpx.Response:
    collection = request.url.path.rsplit("/", 1)[-1]
    rows = ACCOUNT[collection]
    if request.url.params.get("page[after]") == "end":
        return httpx.Response(200, json={"data": []})  # an empty last page, no links
    document = {"data": rows, "meta": {"count": len(rows)}}
    if collection == "sequenceSteps":
        document["links"] = {"next": f"{request.url.copy_with(query=b'page[after]=end')}"}
    return httpx.Response(200, json=document)


async def test_standard_jsonapi_relationship_forms_read_correctly():
    auth = StaticToken(Secret("mock-token"))
    client = JsonApiClient("https://mock.test/api/v2", auth, transport=httpx.MockTransport(handler))
    state = await OutreachProvider(client).read()

    sequence = state.owned("Sequence", "inbound") or state.by_display_name("Sequence", "Inbound")[0]
    assert sequence.owner is None and sequence.resource.name == "inbound"
    spec = sequence.resource.spec
    assert spec.owner == "ana@example.com"
    assert spec.ruleset == "default-rules"
    assert spec.enabled is True
    assert spec.steps == [
        Step(type="auto_email", wait=3600, template="intro", isReply=True),
        Step(type="call", wait=0, priority="high", note="ring"),
    ]
    assert [s.id for s in sequence.steps] == [41, 42]
    assert sequence.steps[0].sequence_template_id == 51 and sequence.steps[0].template_id == 11
    template = state.owned("Template", "intro")
    assert template is not None and template.resource.spec.tags == ["x"]
    (ruleset,) = state.of_kind("Ruleset")
    assert ruleset.id == 31
    assert ruleset.resource.spec.repliedStage == "Replied"
    assert ruleset.resource.spec.callTaskPriority is None  # links only: no linkage to read
    assert ruleset.resource.spec.bouncedStage is None
    assert client.requests["GET /sequenceSteps"] == 2


def test_related_ids_accepts_every_shape():
    def resource(rel):
        return {"relationships": {"r": rel}}

    assert related_ids(resource({"data": {"type": "t", "id": 1}}), "r") == [1]
    assert related_ids(resource({"data": None}), "r") == []
    assert related_ids(resource({"data": [{"id": 1}, {"id": "2"}], "meta": {}}), "r") == [1, 2]
    assert related_ids(resource([{"data": {"id": 3}}, {"data": {"id": 4}}]), "r") == [3, 4]
    assert related_ids(resource([{"links": {"related": "x"}}]), "r") == []
    assert related_ids(resource({"links": {"related": "x"}}), "r") == []
    assert related_ids(resource({"meta": {"count": 3}}), "r") == []
    assert related_ids({"relationships": None}, "r") == []
    assert related_ids({}, "r") == []


def test_names_are_owner_keys_or_slugs_with_ids_on_collision():
    def res(id, name, tags=()):
        return records.of(
            {"type": "sequence", "id": id, "attributes": {"name": name, "tags": list(tags)}}
        )

    resources = [
        res(1, "Inbound Demo", ["seqops:inbound-demo"]),
        res(2, "Inbound Demo"),  # slug collides with an owned name
        res(3, "Outbound!"),
        res(4, "outbound"),  # two unowned with the same slug
        res(5, "???"),  # nothing left to slug
        res(6, "Bad Tag", ["seqops:Not A Name"]),  # an invalid owner key is not ownership
    ]
    names = assign_names(map(candidate, resources), "Sequence")
    assert names == {
        1: "inbound-demo",
        2: "inbound-demo-2",
        3: "outbound-3",
        4: "outbound-4",
        5: "sequence-5",
        6: "bad-tag",
    }
    assert slugify("Démo — Q3 (v2)") == "demo-q3-v2"
