"""What the Outreach client promises the person running seqops, stated one behaviour a test:
how long a 429 waits and how that wait is said, how retries back off and when they are worth a
line on the terminal, what a count costs, what a refusal and a dead target are called. The
answers come from `httpx.MockTransport` (or a transport that raises), as the API would send
them."""

from __future__ import annotations

import email.utils
import itertools
import logging
import re
import time

import httpx
import pytest

from seqops.config import Secret
from seqops.providers.base import Unreachable
from seqops.providers.outreach import ApiError, JsonApiClient, StaticToken
from seqops.providers.outreach.ratelimit import RateLimiter, RatePolicy, Wait, wait_after_429

from .test_hostile_network import BASE, QUICK, TOKEN, client_for, jsonapi, rows

pytestmark = pytest.mark.anyio


# --- how long a 429 waits, and how it is said ------------------------------------------------


def test_a_retry_after_given_as_a_date_waits_until_that_date():
    """RFC 9110 allows `Retry-After: <HTTP-date>`: the wait is the time left until then."""
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    wait = wait_after_429({"retry-after": when}, 1, RatePolicy())
    assert 28.5 <= wait.seconds <= 30.5 and wait.why == "as its Retry-After asks"


def test_a_retry_after_date_already_past_still_waits_the_floor():
    when = email.utils.formatdate(time.time() - 30, usegmt=True)
    wait = wait_after_429({"retry-after": when}, 1, RatePolicy(floor=1.5))
    assert wait.seconds == 1.5


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (3.24, "3.2 s"),
        (9.9, "9.9 s"),
        (10.2, "10 s"),
        (47.3, "47 s"),
        (119.4, "119 s"),
        (120.4, "2 min"),
        (12 * 60 + 20, "12 min"),
        (59 * 60 + 40, "1 h 0 min"),
        (65 * 60, "1 h 5 min"),
    ],
)
def test_a_429_wait_is_said_as_people_say_it(caplog, seconds, said):
    caplog.set_level(logging.WARNING, logger="seqops.http")
    RateLimiter(policy=QUICK).hold(Wait(seconds, "until the window resets"), "api.example.test")
    assert [r.getMessage() for r in caplog.records] == [
        f"api.example.test rate-limited this token (429): waiting {said}, until the window resets"
    ]


# --- retries --------------------------------------------------------------------------------


def flaky(failures: int, status: int = 503):
    """A handler answering `status` `failures` times, then a page; the times it was asked."""
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        if len(times) <= failures:
            return jsonapi(status, {"errors": [{"title": "Service Unavailable"}]})
        return jsonapi(200, {"data": rows(1)})

    return handler, times


async def test_retries_back_off_doubling_from_the_initial_wait():
    handler, times = flaky(3)
    client = client_for(handler, wait_initial=0.1, wait_max=1.0, wait_jitter=0.0)
    assert len(await client.list_all("/templates")) == 1
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 3
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4, gaps
    assert gaps[0] < 0.2, gaps  # the first retry waits the initial wait, not two


async def test_a_lone_5xx_is_retried_quietly_and_said_under_v_only(caplog):
    """A 5xx the next attempt gets past is no news on the terminal (the host answered); -v
    shows the retry."""
    caplog.set_level(logging.DEBUG, logger="seqops.http")
    handler, _ = flaky(1)
    await client_for(handler).list_all("/templates")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retry ")]
    assert len(retries) == 1 and retries[0].startswith("retry 1/7 in ")
    assert "after 503 Service Unavailable from api.example.test (GET /templates)" in retries[0]


# --- what a count costs, what a refusal is called ---------------------------------------------


async def test_a_count_reads_a_single_row_however_large_the_collection():
    asked: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url)
        return jsonapi(200, {"data": rows(1), "meta": {"count": 48213}})

    count = await client_for(handler).count("/prospects", {"filter[stage][id]": 3})
    assert count.value == 48213 and str(count) == "48,213"
    [url] = asked
    assert url.params["page[size]"] == "1" and url.params["filter[stage][id]"] == "3"


