"""The sandbox's Coefficy endpoint: filters in every form, the envelope, errors, pollingSuccess."""

from __future__ import annotations

import re

import pytest

from seqops.sandbox.coefficy import (
    FILTERS,
    OUTCOMES,
    generate_coefficy_actions,
    minutes_ago,
    update_action,
)

pytestmark = pytest.mark.anyio

PATH = "/sequence/action"
PARAMETERS = [*FILTERS, "pollingSuccess"]


def distinct_values(i: int) -> dict:
    """Filter values that no seeded action has, different for each i."""
    return {
        "idSequence": 900 + i,
        "idNewsletter": 70 + i,
        "idSequenceType": 10 + i,
        "idCrmVisitCard": 200_000 + i,
        "email": f"contact{i}@filters.example",
        "idCompany": 600 + i,
        "siren": f"90000000{i}",
        "idUserResponsable": 30 + i,
        "idCampaign": 40 + i,
    }


@pytest.fixture
def three(coefficy):
    """Three actions with distinct values for every filter: {i: (action, values)}."""
    made = {}
    for i in (1, 2, 3):
        v = distinct_values(i)
        card = {"idCrmVisitCard": v["idCrmVisitCard"], "email": v["email"]}
        card |= {"idCompany": v["idCompany"], "siren": v["siren"]}
        (action,) = generate_coefficy_actions(
            coefficy.sandbox,
            v["idSequence"],
            1,
            idNewsletter=v["idNewsletter"],
            _idSequenceType=v["idSequenceType"],
            idCrmVisitCard=v["idCrmVisitCard"],
            crmVisitCard=card,
            idUserResponsable=v["idUserResponsable"],
            idCampaign=v["idCampaign"],
        )
        made[i] = (action, v | {"idSequenceAction": action["idSequenceAction"]})
    return made


async def get(box, query: str, token: str | None = "coefficy-token"):
    async with box.http(token) as http:
        return await http.get(f"{PATH}?{query}" if query else PATH)


def ids(response) -> list[int]:
    return [a["idSequenceAction"] for a in response.json()["result"]]


@pytest.mark.parametrize("name", FILTERS)
async def test_each_filter_in_scalar_form(coefficy, three, name):
    value = three[2][1][name]
    response = await get(coefficy, f"{name}={value}")
    assert response.status_code == 200
    assert ids(response) == [three[2][0]["idSequenceAction"]]
    assert response.json()["parameters"][name] == value


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("form", ["brackets", "repeated", "indexed"])
async def test_each_filter_in_array_forms(coefficy, three, name, form):
    values = [three[1][1][name], three[3][1][name]]
    keys = {
        "brackets": [f"{name}[]"] * 2,
        "repeated": [name] * 2,
        "indexed": [f"{name}[0]", f"{name}[1]"],
    }
    query = "&".join(f"{k}={v}" for k, v in zip(keys[form], values, strict=True))
    response = await get(coefficy, query)
    assert response.status_code == 200
    assert ids(response) == [three[1][0]["idSequenceAction"], three[3][0]["idSequenceAction"]]
    assert response.json()["parameters"][name] == values


async def test_a_single_bracketed_value_is_echoed_as_a_list(coefficy, three):
    response = await get(coefficy, f"idSequence[]={three[1][1]['idSequence']}")
    assert response.json()["parameters"]["idSequence"] == [three[1][1]["idSequence"]]
    assert ids(response) == [three[1][0]["idSequenceAction"]]


async def test_comma_separated_integers_are_a_list(coefficy, three):
    response = await get(coefficy, "idCampaign=41,43")
    assert response.json()["parameters"]["idCampaign"] == [41, 43]
    assert ids(response) == [three[1][0]["idSequenceAction"], three[3][0]["idSequenceAction"]]


async def test_filters_combine_with_and(coefficy, three):
    response = await get(coefficy, "idSequence[]=901&idSequence[]=902&idUserResponsable=32")
    assert ids(response) == [three[2][0]["idSequenceAction"]]


async def test_the_envelope_echoes_every_parameter_null_when_absent(coefficy):
    response = await get(coefficy, "")
    body = response.json()
    assert response.status_code == 200
    assert list(body) == ["success", "parameters", "result"]
    assert body["success"] is True
    assert list(body["parameters"]) == PARAMETERS
    assert all(value is None for value in body["parameters"].values())
    assert len(body["result"]) >= 1  # the baseline seed


async def test_actions_carry_exactly_the_seed_fields(coefficy, reference_dir):
    seed = (reference_dir / "coefficy-sequence-action.txt").read_text()
    result_part = seed[seed.index('"result": [') + len('"result": [') :]
    expected = set(re.findall(r'^"(\w+)":', result_part, flags=re.MULTILINE))
    response = await get(coefficy, "")
    for action in response.json()["result"]:
        assert set(action) == expected


@pytest.mark.parametrize("token", [None, "wrong-token"])
async def test_a_missing_or_wrong_token_is_401_in_the_envelope(coefficy, token):
    response = await get(coefficy, "", token=token)
    assert response.status_code == 401
    assert response.json()["success"] is False
    assert "x-access-token" in response.json()["message"]


async def test_a_bearer_token_is_not_coefficy_auth(coefficy):
    async with coefficy.http(token=None) as http:
        response = await http.get(PATH, headers={"authorization": "Bearer coefficy-token"})
    assert response.status_code == 401


@pytest.mark.parametrize("query", ["pollingSuccess=14", "pollingSuccess=0", "pollingSuccess=abc"])
async def test_polling_success_under_15_minutes_is_400(coefficy, query):
    response = await get(coefficy, query)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert "15" in body["message"]


@pytest.mark.parametrize("query", ["idSequence=abc", "idSequence[]=1&idSequence[]=x"])
async def test_a_non_integer_filter_is_400(coefficy, query):
    response = await get(coefficy, query)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert "idSequence" in response.json()["message"]


async def test_polling_success_keeps_recent_successes_only(coefficy):
    recent, old, running = generate_coefficy_actions(
        coefficy.sandbox, 950, 3, outcomes=("succeeded", "succeeded", "started")
    )
    update_action(coefficy.sandbox, recent["idSequenceAction"], successDate=minutes_ago(10))
    update_action(coefficy.sandbox, old["idSequenceAction"], successDate=minutes_ago(40))
    response = await get(coefficy, "idSequence=950&pollingSuccess=15")
    assert ids(response) == [recent["idSequenceAction"]]
    assert response.json()["parameters"]["pollingSuccess"] is True
    wider = await get(coefficy, "idSequence=950&pollingSuccess=60")
    assert ids(wider) == [recent["idSequenceAction"], old["idSequenceAction"]]
    assert running["success"] is None


async def test_the_demo_has_actions_in_every_outcome_with_automations_executed(coefficy_demo):
    response = await get(coefficy_demo, "")
    actions = response.json()["result"]
    assert any(not a["isEnded"] for a in actions)
    for flag in ("success", "failure", "isEnded", "userStopped"):
        assert any(a[flag] for a in actions), flag
    executed = [k for a in actions for k, v in a.items() if k.endswith("Executed") and v]
    assert len(set(executed)) == 16  # every automation family has executed somewhere
    recent = await get(coefficy_demo, "pollingSuccess=15")
    assert ids(recent), "the demo has recent successes for status --since 15m"


def test_generated_outcomes_are_the_documented_ones():
    assert OUTCOMES == ("started", "succeeded", "failed", "ended", "stopped")
