"""The Coefficy provider over HTTP: query forms, the envelope, errors, retries, the token."""

import json

import httpx
import pytest

from seqops.config import ConfigError, Secret, SecretRef, TargetConfig
from seqops.providers.base import ProviderError
from seqops.providers.coefficy.client import CoefficyClient
from seqops.providers.coefficy.provider import COEFFICY_URL, CoefficyProvider
from seqops.sandbox.coefficy import generate_coefficy_actions

pytestmark = pytest.mark.anyio

SECRET = "s3cret-coefficy-token"


def ids(actions):
    return [a["idSequenceAction"] for a in actions]


async def test_reads_with_one_value_or_a_list(coefficy):
    first = generate_coefficy_actions(coefficy.sandbox, 801, 2)
    second = generate_coefficy_actions(coefficy.sandbox, 802, 1)
    async with coefficy.provider() as provider:
        assert ids(await provider.sequence_actions(idSequence=801)) == ids(first)
        both = await provider.sequence_actions(idSequence=[801, 802])
        assert ids(both) == ids(first + second)
        one = await provider.sequence_actions(idSequenceAction=[first[1]["idSequenceAction"]])
        assert ids(one) == [first[1]["idSequenceAction"]]
        email = first[0]["crmVisitCard"]["email"]
        assert ids(await provider.sequence_actions(email=[email])) == ids(first[:1])


async def test_an_unknown_filter_is_refused_before_any_request(coefficy):
    async with coefficy.provider() as provider:
        with pytest.raises(ValueError, match="idSequense"):
            await provider.sequence_actions(idSequense=3)


async def test_a_polling_window_under_15_minutes_is_refused_before_any_request(coefficy):
    before = coefficy.sandbox.request_count
    async with coefficy.provider() as provider:
        with pytest.raises(ProviderError, match="at least 15 minutes"):
            await provider.sequence_actions(polling_minutes=10)
        assert await provider.sequence_actions(polling_minutes=15) == []
    assert coefficy.sandbox.request_count == before + 1


async def test_a_wrong_token_is_a_one_line_error_without_the_token(coefficy):
    async with coefficy.provider(token=SECRET) as provider:
        with pytest.raises(ProviderError) as caught:
            await provider.sequence_actions()
    message = str(caught.value)
    assert "HTTP 401" in message and "x-access-token" in message
    assert "\n" not in message and SECRET not in message


def fake_api(*answers):
    """A stand-in Coefficy server answering `answers` in turn (status, body); records requests."""
    seen = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status, body = answers[min(len(seen), len(answers)) - 1]
        if isinstance(body, Exception):
            raise body
        content = body if isinstance(body, str) else json.dumps(body)
        return httpx.Response(status, content=content, headers={"content-type": "application/json"})

    client = CoefficyClient(
        "https://coefficy.test/v1", Secret(SECRET), transport=httpx.MockTransport(handle)
    )
    return CoefficyProvider(client), seen


OK = {"success": True, "parameters": {}, "result": []}


async def test_success_false_is_an_error_even_with_200():
    provider, _ = fake_api((200, {"success": False, "message": "Compte suspendu"}))
    with pytest.raises(ProviderError, match="success: false: Compte suspendu"):
        await provider.sequence_actions()


async def test_server_errors_and_dropped_connections_are_retried():
    provider, seen = fake_api((503, {}), (None, httpx.RemoteProtocolError("dropped")), (200, OK))
    assert await provider.sequence_actions(idSequence=[1, 2]) == []
    assert len(seen) == 3
    assert seen[0].headers["x-access-token"] == SECRET
    assert str(seen[0].url.params) == "idSequence%5B%5D=1&idSequence%5B%5D=2"


async def test_a_lasting_server_error_gives_up_with_the_apis_message():
    provider, seen = fake_api((500, {"success": False, "message": "Erreur interne"}))
    with pytest.raises(ProviderError, match="HTTP 500: Erreur interne"):
        await provider.sequence_actions()
    assert len(seen) == 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html>", "not JSON"),
        ({"result": []}, "envelope"),
        ({"success": True, "result": [{}]}, "not a list of"),
    ],
)
async def test_answers_that_are_not_the_envelope_are_errors(body, message):
    provider, _ = fake_api((200, body))
    with pytest.raises(ProviderError, match=message):
        await provider.sequence_actions()


async def test_an_unreachable_server_is_a_one_line_error():
    client = CoefficyClient("http://127.0.0.1:9/v1", Secret(SECRET), attempts=1)
    with pytest.raises(ProviderError, match=r"cannot reach http://127\.0\.0\.1:9/v1"):
        await CoefficyProvider(client).sequence_actions()


def test_from_target_reads_the_token_by_reference(monkeypatch):
    target = TargetConfig("cf", "coefficy", None, SecretRef("env", "CF_TEST_TOKEN"))
    with pytest.raises(ConfigError, match="CF_TEST_TOKEN"):
        CoefficyProvider.from_target(target)
    monkeypatch.setenv("CF_TEST_TOKEN", SECRET)
    provider = CoefficyProvider.from_target(target)
    assert provider.client.base_url == COEFFICY_URL
    assert SECRET not in provider.description


def test_from_target_needs_a_token():
    with pytest.raises(ConfigError, match="token"):
        CoefficyProvider.from_target(TargetConfig("cf", "coefficy", COEFFICY_URL))
