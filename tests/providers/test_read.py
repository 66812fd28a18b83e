"""`read()` against the sandbox: complete and correct, in the minimum number of list pages."""

from __future__ import annotations

import math
from urllib.parse import parse_qs

import httpx
import pytest

from seqops.providers.outreach import records
from seqops.providers.outreach.assemble import COLLECTIONS, LISTED

pytestmark = pytest.mark.anyio


async def collection_sizes(app) -> dict[str, int]:
    """Row counts straight from the sandbox (not through the client under test)."""
    headers = {"Authorization": "Bearer sandbox-token"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        sizes = {}
        for collection in COLLECTIONS:
            url = f"http://sandbox.test/api/v2/{collection}?page[size]=1"
            sizes[collection] = (await http.get(url, headers=headers)).json()["meta"]["count"]
    return sizes


def minimum_pages(sizes: dict[str, int], page_size: int) -> int:
    return sum(max(1, math.ceil(n / page_size)) for n in sizes.values())


async def test_200_sequences_of_8_steps_cost_one_list_page_per_1000_rows(app, provider):
    app.state.sandbox.generate_account(200, 8)
    sizes = await collection_sizes(app)
    assert sizes["sequences"] == 200 and sizes["sequenceSteps"] == 1600

    state = await provider.read()

    expected = minimum_pages(sizes, 1000)
    assert provider.client.request_count == expected == len(COLLECTIONS) + 1
    assert provider.client.requests["GET /sequenceSteps"] == 2
    assert not any("/sequences/" in key for key in provider.client.requests)
    sequences = state.of_kind("Sequence")
    assert len(sequences) == 200
    assert all(len(s.resource.spec.steps) == 8 == len(s.steps) for s in sequences)


async def test_generated_account_reads_back_as_generated(app, provider):
    app.state.sandbox.generate_account(3, 8, prefix="acme")
    state = await provider.read()

    sequence = state.owned("Sequence", "acme-0001")
    assert sequence is not None
    spec = sequence.resource.spec
    assert sequence.resource.metadata.id == sequence.id
    assert spec.displayName == "acme-0001" and spec.tags == []
    assert [s.order for s in sequence.steps] == list(range(1, 9))
    emails = [s for s in spec.steps if s.type == "auto_email"]
    assert [s.template for s in emails] == ["acme-0001-s1", "acme-0001-s4", "acme-0001-s7"]
    assert all(s.wait is not None and s.date is None for s in spec.steps)
    for step, live in zip(spec.steps, sequence.steps, strict=True):
        template = state.by_id("Template", live.template_id) if live.template_id else None
        assert (template.resource.name if template else None) == step.template
    assert spec.owner in state.users
    assert "sandy.box@example.com" in state.users
    assert state.stages and state.task_priorities


async def test_small_pages_over_thousands_of_rows_are_complete(app, provider_for):
    app.state.sandbox.generate_account(150, 8)
    sizes = await collection_sizes(app)
    provider = provider_for(app, page_size=97)

    state = await provider.read()

    assert provider.client.request_count == minimum_pages(sizes, 97)
    steps = [step for s in state.of_kind("Sequence") for step in s.steps]
    assert len(steps) == sizes["sequenceSteps"] == 1200
    assert len({s.id for s in steps}) == 1200
    assert len(state.of_kind("Template")) == sizes["templates"]


async def test_faults_do_not_change_what_is_read(app, provider_for):
    app.state.sandbox.generate_account(40, 8)
    clean = await provider_for(app, page_size=50).read()
    pages = minimum_pages(await collection_sizes(app), 50)
    app.state.sandbox.set_faults(fault_rate=0.3)
    faulty = provider_for(app, page_size=50)

    state = await faulty.read()

    assert faulty.client.request_count > pages
    assert [o.resource for o in state.objects] == [o.resource for o in clean.objects]
    assert [o.steps for o in state.objects] == [o.steps for o in clean.objects]


async def test_unowned_objects_are_adoptable_with_slug_names(app, provider):
    app.state.sandbox.generate_account(2, 2, owned=False, prefix="Cold Outreach")
    state = await provider.read()
    sequences = state.of_kind("Sequence")
    assert {s.owner for s in sequences} == {None}
    assert sorted(s.resource.name for s in sequences) == [
        "cold-outreach-0000",
        "cold-outreach-0001",
    ]


async def test_every_listing_asks_only_for_the_fields_the_mapping_reads(app, provider_for):
    app.state.sandbox.generate_account(2, 3)
    asked: dict[str, dict[str, list[str]]] = {}

    async def recording(scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET":
            asked[scope["path"].rsplit("/", 1)[-1]] = parse_qs(scope["query_string"].decode())
        await app(scope, receive, send)

    await provider_for(recording).read()

    assert set(asked) == set(COLLECTIONS)
    for collection, query in asked.items():
        shape = LISTED[collection]
        fields = query[f"fields[{shape.type}]"][0].split(",")
        assert fields == [*shape.attributes, *shape.relationships]


def test_a_record_keeps_only_its_shape_of_a_resource():
    resource = {
        "type": "sequenceStep",
        "id": 12,
        "attributes": {"order": 2, "stepType": "call", "bodyText": "not read", "interval": 60},
        "relationships": {"sequence": {"data": {"type": "sequence", "id": 3}}, "mailings": {}},
        "links": {"self": "https://api.example/sequenceSteps/12"},
    }
    record = records.of(resource)
    assert (record.id, record.get("order"), record.get("stepType")) == (12, 2, "call")
    assert record.get("taskNote") is None and record.related("taskPriority") is None
    assert record.related("sequence") == 3
    assert len(record.values) == len(record.shape.attributes) + len(record.shape.relationships)
    with pytest.raises(KeyError):
        record.get("bodyText")
