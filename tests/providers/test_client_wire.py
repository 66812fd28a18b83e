"""Wire-level behaviour the sandbox does not emit: odd pagination links, merged rate-limit
headers, lost responses. `httpx.MockTransport` stands in for a misbehaving server only."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from seqops.config import Secret
from seqops.providers.outreach import ApiError, AuthError, JsonApiClient, StaticToken
from seqops.providers.outreach.ratelimit import header_number, retry_after, seconds_until_reset

pytestmark = pytest.mark.anyio
BASE = "https://api.example.test/api/v2"


def client_for(handler, **kwargs) -> JsonApiClient:
    kwargs.setdefault("wait_initial", 0.001)
    kwargs.setdefault("wait_max", 0.01)
    kwargs.setdefault("wait_jitter", 0.001)
    auth = StaticToken(Secret("canary-token-0123456789"))
    return JsonApiClient(BASE, auth, transport=httpx.MockTransport(handler), **kwargs)


def page(rows, next_link=None, **extra) -> httpx.Response:
    document = {"data": [{"type": "user", "id": i} for i in rows], **extra}
    if next_link is not None:
        document["links"] = {"next": next_link}
    return httpx.Response(200, json=document)


async def test_pages_follow_absolute_relative_and_link_object_forms():
    links = {
        None: f"{BASE}/users?page[after]=a",
        "a": "/api/v2/users?page[after]=b",
        "b": {"href": f"{BASE}/users?page[after]=c"},
        "c": None,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("page[after]")
        return page([ord(cursor or "0")], links[cursor])

    client = client_for(handler)
    rows = await client.list_all("/users")
    assert [r["id"] for r in rows] == [ord("0"), ord("a"), ord("b"), ord("c")]
    assert client.request_count == 4
    assert client.requests["GET /users"] == 4


async def test_first_page_asks_for_1000_rows():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params.get("page[size]"))
        return page([1])

    await client_for(handler).list_all("/users", {"filter[name]": "x"})
    assert seen == ["1000"]


async def test_empty_pages_and_a_repeated_next_link_end_without_looping():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page[after]") == "loop":
            return page([], f"{BASE}/users?page[after]=loop")
        return page([], f"{BASE}/users?page[after]=loop", meta={"count": 0})

    client = client_for(handler)
    assert await client.list_all("/users") == []
    assert client.request_count == 2


async def test_endless_new_next_links_are_refused_not_read_as_a_short_listing():
    def handler(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("page[after]", 0))
        return page([after], f"{BASE}/users?page[after]={after + 1}")

    client = client_for(handler, max_pages=5)
    with pytest.raises(ApiError, match=r"GET /users: still more after 5 pages"):
        await client.list_all("/users")
    assert client.request_count == 5


async def test_a_listing_of_exactly_max_pages_is_read_whole():
    def handler(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("page[after]", 0))
        return page([after], f"{BASE}/users?page[after]={after + 1}" if after < 4 else None)

    rows = await client_for(handler, max_pages=5).list_all("/users")
    assert [r["id"] for r in rows] == [0, 1, 2, 3, 4]


async def test_missing_links_and_null_data_end_pagination():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": None, "links": {"next": ""}})

    client = client_for(handler)
    assert await client.list_all("/users") == []
    assert client.request_count == 1


async def test_429_waits_as_the_server_says_then_succeeds():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"retry-after": "0.05"}, json={"errors": []})
        return page([1])

    client = client_for(handler)
    assert len(await client.list_all("/users")) == 1
    assert len(calls) == 2


async def test_5xx_and_dropped_connections_are_retried_for_reads():
    outcomes = iter(["drop", 503, "connect", 200])

    def handler(request: httpx.Request) -> httpx.Response:
        outcome = next(outcomes)
        if outcome == "drop":
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        if outcome == "connect":
            raise httpx.ConnectError("refused", request=request)
        return page([7]) if outcome == 200 else httpx.Response(outcome)

    client = client_for(handler)
    assert [r["id"] for r in await client.list_all("/users")] == [7]
    assert client.request_count == 4


async def test_retries_give_up_with_a_clear_error():
    client = client_for(lambda request: httpx.Response(500), attempts=3)
    with pytest.raises(ApiError, match="gave up after retries"):
        await client.get("/users")
    assert client.request_count == 3


async def test_post_not_sent_is_retried_without_recovery():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(201, json={"data": {"type": "template", "id": 5}})

    async def recover():
        raise AssertionError("a request that was never sent needs no recovery")

    created = await client_for(handler).post("/templates", {"data": {}}, recover=recover)
    assert created["data"]["id"] == 5
    assert calls == ["POST", "POST"]


async def test_post_whose_response_was_lost_is_recovered_not_resent():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise httpx.ReadTimeout("no response", request=request)

    async def recover():
        return {"data": {"type": "template", "id": 9}}

    created = await client_for(handler).post("/templates", {"data": {}}, recover=recover)
    assert created["data"]["id"] == 9
    assert calls == ["POST"]


async def test_post_resent_only_after_recovery_finds_nothing():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            return httpx.Response(502)
        return httpx.Response(201, json={"data": {"type": "template", "id": 3}})

    lookups = []

    async def recover():
        lookups.append(1)
        return None

    created = await client_for(handler).post("/templates", {"data": {}}, recover=recover)
    assert created["data"]["id"] == 3
    assert calls == ["POST", "POST"] and lookups == [1]


async def test_post_without_recovery_is_not_resent_after_a_lost_response():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise httpx.RemoteProtocolError("dropped", request=request)

    with pytest.raises(ApiError, match="may have been applied"):
        await client_for(handler).post("/templates", {"data": {}})
    assert calls == ["POST"]


async def test_4xx_errors_carry_the_api_detail_and_are_not_retried():
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"errors": [{"id": "validationError", "title": "Validation Error", "detail": "bad"}]}
        return httpx.Response(422, json=body)

    client = client_for(handler)
    with pytest.raises(ApiError, match="422 Validation Error: bad") as info:
        await client.patch("/sequences/1", {"data": {}})
    assert info.value.status == 422
    assert client.request_count == 1


async def test_writes_send_the_jsonapi_media_type():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.headers.get("content-type"), json.loads(request.content)))
        return httpx.Response(200, json={"data": {"type": "sequence", "id": 1}})

    await client_for(handler).patch("/sequences/1", {"data": {"type": "sequence", "id": 1}})
    assert seen == [("application/vnd.api+json", {"data": {"type": "sequence", "id": 1}})]


async def test_static_token_401_is_final_and_secret_free(caplog):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"errors": [{"detail": "bad token"}]})

    client = client_for(handler)
    caplog.set_level(logging.DEBUG, logger="seqops")
    with pytest.raises(AuthError) as info:
        await client.get("/users", {"access_token": "canary-token-0123456789"})
    text = caplog.text + str(info.value) + repr(info.value) + repr(client) + repr(client.auth)
    assert "canary-token-0123456789" not in text
    assert "GET /api/v2/users?access_token=*** 401" in caplog.text
    assert str(info.value) == "GET /users: 401 from api.example.test: the token was refused"


def test_remaining_header_with_two_numbers_paces_by_the_smaller():
    assert header_number("9999, 42") == 42
    assert header_number("7") == 7
    assert header_number("") is None
    assert header_number("n/a") is None


def test_reset_accepts_seconds_and_epoch_timestamps():
    assert seconds_until_reset({"x-ratelimit-reset": "30"}) == 30
    assert seconds_until_reset({"x-ratelimit-reset": "1700000060"}, now=1700000000) == 60
    assert seconds_until_reset({"x-ratelimit-reset": "1699999999"}, now=1700000000) == -1
    assert retry_after({"retry-after": "2"}) == 2
    assert retry_after({"x-ratelimit-reset": "5"}) is None  # the reset is not a Retry-After
    assert retry_after({}) is None


async def test_a_truncated_body_is_retried_like_a_dropped_connection():
    bodies = iter([b'{"data": [', b'{"data": []}'])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=next(bodies))

    client = client_for(handler)
    assert await client.list_all("/users") == []
    assert client.request_count == 2


async def test_a_client_shows_its_target_and_how_many_requests_it_sent():
    client = client_for(lambda request: page([1]))
    assert repr(client) == "JsonApiClient('https://api.example.test/api/v2/', requests=0)"
    await client.get("/users")
    await client.get("/users/1")
    assert repr(client) == "JsonApiClient('https://api.example.test/api/v2/', requests=2)"
    assert client.page_size == 1000 and client_for(None, page_size=250).page_size == 250


async def test_an_empty_answer_is_no_document():
    """A 204 (an action, a delete) or an empty 200 reads as nothing: `get` gives `{}`, an
    action `None`."""
    answers = iter([httpx.Response(204), httpx.Response(200, content=b""), httpx.Response(204)])
    client = client_for(lambda request: next(answers))
    assert await client.action("/sequences/1/actions/activate") is None
    assert await client.get("/users/1") == {}
    assert await client.delete("/templates/1") is None


@pytest.mark.parametrize("body", [b"[]", b'"ok"', b"3"])
async def test_json_that_is_no_jsonapi_document_is_refused_naming_the_request(body):
    client = client_for(lambda request: httpx.Response(200, content=body))
    with pytest.raises(ApiError) as info:
        await client.get("/users/1")
    assert str(info.value) == (
        "GET /users/1: api.example.test answered JSON that is not a JSON:API document"
    )
    assert client.request_count == 1  # not retried: asking again would get the same


async def test_the_first_page_of_a_listing_asks_for_its_count_at_the_page_size():
    """Unlike `pages`, `first_page` wants `meta.count`: it does not send `count=false`."""
    seen: list[httpx.QueryParams] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params)
        return httpx.Response(200, json={"data": [], "meta": {"count": 0}})

    document = await client_for(handler, page_size=500).first_page("/sequenceStates", {"a": 1})
    assert document == {"data": [], "meta": {"count": 0}}
    assert [dict(p) for p in seen] == [{"a": "1", "page[size]": "500"}]