@pytest.mark.parametrize("meta", [{}, {"count": -1}, {"count": "12"}, {"count": True}, None])
async def test_a_count_that_is_no_count_of_rows_is_refused(meta):
    document = {"data": []} if meta is None else {"data": [], "meta": meta}
    client = client_for(lambda request: jsonapi(200, document))
    with pytest.raises(ApiError, match=r"^GET /prospects: the response has no meta.count"):
        await client.count("/prospects")


def refused(request: httpx.Request) -> httpx.Response:
    return jsonapi(422, {"errors": [{"title": "Validation Error", "detail": "name is taken"}]})


async def test_a_refused_update_names_the_method_and_path_it_sent():
    with pytest.raises(ApiError) as info:
        await client_for(refused).patch("/templates/7", {"data": {}})
    assert str(info.value).startswith("PATCH /templates/7: 422 Validation Error")


async def test_a_refused_delete_and_action_name_the_method_and_path_they_sent():
    client = client_for(refused)
    with pytest.raises(ApiError) as deleted:
        await client.delete("/templates/7")
    with pytest.raises(ApiError) as acted:
        await client.action("/sequences/7/actions/activate")
    assert str(deleted.value).startswith("DELETE /templates/7: 422 Validation Error")
    assert str(acted.value).startswith("POST /sequences/7/actions/activate: 422 Validation Error")
    assert client.requests == {"DELETE /templates/7": 1, "POST /sequences/7/actions/activate": 1}


async def test_a_refused_first_page_names_the_method_and_path_it_sent():
    with pytest.raises(ApiError) as info:
        await client_for(refused).first_page("/sequenceStates", {"filter[sequence][id]": 4})
    assert str(info.value).startswith("GET /sequenceStates: 422 Validation Error")


async def test_a_create_whose_answer_is_cut_short_is_never_sent_twice():
    """A 201 whose body broke off mid-document was processed: sending the POST again would
    create the object twice, so without a way to look for it the create stops, saying so."""
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        headers = {"content-type": "application/vnd.api+json"}
        return httpx.Response(
            201, content=b'{"data": {"type": "template", "id": 4', headers=headers
        )

    with pytest.raises(ApiError, match=r"unreadable body from api.example.test .*may have been"):
        await client_for(handler).post("/templates", {"data": {}})
    assert sent == ["POST"]


# --- a target that stops answering ------------------------------------------------------------


async def test_a_host_answering_only_5xx_stops_the_run_naming_its_answer():
    client = client_for(lambda request: jsonapi(503, {}), breaker_window=0.3, attempts=500)
    with pytest.raises(Unreachable) as info:
        await client.get("/users")
    assert str(info.value).startswith(
        "api.example.test keeps failing (503 Service Unavailable from api.example.test; "
    )


async def test_a_host_slow_to_answer_5xx_stops_the_run_counting_from_the_first_request_sent():
    """The breaker's window counts from when the first failing request was sent, not from its
    answer: two 503s taking 0.3 s each fill a 0.5 s window, and no third request is sent."""
    import asyncio

    async def slow_503(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.3)
        return jsonapi(503, {})

    client = client_for(slow_503, breaker_window=0.5, attempts=500)
    with pytest.raises(Unreachable) as info:
        await client.get("/users")
    assert client.request_count == 2
    assert re.fullmatch(
        r"api.example.test keeps failing \(503 Service Unavailable from api.example.test; "
        r"2 requests over 0\.\d s\): stopped",
        str(info.value),
    ), str(info.value)


async def test_a_listing_failing_at_the_smallest_page_size_too_stops_on_the_breaker():
    """502s to pages that can be asked smaller are the page's fault; once the smallest size
    fails as well the host is failing, and the run stops within the breaker's window instead
    of spending every retry."""
    client = client_for(lambda request: jsonapi(502, {}), breaker_window=0.3, attempts=500)
    began = time.monotonic()
    with pytest.raises(Unreachable) as info:
        await client.list_all("/templates")
    assert time.monotonic() - began < 3
    assert str(info.value).startswith(
        "api.example.test keeps failing (502 Bad Gateway from api.example.test; "
    )
    assert client.page_sizes.of("templates") == 100


