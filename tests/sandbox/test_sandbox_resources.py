"""Resources, writes and the attributes the server computes."""

from __future__ import annotations

from sandbox_helpers import new_sequence, new_step, rel

DAY = 86400


def new_template(api, name: str = "T1", **attributes):
    body = {"type": "template", "attributes": {"name": name, "subject": "Hi", **attributes}}
    response = api.post("/templates", body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def link_template(api, step_id: int, template_id: int, is_reply: bool = False):
    body = {
        "type": "sequenceTemplate",
        "attributes": {"isReply": is_reply},
        "relationships": {
            "sequenceStep": rel("sequenceStep", step_id),
            "template": rel("template", template_id),
        },
    }
    return api.post("/sequenceTemplates", body)


def test_a_new_sequence_gets_server_defaults_and_zeroed_counters(api):
    sequence = new_sequence(api, "Inbound", tags=["seqops:inbound"])
    attrs = sequence["attributes"]
    assert attrs["enabled"] is False and attrs["enabledAt"] is None  # unset: present as null
    assert attrs["description"] is None and attrs["throttleCapacity"] is None
    assert attrs["sequenceType"] == "interval" and attrs["shareType"] == "shared"
    assert attrs["primaryReplyAction"] == "finish" and attrs["finishOnReply"] is True
    # What a real POST /sequences answers (a production connector's recorded response):
    assert attrs["secondaryReplyAction"] == "finish"
    assert attrs["scheduleIntervalType"] == "calendar" and attrs["maxActivations"] == 150
    assert sequence["relationships"]["owner"] == {"data": None}
    default_ruleset = api.get("/rulesets", params={"filter[name]": "Default ruleset"})
    (ruleset,) = default_ruleset.json()["data"]
    assert sequence["relationships"]["ruleset"] == rel("ruleset", ruleset["id"])
    assert attrs["sequenceStepCount"] == 0 and attrs["durationInDays"] == 0
    assert attrs["openCount"] == attrs["replyCount"] == attrs["bounceCount"] == 0
    assert attrs["createdAt"] == attrs["updatedAt"] and attrs["createdAt"].endswith("Z")
    assert sequence["relationships"]["sequenceSteps"] == {
        "data": [],
        "links": {
            "related": "http://sandbox.test/api/v2/sequenceSteps"
            f"?filter[sequence][id]={sequence['id']}"
        },
        "meta": {"count": 0},
    }
    states = sequence["relationships"]["sequenceStates"]  # links only, as the guide shows
    assert states == {
        "links": {
            "related": "http://sandbox.test/api/v2/sequenceStates"
            f"?filter[sequence][id]={sequence['id']}"
        }
    }
    assert sequence["links"]["self"] == f"http://sandbox.test/api/v2/sequences/{sequence['id']}"


def test_steps_compute_display_name_and_sequence_statistics(api):
    sequence = new_sequence(api)
    first = new_step(api, sequence["id"], "auto_email", interval=0)
    second = new_step(api, sequence["id"], "call", interval=DAY + 60)
    third = new_step(api, sequence["id"], "task", interval=2 * DAY)
    assert [s["attributes"]["order"] for s in (first, second, third)] == [1, 2, 3]
    assert first["attributes"]["displayName"] == "Step 1 (Auto Email)"
    assert second["attributes"]["displayName"] == "Step 2 (Call)"
    live = api.get(f"/sequences/{sequence['id']}").json()["data"]
    assert live["attributes"]["sequenceStepCount"] == 3
    assert live["attributes"]["durationInDays"] == 4  # 3 days and a minute, rounded up
    assert live["attributes"]["automationPercentage"] == round(1 / 3, 4)
    assert [r["id"] for r in live["relationships"]["sequenceSteps"]["data"]] == [
        first["id"],
        second["id"],
        third["id"],
    ]
    # Statistics are not a write to the sequence: its updatedAt does not move.
    assert live["attributes"]["updatedAt"] == sequence["attributes"]["updatedAt"]


def test_date_sequences_measure_duration_by_dates(api):
    sequence = new_sequence(api, sequenceType="date")
    new_step(api, sequence["id"], "auto_email", date="2030-01-01")
    new_step(api, sequence["id"], "call", date="2030-01-11")
    live = api.get(f"/sequences/{sequence['id']}").json()["data"]["attributes"]
    assert live["durationInDays"] == 10 and live["sequenceStepCount"] == 2


def test_updated_at_changes_on_every_write(api):
    sequence = new_sequence(api)
    stamps = [sequence["attributes"]["updatedAt"]]
    for i in range(3):
        body = {"type": "sequence", "id": sequence["id"], "attributes": {"description": f"v{i}"}}
        stamps.append(
            api.patch(f"/sequences/{sequence['id']}", body).json()["data"]["attributes"][
                "updatedAt"
            ]
        )
    stamps.append(
        api.post(f"/sequences/{sequence['id']}/actions/enable").json()["data"]["attributes"][
            "updatedAt"
        ]
    )
    assert len(set(stamps)) == len(stamps) and stamps == sorted(stamps)


def test_enable_and_disable_actions_own_the_enabled_attribute(api):
    sequence = new_sequence(api)
    enabled = api.post(f"/sequences/{sequence['id']}/actions/enable").json()["data"]["attributes"]
    assert enabled["enabled"] is True and enabled["enabledAt"] == enabled["updatedAt"]
    disabled = api.post(f"/sequences/{sequence['id']}/actions/disable").json()["data"]["attributes"]
    assert disabled["enabled"] is False and disabled["enabledAt"] is None


def test_templates_link_to_email_steps_and_derive_body_text(api):
    sequence = new_sequence(api)
    step = new_step(api, sequence["id"], "auto_email")
    template = new_template(api, bodyHtml="<p>Hello&nbsp;<b>you</b></p><p>Bye</p>")
    assert template["attributes"]["bodyText"] == "Hello\xa0you\nBye"
    assert template["attributes"]["trackOpens"] is True
    linked = link_template(api, step["id"], template["id"], is_reply=True)
    assert linked.status_code == 201
    assert linked.json()["data"]["attributes"]["isReply"] is True
    live = api.get(f"/sequenceSteps/{step['id']}").json()["data"]
    bindings = live["relationships"]["sequenceTemplates"]
    assert bindings["data"] == [{"type": "sequenceTemplate", "id": linked.json()["data"]["id"]}]
    assert bindings["meta"] == {"count": 1}


def test_include_walks_sequence_steps_templates(api):
    sequence = new_sequence(api)
    step = new_step(api, sequence["id"], "auto_email")
    new_step(api, sequence["id"], "call")
    template = new_template(api)
    link_template(api, step["id"], template["id"])
    document = api.get(
        f"/sequences/{sequence['id']}",
        params={"include": "sequenceSteps.sequenceTemplates.template,ruleset"},
    ).json()
    kinds = sorted(r["type"] for r in document["included"])
    assert kinds == ["ruleset", "sequenceStep", "sequenceStep", "sequenceTemplate", "template"]
    listed = api.get("/sequenceTemplates", params={"include": "template"}).json()
    assert [r["id"] for r in listed["included"]] == [template["id"]]


def test_sparse_fieldsets_limit_attributes_and_relationships(api):
    new_sequence(api, "A", tags=["x"], description="d")
    data = api.get("/sequences", params={"fields[sequence]": "name,tags"}).json()["data"][0]
    assert data["attributes"] == {"name": "A", "tags": ["x"]}
    assert data["relationships"] == {}


def test_filters_by_attribute_relationship_and_lists(api):
    a, b, c = (new_sequence(api, name) for name in ("alpha", "beta", "gamma"))
    new_step(api, a["id"], "call")
    new_step(api, b["id"], "task")
    new_step(api, c["id"], "call")

    def ids(url, **params):
        return [r["id"] for r in api.get(url, params=params).json()["data"]]

    assert ids("/sequences", **{"filter[name]": "beta"}) == [b["id"]]
    assert len(ids("/sequenceSteps", **{"filter[sequence][id]": f"{a['id']},{c['id']}"})) == 2
    assert len(ids("/sequenceSteps", **{"filter[stepType]": "call"})) == 2
    assert len(ids("/sequenceSteps", **{"filter[sequence][name]": "beta"})) == 1
    assert ids("/sequences", **{"filter[sequenceSteps][id]": "2"}) == [b["id"]]
    assert ids("/sequences", **{"filter[id]": f"{a['id']}..{b['id']}"}) == [a["id"], b["id"]]
    assert ids("/sequences", sort="-name") == [c["id"], b["id"], a["id"]]
    assert ids("/sequences", sort="-id") == [c["id"], b["id"], a["id"]]


def test_sequence_states_lifecycle_and_counts(api):
    sequence = new_sequence(api)
    new_step(api, sequence["id"], "call")
    pending = api.sandbox.enroll(sequence["id"], 1, state="pending")
    api.post(f"/sequences/{sequence['id']}/actions/enable")
    state = api.get(f"/sequenceStates/{pending[0]}").json()["data"]
    assert state["attributes"]["state"] == "active"  # pending prospects start on enable
    assert state["relationships"]["sequenceStep"]["data"]["type"] == "sequenceStep"
    paused = api.post(f"/sequenceStates/{state['id']}/actions/pause").json()["data"]["attributes"]
    assert paused["state"] == "paused" and paused["pauseReason"]
    resumed = api.post(f"/sequenceStates/{state['id']}/actions/resume").json()["data"]["attributes"]
    assert resumed["state"] == "active" and resumed["pauseReason"] is None
    api.sandbox.enroll(sequence["id"], 3, state="paused")
    counted = api.get(
        "/sequenceStates",
        params={
            "filter[sequence][id]": sequence["id"],
            "filter[state]": "active,paused",
            "page[size]": 1,
        },
    ).json()
    assert counted["meta"]["count"] == 4 and len(counted["data"]) == 1
    finished = api.post(f"/sequenceStates/{state['id']}/actions/finish").json()["data"][
        "attributes"
    ]
    assert finished["state"] == "finished"


def test_enrolling_over_the_api_respects_duplicate_rules(api):
    sequence = new_sequence(api)
    mailbox = api.get("/mailboxes").json()["data"][0]["id"]
    body = {
        "type": "sequenceState",
        "relationships": {
            "prospect": rel("prospect", 1),
            "sequence": rel("sequence", sequence["id"]),
            "mailbox": rel("mailbox", mailbox),
        },
    }
    created = api.post("/sequenceStates", body)
    assert created.status_code == 201
    assert created.json()["data"]["attributes"]["state"] == "pending"  # the sequence is disabled
    again = api.post("/sequenceStates", body)
    assert again.status_code == 422 and "already in sequence" in again.json()["errors"][0]["detail"]


def test_deleting_a_sequence_removes_its_steps(api):
    sequence = new_sequence(api)
    step = new_step(api, sequence["id"], "auto_email")
    template = new_template(api)
    link_template(api, step["id"], template["id"])
    assert api.delete(f"/sequences/{sequence['id']}").status_code == 204
    assert api.get(f"/sequences/{sequence['id']}").status_code == 404
    assert api.get(f"/sequenceSteps/{step['id']}").status_code == 404
    assert api.get("/sequenceTemplates").json()["meta"]["count"] == 0
    assert api.delete(f"/templates/{template['id']}").status_code == 204


def test_rulesets_accept_writable_attributes_and_stage_relationships(api):
    stage = api.get("/stages", params={"filter[name]": "Replied"}).json()["data"][0]
    priority = api.get("/taskPriorities", params={"filter[name]": "high"}).json()["data"][0]
    body = {
        "type": "ruleset",
        "attributes": {
            "name": "Strict",
            "permitDuplicateProspects": "allow",
            "applyCompletedStageIn": 3600,
        },
        "relationships": {
            "repliedStage": rel("stage", stage["id"]),
            "callTaskPriority": rel("taskPriority", priority["id"]),
        },
    }
    created = api.post("/rulesets", body)
    assert created.status_code == 201, created.text
    ruleset = created.json()["data"]
    assert ruleset["attributes"]["sequenceExclusivity"] == "none"
    sequence = new_sequence(api, "With rules")
    patched = api.patch(
        f"/sequences/{sequence['id']}",
        {
            "type": "sequence",
            "id": sequence["id"],
            "relationships": {"ruleset": rel("ruleset", ruleset["id"])},
        },
    )
    assert patched.json()["data"]["relationships"]["ruleset"] == rel("ruleset", ruleset["id"])
    assert api.delete(f"/rulesets/{ruleset['id']}").status_code == 422  # still used by the sequence


def test_generated_account_is_owned_and_linked(api):
    ids = api.sandbox.generate_account(3, 5, prefix="acct")
    sequence = api.get(f"/sequences/{ids[1]}", params={"include": "sequenceSteps"}).json()
    assert sequence["data"]["attributes"]["name"] == "acct-0001"
    assert sequence["data"]["attributes"]["tags"] == ["seqops:acct-0001"]
    assert sequence["data"]["attributes"]["sequenceStepCount"] == 5
    steps = sorted(sequence["included"], key=lambda s: s["attributes"]["order"])
    assert [s["attributes"]["stepType"] for s in steps] == [
        "auto_email",
        "call",
        "task",
        "auto_email",
        "call",
    ]
    assert all(DAY <= s["attributes"]["interval"] <= 3 * DAY for s in steps)
    templates = api.get("/templates", params={"filter[name]": "acct-0001-s4"}).json()["data"]
    assert templates[0]["attributes"]["tags"] == ["seqops:acct-0001-s4"]
    unowned = api.sandbox.generate_account(1, 2, owned=False, prefix="loose")
    assert api.get(f"/sequences/{unowned[0]}").json()["data"]["attributes"]["tags"] == []


def test_authorization_meta_on_request(api):
    sequence = new_sequence(api)
    step = new_step(api, sequence["id"])
    params = {"provideAuthorizationMeta": "true"}
    meta = api.get(f"/sequences/{sequence['id']}", params=params).json()["data"]["meta"]
    assert meta == {"canWrite": True, "canDelete": True}
    assert (
        api.get(f"/sequenceSteps/{step['id']}", params=params).json()["data"]["meta"]["canDelete"]
        is False
    )
    assert "meta" not in api.get(f"/sequences/{sequence['id']}").json()["data"]
