"""Resource objects as Outreach's "Making requests" guide shows them (JSON:API 1.0): every
attribute present (unset ones as null), every relationship a relationship object."""

from __future__ import annotations

from sandbox_helpers import new_sequence, new_step

from seqops.sandbox.resources import TYPES


def test_unset_attributes_are_present_as_null(api):
    prospects = api.get("/prospects", params={"page[size]": 1000}).json()["data"]
    nameless = [p for p in prospects if p["attributes"]["lastName"] is None]
    assert nameless, "the seed holds a prospect without a last name, like the guide's"
    for prospect in prospects:
        assert set(prospect["attributes"]) == set(TYPES["prospect"].attrs)
    sequence = new_sequence(api, "Bare")["attributes"]
    assert sequence["description"] is None and sequence["throttleCapacity"] is None
    assert set(sequence) == set(TYPES["sequence"].attrs)


def test_sparse_fieldsets_still_limit_attributes_and_relationships(api):
    new_sequence(api, "Bare")
    listed = api.get("/sequences", params={"fields[sequence]": "name,owner,mailings"}).json()
    (sequence,) = listed["data"]
    assert sequence["attributes"] == {"name": "Bare"}
    assert set(sequence["relationships"]) == {"owner", "mailings"}


def test_relationships_are_objects_with_linkage_or_links(api):
    sequence = new_sequence(api)
    steps = [new_step(api, sequence["id"], "call") for _ in range(2)]
    live = api.get(f"/sequences/{sequence['id']}").json()["data"]
    relationships = live["relationships"]
    base = "http://sandbox.test/api/v2"
    # To-many linkage carries data, links and meta together, as the real API's responses do.
    assert relationships["sequenceSteps"] == {
        "data": [{"type": "sequenceStep", "id": s["id"]} for s in steps],
        "links": {"related": f"{base}/sequenceSteps?filter[sequence][id]={sequence['id']}"},
        "meta": {"count": 2},
    }
    assert relationships["ruleset"]["data"]["type"] == "ruleset"  # the account's default
    assert relationships["owner"] == {"data": None}
    assert relationships["mailings"] == {
        "links": {"related": f"{base}/mailings?filter[sequence][id]={sequence['id']}"}
    }
    for value in relationships.values():
        assert isinstance(value, dict)
        assert set(value) in ({"data"}, {"links"}, {"data", "links", "meta"})


def test_the_guides_prospect_mailings_link_and_a_served_related_link(api):
    prospect = api.get("/prospects/1").json()["data"]
    base = "http://sandbox.test/api/v2"
    assert prospect["relationships"]["mailings"] == {
        "links": {"related": f"{base}/mailings?filter[prospect][id]=1"}
    }
    related = prospect["relationships"]["sequenceStates"]["links"]["related"]
    assert related == f"{base}/sequenceStates?filter[prospect][id]=1"
    followed = api.get(related.removeprefix(base))
    assert followed.status_code == 200 and followed.json()["meta"]["count"] == 0
