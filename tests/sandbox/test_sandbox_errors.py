"""Errors shaped as the real API shapes them: `errors[{id, title, detail}]` with its status."""

from __future__ import annotations

import json

import pytest
from sandbox_helpers import new_sequence, new_step, rel


def problems(response) -> list[str]:
    return [e["detail"] for e in response.json()["errors"]]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_401_without_or_with_a_wrong_bearer_token(make_client, token):
    response = make_client(token=token).get("/sequences")
    assert response.status_code == 401
    assert response.json()["errors"][0]["id"] == "unauthorizedOauthToken"
    limit = int(response.headers["x-ratelimit-limit"])
    assert response.headers["x-ratelimit-remaining"] == f"{limit}, {2 * limit}"  # nothing spent


def test_404_for_unknown_ids_and_paths(api):
    assert api.get("/sequences/999").status_code == 404
    assert api.get("/sequences/999").json()["errors"][0]["id"] == "resourceNotFound"
    for response in (api.get("/nothingHere"), api.post("/sequences/1/actions/explode")):
        assert response.status_code == 404
        assert response.json()["errors"] == [
            {
                "id": "routeNotFound",
                "title": "Route Not Found",
                "detail": "The request path does not match any known resource endpoints.",
            }
        ]  # as the real API answers (a production connector's recording)


def test_steps_cannot_be_deleted_and_task_priorities_are_read_only(api):
    sequence = new_sequence(api)
    step = new_step(api, sequence["id"])
    assert api.delete(f"/sequenceSteps/{step['id']}").status_code == 405
    assert (
        api.post(
            "/taskPriorities", {"type": "taskPriority", "attributes": {"name": "x"}}
        ).status_code
        == 405
    )


def test_415_when_a_write_is_not_json_api(api):
    body = json.dumps({"data": {"type": "sequence", "attributes": {"name": "x"}}})
    for headers in ({"content-type": "application/json"}, {}):
        response = api.request("POST", "/sequences", content=body, headers=headers)
        assert response.status_code == 415
        assert response.json()["errors"] == [
            {
                "id": "unsupportedMediaType",
                "title": "Unsupported Media Type",
                "details": "Expected Content-Type header to be 'application/vnd.api+json'.",
            }
        ]  # `details`, as Outreach's "Making requests" guide spells it
    assert api.get("/sequences").json()["meta"]["count"] == 0


def test_422_lists_every_invalid_attribute(api):
    attributes = {
        "name": "x" * 256,
        "sequenceType": "weekly",
        "shareType": "public",
        "primaryReplyAction": "stop",
        "description": 42,
        "colour": "red",
        "enabled": True,
    }
    response = api.post("/sequences", {"type": "sequence", "attributes": attributes})
    assert response.status_code == 422
    pointers = sorted(e["source"]["pointer"].rsplit("/", 1)[1] for e in response.json()["errors"])
    assert pointers == sorted(attributes)
    assert "too long (maximum is 255 characters)" in " ".join(problems(response))


def test_template_names_follow_the_spec_limit_of_225(api):
    ok = api.post("/templates", {"type": "template", "attributes": {"name": "t" * 225}})
    too_long = api.post("/templates", {"type": "template", "attributes": {"name": "t" * 226}})
    assert (ok.status_code, too_long.status_code) == (201, 422)


def test_reply_actions_take_the_documented_values(api):
    sequence = new_sequence(api, primaryReplyAction="pause", primaryReplyPauseDuration=3600)
    assert sequence["attributes"]["primaryReplyAction"] == "pause"
    assert sequence["attributes"]["finishOnReply"] is False


def test_422_for_schedule_that_does_not_fit_the_sequence_type(api):
    interval_sequence = new_sequence(api)
    date_sequence = new_sequence(api, "dated", sequenceType="date")

    def step(sequence_id, **attributes):
        body = {
            "type": "sequenceStep",
            "attributes": {"stepType": "call", **attributes},
            "relationships": {"sequence": rel("sequence", sequence_id)},
        }
        return api.post("/sequenceSteps", body)

    assert step(date_sequence["id"], interval=3600).status_code == 422
    assert step(date_sequence["id"]).status_code == 422  # a date step needs its date
    assert step(interval_sequence["id"], date="2030-01-01").status_code == 422
    assert step(interval_sequence["id"], interval=-5).status_code == 422
    assert step(date_sequence["id"], date="2030-01-01").status_code == 201


