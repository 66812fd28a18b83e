"""Out-of-range ids, deep bodies and out-of-range numbers get JSON:API 400/404/422 answers,
never a 500 or a plain-text page."""

from __future__ import annotations

import json

import pytest
from sandbox_helpers import JSONAPI, new_sequence

HUGE = "99999999999999999999"
BODY = '{"data":{"type":"sequence","attributes":{"name":"x","maxActivations":VALUE}}}'


def assert_json_api_error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/vnd.api+json"
    (item, *_) = response.json()["errors"]
    assert {"id", "title", "detail"} <= set(item)
    return item


@pytest.mark.parametrize("huge", [HUGE, str(2**63)])
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/sequences/{}"),
        ("DELETE", "/sequences/{}"),
        ("POST", "/sequences/{}/actions/enable"),
        ("GET", "/sequenceSteps/{}"),
        ("POST", "/sequenceStates/{}/actions/pause"),
    ],
)
def test_ids_no_row_can_have_are_404(api, method, path, huge):
    response = api.request(method, path.format(huge), headers=JSONAPI)
    assert assert_json_api_error(response, 404)["id"] == "resourceNotFound"


def test_patch_of_a_huge_id_is_404(api):
    body = json.dumps({"data": {"type": "sequence", "id": int(HUGE), "attributes": {}}})
    response = api.request("PATCH", f"/sequences/{HUGE}", content=body, headers=JSONAPI)
    assert_json_api_error(response, 404)


@pytest.mark.parametrize(
    "params",
    [{"filter[id]": HUGE}, {"filter[owner][id]": HUGE}, {"filter[throttleCapacity]": HUGE}],
)
def test_huge_numbers_in_filters_are_400(api, params):
    assert_json_api_error(api.get("/sequences", params=params), 400)


def test_a_body_nested_too_deep_is_400(api):
    for depth in (40, 100_000):
        body = '{"data":' * depth + "null" + "}" * depth
        response = api.request("POST", "/sequences", content=body, headers=JSONAPI)
        assert "nested" in assert_json_api_error(response, 400)["detail"]


def test_a_deep_attribute_value_is_400_even_when_the_document_parses(api):
    value = json.loads("[" * 40 + "]" * 40)
    body = {"data": {"type": "sequence", "attributes": {"name": "x", "description": value}}}
    response = api.request("POST", "/sequences", content=json.dumps(body), headers=JSONAPI)
    assert_json_api_error(response, 400)


@pytest.mark.parametrize(
    "raw",
    ["1e23", "100000000000000000000000", "2147483648", "2.5", "1.0", "1e999", '"3"', "true"],
)
def test_integers_out_of_range_or_not_integers_are_422(api, raw):
    body = BODY.replace("VALUE", raw)
    response = api.request("POST", "/sequences", content=body, headers=JSONAPI)
    item = assert_json_api_error(response, 422)
    assert "maxActivations" in item["detail"]
    assert api.get("/sequences").json()["meta"]["count"] == 0


def test_the_largest_32_bit_integer_is_accepted(api):
    created = new_sequence(api, maxActivations=2**31 - 1)
    assert created["attributes"]["maxActivations"] == 2**31 - 1


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_400(api, constant):
    body = BODY.replace("VALUE", constant)
    response = api.request("POST", "/sequences", content=body, headers=JSONAPI)
    assert_json_api_error(response, 400)


def test_a_relationship_to_a_huge_id_is_422(api):
    body = {
        "type": "sequence",
        "attributes": {"name": "x"},
        "relationships": {"owner": {"data": {"type": "user", "id": int(HUGE)}}},
    }
    item = assert_json_api_error(api.post("/sequences", body), 422)
    assert "no user" in item["detail"]


def test_a_sandbox_bug_still_answers_a_json_api_500(api, monkeypatch):
    def broken(*args, **kwargs):
        raise OverflowError("a bug")

    monkeypatch.setattr(api.sandbox.store, "get", broken)
    item = assert_json_api_error(api.get("/sequences/1"), 500)
    assert item["id"] == "serverError" and "OverflowError" in item["detail"]
