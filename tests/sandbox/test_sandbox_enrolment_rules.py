"""The seed's enrolment rules on `POST /sequenceStates`: each refusal is a 422 naming its rule."""

from __future__ import annotations

import itertools

import pytest
from sandbox_helpers import new_sequence, new_step, rel

NUMBERS = itertools.count(1)


def ruleset(api, **attributes) -> int:
    body = {"type": "ruleset", "attributes": {"name": f"Rules {next(NUMBERS)}", **attributes}}
    response = api.post("/rulesets", body)
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


def sequence_with(api, rules: int | None = None, **attributes) -> int:
    sequence = new_sequence(api, f"Sequence {next(NUMBERS)}", **attributes)
    if rules is not None:
        body = {"type": "sequence", "id": sequence["id"], "relationships": {}}
        body["relationships"]["ruleset"] = rel("ruleset", rules)
        assert api.patch(f"/sequences/{sequence['id']}", body).status_code == 200
    return sequence["id"]


def enrol(api, sequence_id: int, prospect_id: int = 1):
    mailbox = api.get("/mailboxes").json()["data"][0]["id"]
    body = {
        "type": "sequenceState",
        "relationships": {
            "prospect": rel("prospect", prospect_id),
            "sequence": rel("sequence", sequence_id),
            "mailbox": rel("mailbox", mailbox),
        },
    }
    return api.post("/sequenceStates", body)


def refused_by(response) -> list[str]:
    assert response.status_code == 422, response.text
    return [e["meta"]["rule"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "first, second, allowed",
    [
        ("all_sequences", "none", False),
        ("none", "all_sequences", False),
        ("all_sequences", "all_sequences", False),
        ("exclusive_sequences", "exclusive_sequences", False),
        ("exclusive_sequences", "none", True),
        ("none", "exclusive_sequences", True),
        ("none", "none", True),
    ],
)
def test_sequence_exclusivity(api, first, second, allowed):
    a = sequence_with(api, ruleset(api, sequenceExclusivity=first))
    b = sequence_with(api, ruleset(api, sequenceExclusivity=second))
    assert enrol(api, a).status_code == 201
    second_enrolment = enrol(api, b)
    if allowed:
        assert second_enrolment.status_code == 201
    else:
        assert refused_by(second_enrolment) == ["sequenceExclusivity"]
        detail = second_enrolment.json()["errors"][0]["detail"]
        assert detail.startswith("sequenceExclusivity: prospect 1 is active in sequence")
    assert enrol(api, b, prospect_id=2).status_code == 201  # other prospects are unaffected


def test_exclusivity_ends_when_the_prospect_finishes(api):
    exclusive = ruleset(api, sequenceExclusivity="exclusive_sequences")
    a, b = sequence_with(api, exclusive), sequence_with(api, exclusive)
    api.post(f"/sequences/{a}/actions/enable")
    state = enrol(api, a).json()["data"]["id"]
    assert refused_by(enrol(api, b)) == ["sequenceExclusivity"]
    assert api.post(f"/sequenceStates/{state}/actions/finish").status_code == 200
    assert enrol(api, b).status_code == 201


@pytest.mark.parametrize(
    "policy, finish_first, allowed",
    [
        ("disallow", False, False),
        ("disallow", True, False),
        ("only_if_inactive", False, False),
        ("only_if_inactive", True, True),
        ("allow", False, True),
    ],
)
def test_permit_duplicate_prospects(api, policy, finish_first, allowed):
    sequence = sequence_with(api, ruleset(api, permitDuplicateProspects=policy))
    api.post(f"/sequences/{sequence}/actions/enable")
    state = enrol(api, sequence).json()["data"]["id"]
    if finish_first:
        api.post(f"/sequenceStates/{state}/actions/finish")
    again = enrol(api, sequence)
    if allowed:
        assert again.status_code == 201
    else:
        assert refused_by(again) == ["permitDuplicateProspects"]


def test_without_a_ruleset_duplicates_are_refused(api):
    sequence = sequence_with(api)
    assert enrol(api, sequence).status_code == 201
    assert refused_by(enrol(api, sequence)) == ["permitDuplicateProspects"]


def opted_out_prospect(api, **flags) -> int:
    prospect = api.get("/prospects").json()["data"][0]["id"]
    body = {"type": "prospect", "id": prospect, "attributes": flags}
    assert api.patch(f"/prospects/{prospect}", body).status_code == 200
    return prospect


def test_email_opt_out_refused_unless_transactional_or_the_ruleset_adds(api):
    prospect = opted_out_prospect(api, emailOptedOut=True)
    plain = sequence_with(api)
    assert refused_by(enrol(api, plain, prospect)) == ["emailOptOutAction"]
    assert enrol(api, sequence_with(api, transactional=True), prospect).status_code == 201
    adds = sequence_with(api, ruleset(api, emailOptOutAction="add"))
    assert enrol(api, adds, prospect).status_code == 201
    skips = sequence_with(api, ruleset(api, emailOptOutAction="skip"))
    assert refused_by(enrol(api, skips, prospect)) == ["emailOptOutAction"]


def test_call_opt_out_matters_only_with_call_steps(api):
    prospect = opted_out_prospect(api, callOptedOut=True)
    without_calls = sequence_with(api)
    new_step(api, without_calls, "task")
    assert enrol(api, without_calls, prospect).status_code == 201
    with_calls = sequence_with(api)
    new_step(api, with_calls, "call")
    assert refused_by(enrol(api, with_calls, prospect)) == ["callOptOutAction"]
    adds = sequence_with(api, ruleset(api, callOptOutAction="add"))
    new_step(api, adds, "call")
    assert enrol(api, adds, prospect).status_code == 201


def test_opted_out_of_everything_breaks_both_rules_at_once(api):
    prospect = opted_out_prospect(api, optedOut=True)
    sequence = sequence_with(api)
    new_step(api, sequence, "call")
    assert sorted(refused_by(enrol(api, sequence, prospect))) == [
        "callOptOutAction",
        "emailOptOutAction",
    ]


def test_the_seed_has_an_email_opted_out_prospect(api):
    listed = api.get("/prospects", params={"page[size]": 1000}).json()["data"]
    opted = [p["id"] for p in listed if p["attributes"]["emailOptedOut"]]
    assert len(opted) == 1
    assert refused_by(enrol(api, sequence_with(api), opted[0])) == ["emailOptOutAction"]