def test_422_for_unknown_or_missing_relationships(api):
    body = {"type": "sequenceStep", "attributes": {"stepType": "call"}}
    missing = api.post("/sequenceSteps", body)
    assert missing.status_code == 422 and problems(missing) == ["sequence is required."]
    unknown = api.post(
        "/sequenceSteps", body | {"relationships": {"sequence": rel("sequence", 4242)}}
    )
    assert unknown.status_code == 422 and "no sequence with id 4242" in problems(unknown)[0]
    wrong_type = api.post("/sequenceSteps", body | {"relationships": {"sequence": rel("user", 1)}})
    assert wrong_type.status_code == 422


def test_422_for_templates_on_non_email_steps_and_taken_orders(api):
    sequence = new_sequence(api)
    call = new_step(api, sequence["id"], "call")
    template = api.post("/templates", {"type": "template", "attributes": {"name": "t"}}).json()[
        "data"
    ]
    body = {
        "type": "sequenceTemplate",
        "relationships": {
            "sequenceStep": rel("sequenceStep", call["id"]),
            "template": rel("template", template["id"]),
        },
    }
    assert api.post("/sequenceTemplates", body).status_code == 422
    clash = api.post(
        "/sequenceSteps",
        {
            "type": "sequenceStep",
            "attributes": {"stepType": "task", "order": 1},
            "relationships": {"sequence": rel("sequence", sequence["id"])},
        },
    )
    assert clash.status_code == 422 and "already taken" in problems(clash)[0]


def test_read_only_attributes_and_relationships_are_rejected(api):
    sequence = new_sequence(api)
    for attributes in (
        {"enabled": True},
        {"sequenceStepCount": 3},
        {"createdAt": "2020-01-01T00:00:00Z"},
    ):
        body = {"type": "sequence", "id": sequence["id"], "attributes": attributes}
        assert api.patch(f"/sequences/{sequence['id']}", body).status_code == 422
    step = new_step(api, sequence["id"])
    other = new_sequence(api, "other")
    move = {
        "type": "sequenceStep",
        "id": step["id"],
        "relationships": {"sequence": rel("sequence", other["id"])},
    }
    assert api.patch(f"/sequenceSteps/{step['id']}", move).status_code == 422
    assert api.get(f"/sequences/{sequence['id']}").json()["data"]["attributes"]["enabled"] is False


def test_422_deleting_a_sequence_with_active_prospects(api):
    sequence = new_sequence(api)
    new_step(api, sequence["id"])
    api.sandbox.enroll(sequence["id"], 2)
    response = api.delete(f"/sequences/{sequence['id']}")
    assert response.status_code == 422 and "2 active or paused" in problems(response)[0]
    assert api.get(f"/sequences/{sequence['id']}").status_code == 200


def test_422_finishing_or_pausing_a_state_that_is_not_active(api):
    sequence = new_sequence(api)
    new_step(api, sequence["id"])
    [paused] = api.sandbox.enroll(sequence["id"], 1, state="paused")
    assert api.post(f"/sequenceStates/{paused}/actions/finish").status_code == 422
    assert api.post(f"/sequenceStates/{paused}/actions/pause").status_code == 422
    assert api.post(f"/sequenceStates/{paused}/actions/resume").status_code == 200
    assert api.post(f"/sequenceStates/{paused}/actions/resume").status_code == 422


def test_malformed_bodies_and_mismatched_ids(api):
    sequence = new_sequence(api)
    garbage = api.request(
        "POST", "/sequences", content=b"{nope", headers={"content-type": "application/vnd.api+json"}
    )
    assert garbage.status_code == 400
    assert (
        api.post("/sequences", {"type": "template", "attributes": {"name": "x"}}).status_code == 409
    )
    body = {"type": "sequence", "id": sequence["id"] + 1, "attributes": {"name": "x"}}
    assert api.patch(f"/sequences/{sequence['id']}", body).status_code == 409


@pytest.mark.parametrize(
    "params",
    [
        {"page[size]": "1001"},
        {"page[size]": "0"},
        {"page[offset]": "50"},
        {"page[after]": "not-a-cursor"},
        {"sort": "description"},
        {"filter[description]": "x"},
        {"filter[tags]": "x"},
        {"filter[nope][id]": "1"},
        {"fields[sequence]": "nope"},
        {"include": "calls.nope"},
        {"filter[id]": "abc"},
    ],
)
def test_400_for_list_parameters_the_api_does_not_support(api, params):
    response = api.get("/sequences", params=params)
    assert response.status_code == 400, params
    assert response.json()["errors"][0]["id"] == "badRequest"