class GivesUpAtOnce(httpx.AsyncBaseTransport):
    """A transport whose reads time out at once (a proxy's own timeout, say): far sooner than
    the client's deadline, so each is an ordinary failure, not a verdict on the host."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)


async def test_timeouts_shorter_than_the_deadline_stop_the_run_saying_what_timed_out():
    client = client_for(None, transport=GivesUpAtOnce(), timeout=5.0, breaker_window=0.3,
                        attempts=50, wait_initial=0.05, wait_max=0.05)  # fmt: skip
    with pytest.raises(Unreachable) as info:
        await client.get("/users")
    message = str(info.value)
    assert message.startswith(
        "api.example.test does not answer (no complete answer within 5 s to GET /users; "
    )
    assert re.search(r"; \d+ requests over 0\.\d s\): stopped$", message), message


async def test_a_host_that_never_answers_is_said_to_have_been_silent_for_the_deadline():
    from seqops.sandbox.hostile import Blackhole, started

    with started(Blackhole()) as hole:
        client = client_for(None, base=hole.url, transport=httpx.AsyncHTTPTransport(),
                            timeout=0.5, breaker_window=0.5, attempts=50)  # fmt: skip
        with pytest.raises(Unreachable) as info:
            await client.get("/users")
        await client.aclose()
    over = re.search(r"1 request over (\d+\.\d) s\): stopped$", str(info.value))
    assert over and float(over[1]) >= 0.5, str(info.value)


class SilentAfterAnswering(httpx.AsyncBaseTransport):
    """Answers `/users/1`, then every other request hangs and the probe is refused."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users/1"):
            return jsonapi(200, {"data": rows(1)[0]})
        if request.url.params.get("fields[user]") == "email":
            raise httpx.ConnectError("refused", request=request)
        import asyncio

        await asyncio.sleep(5)
        raise AssertionError("the deadline should have ended this request")


async def test_a_timeout_on_a_host_that_answered_before_is_judged_by_a_probe(caplog):
    caplog.set_level(logging.DEBUG, logger="seqops.http")
    client = client_for(None, transport=SilentAfterAnswering(), timeout=0.3, attempts=50)
    await client.get("/users/1")
    with pytest.raises(Unreachable) as info:
        await client.get("/stages")
    assert str(info.value).startswith(
        "api.example.test does not answer (no complete answer within 0.3 s to GET /stages, "
        "nor to a 0.3 s probe; "
    )
    said = [r.getMessage() for r in caplog.records]
    assert any(
        re.fullmatch(r"GET /api/v2/users\?\S*fields\[user\]=email failed \(ConnectError\): the "
                     r"probe \d+ms", line)
        for line in said
    ), said  # fmt: skip
    assert client.requests["GET /users"] == 1  # the probe is a request like any other


# --- what is sent, and what -v says ------------------------------------------------------------


