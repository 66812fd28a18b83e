"""The network as it is: pages too big for the gateway, next links to other hosts, rate
limits with skewed clocks, refusals that must reach the user. Servers on 127.0.0.1 where the
socket matters; `httpx.MockTransport` where only the answers do."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time

import httpx
import pytest

from seqops.config import Secret
from seqops.providers.base import Unreachable
from seqops.providers.outreach import ApiError, JsonApiClient, StaticToken
from seqops.providers.outreach.ratelimit import Budget, RatePolicy
from seqops.sandbox.hostile import HTML_502, Recorder, running

pytestmark = pytest.mark.anyio
BASE = "https://api.example.test/api/v2"
TOKEN = "canary-hostile-token-4f2a9"
QUICK = RatePolicy(skew_margin=0.1, minimum=0.2, floor=0.05, backoff_max=1.0)


def client_for(handler, base: str = BASE, **kwargs) -> JsonApiClient:
    kwargs.setdefault("wait_initial", 0.001)
    kwargs.setdefault("wait_max", 0.01)
    kwargs.setdefault("wait_jitter", 0.001)
    kwargs.setdefault("rate_policy", QUICK)
    transport = kwargs.pop("transport", None) or httpx.MockTransport(handler)
    return JsonApiClient(base, StaticToken(Secret(TOKEN)), transport=transport, **kwargs)


def jsonapi(status: int, document: dict, headers: dict | None = None) -> httpx.Response:
    headers = {"content-type": "application/vnd.api+json", **(headers or {})}
    return httpx.Response(status, content=json.dumps(document).encode(), headers=headers)


def rows(*ids: int) -> list[dict]:
    return [{"type": "template", "id": i, "attributes": {}} for i in ids]


# --- adaptive page size -------------------------------------------------------------------


async def test_a_page_too_big_for_the_gateway_is_asked_again_smaller_from_the_same_cursor():
    asked: list[tuple[str, str | None, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        size = request.url.params["page[size]"]
        after = request.url.params.get("page[after]")
        asked.append((size, after, request.url.params.get("count")))
        if int(size) > 250:
            return httpx.Response(502, content=HTML_502, headers={"content-type": "text/html"})
        if after is None:
            return jsonapi(
                200,
                {
                    "data": rows(1, 2),
                    "links": {"next": f"{BASE}/templates?page%5Bsize%5D=1000&page%5Bafter%5D=c2"},
                },
            )
        return jsonapi(200, {"data": rows(3)})

    client = client_for(handler, breaker_window=0.0)
    listed = await client.list_all("/templates")

    assert [r["id"] for r in listed] == [1, 2, 3]
    sizes = [(size, after) for size, after, _ in asked]
    assert sizes == [("1000", None), ("500", None), ("250", None), ("250", "c2")]
    assert {count for _, _, count in asked} == {"false"}  # every listing page says count=false
    assert not client.breaker.is_open
    assert client.page_sizes.of("users") == 1000  # only the collection that failed shrinks


async def test_at_the_smallest_page_a_failing_listing_is_an_error_naming_the_host():
    client = client_for(lambda r: httpx.Response(502, content=HTML_502), attempts=2)
    with pytest.raises(ApiError, match=r"GET /templates: 502 Bad Gateway from api.example.test"):
        await client.list_all("/templates")
    assert client.page_sizes.of("templates") == 100


class SlowBigPages(httpx.AsyncBaseTransport):
    """Pages above 250 rows take longer than the deadline; everything else answers at once."""

    def __init__(self) -> None:
        self.sizes: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        size = request.url.params.get("page[size]", "1")
        self.sizes.append(f"{request.url.path.rsplit('/', 1)[-1]}:{size}")
        if int(size) > 250:
            await asyncio.sleep(5)
        return jsonapi(200, {"data": rows(1)})


async def test_a_page_that_times_out_while_the_host_answers_others_is_asked_smaller():
    transport = SlowBigPages()
    client = client_for(None, transport=transport, timeout=0.3, breaker_window=0.3)

    async def ping() -> None:
        for _ in range(12):
            await client.get("/users/1")
            await asyncio.sleep(0.05)

    listed, _ = await asyncio.gather(client.list_all("/templates"), ping())

    assert len(listed) == 1
    assert [s for s in transport.sizes if s.startswith("templates")] == [
        "templates:1000",
        "templates:500",
        "templates:250",
    ]
    assert not client.breaker.is_open


# --- next links stay on the target ------------------------------------------------------


class Paging:
    """A first page whose next link points wherever the test says."""

    def __init__(self, next_link: str) -> None:
        self.next_link = next_link

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = json.dumps({"data": rows(1), "links": {"next": self.next_link}}).encode()
        head = [
            (b"content-type", b"application/vnd.api+json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": body})


async def test_a_next_link_to_another_host_is_refused_and_the_token_never_leaves():
    recorder = Recorder()
    paging = Paging("")
    with running(recorder) as elsewhere, running(paging) as target:
        paging.next_link = f"{elsewhere}/api/v2/templates?page%5Bafter%5D=x"
        client = client_for(None, base=f"{target}/api/v2", transport=httpx.AsyncHTTPTransport())
        with pytest.raises(ApiError) as info:
            await client.list_all("/templates")
        await client.aclose()
    message = str(info.value)
    assert (
        target.removeprefix("http://") in message and elsewhere.removeprefix("http://") in message
    )
    assert "not followed" in message
    assert recorder.received == []  # nothing at all reached the other server


@pytest.mark.parametrize(
    "link",
    [
        "http://api.example.test/api/v2/templates?page%5Bafter%5D=x",  # a downgrade to http
        "https://api.example.test:8443/api/v2/templates?page%5Bafter%5D=x",  # another port
        "https://evil.example.test/api/v2/templates?page%5Bafter%5D=x",
        "//evil.example.test/api/v2/templates",  # scheme-relative
    ],
)
async def test_next_links_leaving_the_scheme_host_or_port_are_refused(link: str):
    sent: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return jsonapi(200, {"data": rows(1), "links": {"next": link}})

    with pytest.raises(ApiError, match="not followed"):
        await client_for(handler).list_all("/templates")
    assert len(sent) == 1


async def test_a_next_link_naming_the_default_port_is_the_same_target():
    def handler(request: httpx.Request) -> httpx.Response:
        if "page[after]" in request.url.params:
            return jsonapi(200, {"data": rows(2)})
        return jsonapi(
            200,
            {
                "data": rows(1),
                "links": {
                    "next": "https://api.example.test:443/api/v2/templates?page%5Bafter%5D=x"
                },
            },
        )

    assert len(await client_for(handler).list_all("/templates")) == 2


# --- rate limits ------------------------------------------------------------------------


def limited(reset: float | None, **extra: str) -> httpx.Response:
    headers = {"x-ratelimit-limit": "10000", "x-ratelimit-remaining": "0, 0", **extra}
    if reset is not None:
        headers["x-ratelimit-reset"] = str(int(reset))
    return jsonapi(
        429, {"errors": [{"id": "rateLimitExceeded", "title": "Rate Limit Exceeded"}]}, headers
    )


async def test_a_429_whose_reset_is_already_past_backs_off_instead_of_a_busy_loop():
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        if len(times) <= 3:
            return limited(time.time() - 1)  # past by this machine's clock: skewed
        return jsonapi(200, {"data": rows(1)})

    client = client_for(handler, attempts=2)  # rate waits are not bounded by attempts
    assert len(await client.list_all("/templates")) == 1
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4
    assert gaps[0] >= QUICK.minimum and gaps[1] >= 2 * QUICK.minimum  # exponential


async def test_a_429_waits_until_the_reset_plus_the_skew_margin():
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.time())
        if len(times) == 1:
            return limited(time.time() + 1.5)
        return jsonapi(200, {"data": rows(1)})

    await client_for(handler).list_all("/templates")
    reset = int(times[0] + 1.5)
    assert times[1] >= reset + QUICK.skew_margin - 0.05


async def test_retry_after_is_honoured_when_a_server_sends_it():
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        if len(times) == 1:
            return limited(time.time() + 600, **{"retry-after": "0.4"})
        return jsonapi(200, {"data": rows(1)})

    await client_for(handler).list_all("/templates")
    assert 0.4 <= times[1] - times[0] < 5


class RefuseUntil(httpx.AsyncBaseTransport):
    """Answers every request after 50 ms: a 429 until the window resets, then 200."""

    def __init__(self, seconds: float) -> None:
        self.reset = time.time() + seconds
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)
        if time.time() < self.reset:
            self.refused += 1
            return limited(self.reset + 1)  # epoch seconds round down
        return jsonapi(200, {"data": rows(1)})


async def test_the_wait_is_said_once_however_many_requests_were_refused(caplog):
    transport = RefuseUntil(0.5)
    client = client_for(None, transport=transport)
    caplog.set_level(logging.WARNING, logger="seqops.http")

    await asyncio.gather(*(client.get(f"/templates/{i}") for i in range(6)))

    assert transport.refused == 6  # all six were in flight together, all refused
    said = [r.getMessage() for r in caplog.records if "rate-limited" in r.getMessage()]
    assert len(said) == 1, said
    assert said[0].startswith("api.example.test rate-limited this token (429): waiting")


def test_two_valued_rate_headers_read_the_hourly_window_first():
    headers = {"x-ratelimit-limit": "10000, 20000", "x-ratelimit-remaining": "9999, 19988"}
    budget = Budget.of({**headers, "x-ratelimit-reset": "3600"})
    assert (budget.limit, budget.remaining) == (10000, 9999)
    assert budget.resets_in == 3600


# --- refusals a person can act on -------------------------------------------------------


async def test_a_415_shows_the_details_outreach_sends():
    body = {"errors": [{"id": "unsupportedMediaType", "title": "Unsupported Media Type",
                        "details": "Expected Content-Type header to be 'application/vnd.api+json'."}]}  # fmt: skip
    client = client_for(lambda r: jsonapi(415, body))
    with pytest.raises(ApiError, match="415 Unsupported Media Type: Expected Content-Type header"):
        await client.patch("/sequences/1", {"data": {}})


async def test_a_422_keeps_its_pointer():
    body = {"errors": [{"id": "validationError", "title": "Validation Error", "detail": "too long",
                        "source": {"pointer": "/data/attributes/name"}}]}  # fmt: skip
    client = client_for(lambda r: jsonapi(422, body))
    with pytest.raises(ApiError) as info:
        await client.post("/sequences", {"data": {}})
    assert info.value.pointers == ["/data/attributes/name"]
    assert "422 Validation Error: too long" in str(info.value)


async def test_only_the_resources_own_404_means_gone():
    route = {"errors": [{"id": "routeNotFound", "title": "Route Not Found",
                         "detail": "The request path does not match any known resource endpoints."}]}  # fmt: skip
    resource = {"errors": [{"id": "resourceNotFound", "title": "Resource Not Found",
                            "detail": "Could not find 'sequence' with ID '9'."}]}  # fmt: skip
    html = httpx.Response(404, content=b"<h1>Not Found</h1>", headers={"content-type": "text/html"})
    answers = iter([jsonapi(404, route), jsonapi(404, resource), html])
    client = client_for(lambda r: next(answers))

    with pytest.raises(ApiError) as wrong_route:
        await client.delete("/sequences/9")
    with pytest.raises(ApiError) as gone:
        await client.delete("/sequences/9")
    with pytest.raises(ApiError) as not_the_api:
        await client.delete("/sequences/9")

    assert not wrong_route.value.gone and "api.example.test" in str(wrong_route.value)
    assert "Route Not Found" in str(wrong_route.value)
    assert gone.value.gone
    assert not not_the_api.value.gone
    assert "404 from api.example.test, which did not answer like the Outreach API" in str(
        not_the_api.value
    )


async def test_a_document_nested_200k_deep_is_an_error_not_a_crash():
    client = client_for(lambda r: httpx.Response(200, content=b"[" * 200_000 + b"]" * 200_000))
    with pytest.raises(ApiError, match="nested too deeply"):
        await client.get("/sequences")


# --- dead targets ------------------------------------------------------------------------


async def test_a_target_that_never_answers_stops_within_its_deadline_naming_the_host():
    from seqops.sandbox.hostile import Blackhole, started

    with started(Blackhole()) as hole:
        client = client_for(None, base=hole.url, transport=httpx.AsyncHTTPTransport(),
                            timeout=0.5, breaker_window=0.5, attempts=50)  # fmt: skip
        began = time.monotonic()
        with pytest.raises(Unreachable) as info:
            await asyncio.gather(*(client.list_all(f"/{c}") for c in ("users", "stages")))
        elapsed = time.monotonic() - began
        await client.aclose()
    assert elapsed < 2.0
    message = str(info.value)
    assert message.startswith(
        f"127.0.0.1:{hole.port} does not answer (no complete answer within 0.5 s to GET /"
    )
    assert "every request" not in message


async def test_a_body_trickled_a_byte_at_a_time_is_cut_at_the_deadline():
    from seqops.sandbox.hostile import Trickle, started

    with started(Trickle(interval=0.2)) as trickle:
        client = client_for(None, base=trickle.url, transport=httpx.AsyncHTTPTransport(),
                            timeout=0.6, breaker_window=0.6, attempts=50)  # fmt: skip
        began = time.monotonic()
        with pytest.raises(Unreachable, match=rf"127.0.0.1:{trickle.port} does not answer"):
            await client.get("/users")
        await client.aclose()
    assert time.monotonic() - began < 2.5


async def test_every_read_of_a_plan_works_where_large_pages_answer_502(provider_for):
    """Listings and the impact count's first page alike are asked again smaller: a plan of a
    change to a sequence with prospects succeeds when pages over 250 rows fail."""
    from seqops.sandbox import create_app

    app = create_app(max_page_size=250)
    [busy] = app.state.sandbox.generate_account(1, 2, prefix="busy")
    app.state.sandbox.enroll(busy, 3, "active")
    provider = provider_for(app, breaker_window=0.5)
    state = await provider.read()
    assert len(state.of_kind("Sequence")) == 1
    [impact] = (await provider.impact([busy])).values()
    assert impact.active == 3
    assert provider.client.page_sizes.of("sequenceStates") == 250
    await provider.aclose()


def test_doctor_says_when_the_reset_is_past_by_this_machines_clock():
    import asyncio

    from seqops.doctor import examine
    from seqops.sandbox import create_app

    app = create_app(rate_limit=100, rate_window=60, clock_skew=-120)
    client = client_for(None, base="http://sandbox.test/api/v2",
                        transport=httpx.ASGITransport(app=app))  # fmt: skip
    client.auth = type(client.auth)(Secret("sandbox-token"))
    report = asyncio.run(examine(client, "skewed"))
    (said,) = [f for f in report.findings if f.check == "rate limit"]
    assert said.message.startswith("99 of 100 requests left this hour, its reset")
    assert "in the past by this machine's clock" in said.message