async def test_a_base_url_ending_in_a_slash_reaches_the_same_paths():
    """`baseUrl: https://api.outreach.io/api/v2/` (as copied from a browser) asks for
    `/api/v2/users`, not `/api/v2//users`, and messages name `/users`."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return refused(request) if request.method == "PATCH" else jsonapi(200, {"data": rows(1)})

    client = client_for(handler, base="https://api.example.test/api/v2/")
    await client.list_all("/templates")
    with pytest.raises(ApiError) as info:
        await client.patch("/templates/7", {"data": {}})
    assert asked == ["/api/v2/templates", "/api/v2/templates/7"]
    assert str(info.value).startswith("PATCH /templates/7: 422 Validation Error")
    assert client.requests == {"GET /templates": 1, "PATCH /templates/7": 1}
    assert repr(client) == "JsonApiClient('https://api.example.test/api/v2/', requests=2)"


async def test_only_writes_say_they_carry_a_jsonapi_body():
    """Reads go out without a Content-Type (they have no body); every write, bodiless actions
    and deletes included, declares the JSON:API media type the API insists on."""
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.headers.get("content-type")))
        return jsonapi(200, {"data": rows(1)})

    client = client_for(handler)
    await client.get("/templates/1")
    await client.list_all("/templates")
    await client.action("/sequences/1/actions/activate")
    await client.delete("/templates/1")
    media = "application/vnd.api+json"
    assert seen == [("GET", None), ("GET", None), ("POST", media), ("DELETE", media)]


async def test_a_page_asked_again_smaller_says_why_under_v(caplog):
    caplog.set_level(logging.DEBUG, logger="seqops.http")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["page[size]"] == "1000":
            return jsonapi(502, {})
        return jsonapi(200, {"data": rows(1)})

    await client_for(handler).list_all("/templates")
    said = [r.getMessage() for r in caplog.records if "asking again" in r.getMessage()]
    assert said == [
        "GET /templates: 502 Bad Gateway from api.example.test at page[size]=1000: asking "
        "again at 500 from the same cursor (kept for the rest of the run)"
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_spent_budget_says_how_long_the_run_waits_for_the_reset(caplog):
    """The last response said nothing remains and the window resets in 30 s: the next request
    waits for it (and the skew margin), saying so once, before it waits."""
    import asyncio

    caplog.set_level(logging.WARNING, logger="seqops.http")
    limiter = RateLimiter()
    limiter.release({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "30"})
    waiting = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    waiting.cancel()
    assert [r.getMessage() for r in caplog.records] == [
        "rate limit budget spent: waiting 32 s for the window to reset, then going on"
    ]


@pytest.mark.parametrize(
    ("reset", "why"),
    [
        (None, "backing off: it gave no reset time"),
        (-30, "backing off: the reset it gave is already past by this machine's clock"),
        (+30, "until the window resets, +0.1 s for clock skew"),
    ],
)
def test_a_429_wait_says_why_it_is_that_long(reset, why):
    """The warning names the reason: the reset the 429 gave, plus the skew margin; or a
    backoff when there is no reset, or when this machine's clock says it is already past."""
    headers = {} if reset is None else {"x-ratelimit-reset": str(int(time.time() + reset))}
    assert wait_after_429(headers, 1, QUICK).why == why


async def test_a_request_refused_past_its_rate_limit_allowance_says_how_long_it_waited():
    """A request gives up once its 429 waits would add up past `total_max`, saying how long it
    waited, instead of waiting on without end."""
    policy = RatePolicy(minimum=0.2, floor=0.05, total_max=0.5)
    client = client_for(lambda request: jsonapi(429, {}, {"retry-after": "0.2"}),
                        rate_policy=policy)  # fmt: skip
    with pytest.raises(ApiError) as info:
        await client.get("/users")
    assert str(info.value) == (
        "GET /users: 429 rate limited by api.example.test "
        "(gave up after waiting 0 s for the rate limit)"
    )
    assert client.request_count == 3  # two waits of 0.2 s, the third would pass 0.5 s


async def test_a_listing_asked_by_its_absolute_url_shrinks_that_collection():
    """`list_all` takes a full URL as well as a path: a page too big for the gateway shrinks
    the same collection's page size either way."""
    sizes: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sizes.append(request.url.params["page[size]"])
        return jsonapi(502, {}) if sizes[-1] == "1000" else jsonapi(200, {"data": rows(1)})

    client = client_for(handler)
    assert len(await client.list_all("https://api.example.test/api/v2/templates")) == 1
    assert sizes == ["1000", "500"]
    assert client.page_sizes.of("templates") == 500
    assert client.page_sizes.of("users") == 1000


async def test_a_5xx_asking_to_be_retried_later_is_retried_when_it_asks(caplog):
    """A 503 with `Retry-After: 0.4` is asked again after 0.4 s, not after the (tiny) backoff,
    and -v says that wait."""
    caplog.set_level(logging.DEBUG, logger="seqops.http")
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        if len(times) == 1:
            return jsonapi(503, {}, {"retry-after": "0.4"})
        return jsonapi(200, {"data": rows(1)})

    await client_for(handler).get("/users")
    assert len(times) == 2 and times[1] - times[0] >= 0.4
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retry ")]
    assert said == [
        "retry 1/7 in 0.4s after 503 Service Unavailable from api.example.test (GET /users): "
        "waiting for api.example.test to answer"
    ]


# --- a 429 without a reset, bodies of reads, an answer without a reason phrase ----------------


@pytest.mark.parametrize("refusals", [1, 2, 3])
def test_a_429_without_a_reset_backs_off_from_the_minimum_doubling_plus_a_quarter_at_most(
    refusals,
):
    step = QUICK.minimum * 2 ** (refusals - 1)
    waits = [wait_after_429({}, refusals, QUICK).seconds for _ in range(300)]
    assert all(step <= wait <= step * 1.25 for wait in waits), (min(waits), max(waits))
    assert max(waits) > step * 1.1, "the jitter spreads requests refused together"


async def test_the_first_429_without_a_reset_waits_the_minimum_not_twice_it():
    """The first refusal of a request backs off by the policy's minimum; only a second one
    doubles it."""
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        return jsonapi(429, {}) if len(times) == 1 else jsonapi(200, {"data": rows(1)})

    policy = RatePolicy(minimum=0.3, floor=0.05, backoff_max=5.0)
    await client_for(handler, rate_policy=policy).list_all("/templates")
    gap = times[1] - times[0]
    assert 0.3 <= gap < 0.55, gap


async def test_reads_go_out_without_a_body():
    bodies: list[tuple[str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append((request.method, request.content))
        return jsonapi(200, {"data": rows(1)})

    client = client_for(handler)
    await client.get("/templates/1")
    await client.list_all("/templates")
    assert bodies == [("GET", b""), ("GET", b"")]


async def test_a_5xx_without_a_reason_phrase_is_named_by_its_code_alone():
    """HTTP/2 answers, and codes no standard names, have no reason phrase: the breaker says
    `599 from host`, with one space, never `599  from host`."""
    client = client_for(lambda request: jsonapi(599, {}), breaker_window=0.3, attempts=500)
    with pytest.raises(Unreachable) as info:
        await client.get("/users")
    assert str(info.value).startswith("api.example.test keeps failing (599 from api.example.test; ")


async def test_a_create_refused_with_429_is_sent_again_the_refusal_says_nothing_was_done():
    """A 429 is the server refusing before it does anything: a create is simply sent again
    (no lookup, no "may have been applied"), and it is created once."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.method)
        if len(asked) == 1:
            return jsonapi(429, {}, {"retry-after": "0.05"})
        return jsonapi(201, {"data": rows(1)[0]})

    policy = RatePolicy(minimum=0.05, floor=0.05)
    created = await client_for(handler, rate_policy=policy).post(
        "/templates", {"data": {"type": "template", "attributes": {"name": "t"}}}
    )
    assert created["data"]["id"] and asked == ["POST", "POST"]


# --- the API root, the default backoff, -v's line for a request that got no answer ------------


async def test_the_api_root_asked_by_its_own_url_is_named_slash():
    """A request to the API root's URL as configured (`.../api/v2`, no trailing slash: a next
    link pointing home, say) is `GET /` in its refusal and in the per-path counts."""

    def handler(request: httpx.Request) -> httpx.Response:
        return jsonapi(404, {"errors": [{"title": "Not Found", "detail": "no such route"}]})

    client = client_for(handler)
    with pytest.raises(ApiError) as info:
        await client.get("https://api.example.test/api/v2")
    assert str(info.value).startswith("GET /: 404 Not Found: no such route")
    assert client.requests == {"GET /": 1}


async def test_by_default_a_5xx_is_retried_after_a_fifth_of_a_second_plus_half_a_second_at_most(
    caplog,
):
    """The default backoff: the first retry waits 0.2 s plus a jitter of up to 0.5 s, so twelve
    reads failing together spread out, yet none waits longer than 0.7 s."""
    import asyncio

    caplog.set_level(logging.DEBUG, logger="seqops.http")
    failed: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path not in failed:
            failed.add(request.url.path)
            return jsonapi(503, {})
        return jsonapi(200, {"data": rows(1)[0]})

    client = JsonApiClient(BASE, StaticToken(Secret(TOKEN)), transport=httpx.MockTransport(handler))
    await asyncio.gather(*(client.get(f"/templates/{i}") for i in range(12)))
    waits = [
        float(m[1])
        for r in caplog.records
        if (m := re.match(r"retry 1/7 in (\d+\.\d)s after 503", r.getMessage()))
    ]
    assert len(waits) == 12 and all(0.2 <= wait <= 0.7 for wait in waits), waits
    assert len(set(waits)) > 1, "the jitter spreads retries of requests failing together"


class FailsOnce(httpx.AsyncBaseTransport):
    """Raises `error` for the first request, then answers."""

    def __init__(self, error: type[httpx.TransportError]) -> None:
        self.error, self.sent = error, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        if self.sent == 1:
            raise self.error("gone", request=request)
        return jsonapi(200, {"data": rows(1)[0]})


@pytest.mark.parametrize(
    ("error", "said"),
    [(httpx.ConnectError, "failed (ConnectError)"), (httpx.RemoteProtocolError,
      "failed (RemoteProtocolError)"), (httpx.ReadTimeout, "failed (timeout)")],
)  # fmt: skip
async def test_v_says_each_request_that_got_no_answer_and_how(caplog, error, said):
    """-v's request lines name a request that got no answer by what went wrong, then its
    retry by its status, each with the path it asked."""
    caplog.set_level(logging.DEBUG, logger="seqops.http")
    client = client_for(None, transport=FailsOnce(error))
    await client.get("/users/1")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("GET ")]
    assert len(lines) == 2, lines
    assert re.fullmatch(rf"GET /api/v2/users/1 {re.escape(said)} \d+ms", lines[0]), lines
    assert re.fullmatch(r"GET /api/v2/users/1 200 \d+ms", lines[1]), lines


# --- the breaker's streak and the answers around it ---------------------------------------------


async def test_failures_after_an_answer_are_counted_from_none_before_it():
    """A host that answered, then fails: the breaker's count starts afresh at the answer, and
    says only the failures (two 503s taking 0.3 s each fill a 0.5 s window)."""
    import asyncio

    async def answers_then_fails_slowly(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users/1"):
            return jsonapi(200, {"data": rows(1)[0]})
        await asyncio.sleep(0.3)
        return jsonapi(503, {})

    client = client_for(answers_then_fails_slowly, breaker_window=0.5, attempts=500)
    await client.get("/users/1")
    with pytest.raises(Unreachable) as info:
        await client.get("/users")
    assert re.fullmatch(
        r"api.example.test keeps failing \(503 Service Unavailable from api.example.test; "
        r"2 requests over 0\.\d s\): stopped",
        str(info.value),
    ), str(info.value)


async def test_a_slow_failure_sent_before_an_answer_counts_from_that_answer():
    """A 5xx to a request sent before another was answered says nothing of the time before
    that answer: the host was up then. A 503 coming 0.6 s after it was sent, 0.3 s after
    another request got its 200, is 0.3 s into a 0.5 s window: retried, not the end of the
    run."""
    import asyncio

    slow: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stages"):
            slow.append(1)
            if len(slow) == 1:
                await asyncio.sleep(0.6)
                return jsonapi(503, {})
            return jsonapi(200, {"data": rows(1)})
        await asyncio.sleep(0.3)
        return jsonapi(200, {"data": rows(1)[0]})

    client = client_for(handler, breaker_window=0.5, attempts=5)
    stages, user = await asyncio.gather(client.get("/stages"), client.get("/users/1"))
    assert stages["data"] and user["data"]["id"] == 1 and len(slow) == 2
    assert not client.breaker.is_open
