"""Rate limiting, latency, injected faults, OAuth tokens and request counters."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest
from sandbox_helpers import new_sequence

from seqops.sandbox import DroppedConnection, create_app


def test_rate_limit_headers_count_down_per_token_then_429(make_client):
    api = make_client(rate_limit=3, rate_window=60)
    responses = [api.get("/stages") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    # Two values, the token's window first, as the real API sends them.
    assert [r.headers["x-ratelimit-remaining"] for r in responses] == [
        "2, 5",
        "1, 4",
        "0, 3",
        "0, 3",
    ]
    assert {r.headers["x-ratelimit-limit"] for r in responses} == {"3"}
    reset = int(responses[0].headers["x-ratelimit-reset"])
    assert time.time() < reset <= time.time() + 61
    assert responses[3].json()["errors"][0]["id"] == "rateLimitExceeded"
    assert "retry-after" not in responses[3].headers  # the real API sends none
    # Another token has its own budget.
    other = make_client(app=api.app, token=_issue_access_token(api))
    assert other.get("/stages").status_code == 200


def test_rate_limit_window_resets(make_client):
    api = make_client(rate_limit=1, rate_window=0.2)
    assert api.get("/stages").status_code == 200
    assert api.get("/stages").status_code == 429
    time.sleep(0.25)
    assert api.get("/stages").status_code == 200


def test_every_api_response_carries_rate_limit_headers(api):
    for response in (
        api.get("/sequences"),
        api.get("/sequences/999"),
        api.post("/sequences", {"type": "sequence"}),
    ):
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
            response.headers
        )


def test_latency_delays_every_response(make_client):
    api = make_client(latency_ms=60)
    started = time.perf_counter()
    api.get("/stages")
    api.get("/nothing")
    assert time.perf_counter() - started >= 0.12


def test_faults_answer_5xx_or_drop_before_writing(make_client):
    api = make_client(fault_rate=1.0, seed=7)
    outcomes = Counter()
    for _ in range(40):
        try:
            outcomes[
                api.post(
                    "/sequences", {"type": "sequence", "attributes": {"name": "x"}}
                ).status_code
            ] += 1
        except httpx.RemoteProtocolError as exc:
            assert isinstance(exc, DroppedConnection)
            outcomes["dropped"] += 1
    assert set(outcomes) == {500, 502, 503, "dropped"}
    api.sandbox.set_faults(fault_rate=0.0)
    assert api.get("/sequences").json()["meta"]["count"] == 0  # nothing was written


def test_lost_responses_happen_after_the_write(make_client):
    api = make_client(lost_response_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/sequences", {"type": "sequence", "attributes": {"name": "lost"}})
    api.sandbox.set_faults(lost_response_rate=0.0)
    names = [s["attributes"]["name"] for s in api.get("/sequences").json()["data"]]
    assert names == ["lost"]


def test_fault_rate_is_a_rate_and_reproducible_with_a_seed(make_client):
    def pattern(seed: int) -> list[str]:
        api = make_client(fault_rate=0.3, seed=seed)
        result = []
        for _ in range(200):
            try:
                result.append(str(api.get("/stages").status_code))
            except httpx.RemoteProtocolError:
                result.append("dropped")
        return result

    first, again, other = pattern(1), pattern(1), pattern(2)
    assert first == again and first != other
    assert 30 <= sum(r != "200" for r in first) <= 90


def test_faults_spare_oauth_and_count_every_request(make_client):
    api = make_client(fault_rate=1.0)
    assert _issue_access_token(api)
    assert api.sandbox.requests[("POST", "/oauth/token")] == 1
    with pytest.raises(httpx.RemoteProtocolError):
        for _ in range(20):
            api.get("/sequences/5")
    assert api.sandbox.requests[("GET", "/api/v2/sequences/{id}")] >= 1
    assert api.sandbox.request_count == sum(api.sandbox.requests.values())


def _issue_access_token(api, refresh_token: str = "sandbox-refresh") -> str:
    grant = {
        "grant_type": "refresh_token",
        "client_id": "seqops-sandbox",
        "client_secret": "sandbox-secret",
        "refresh_token": refresh_token,
    }
    response = api.loop.run_until_complete(
        api.http.post("http://sandbox.test/oauth/token", data=grant)
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def oauth(api, **grant):
    return api.loop.run_until_complete(api.http.post("http://sandbox.test/oauth/token", json=grant))


def test_oauth_refresh_rotates_and_issued_tokens_work_until_expired(make_client):
    api = make_client()
    client = {
        "grant_type": "refresh_token",
        "client_id": "seqops-sandbox",
        "client_secret": "sandbox-secret",
    }
    first = oauth(api, **client, refresh_token="sandbox-refresh").json()
    assert first["token_type"] == "bearer" and first["expires_in"] > 0
    second = oauth(api, **client, refresh_token=first["refresh_token"]).json()
    assert second["access_token"] != first["access_token"]
    # used, and its successor used too: no reuse grace (see seqops.sandbox.oauth)
    assert oauth(api, **client, refresh_token="sandbox-refresh").status_code == 400

    bearer = make_client(app=api.app, token=second["access_token"])
    assert bearer.get("/users").status_code == 200
    api.sandbox.expire_tokens()
    assert bearer.get("/users").status_code == 401
    assert api.get("/users").status_code == 200  # the static token is not an issued token
    renewed = oauth(api, **client, refresh_token=second["refresh_token"]).json()
    assert make_client(app=api.app, token=renewed["access_token"]).get("/users").status_code == 200


def test_oauth_rejects_bad_clients_and_grants(make_client):
    api = make_client()
    good = {
        "grant_type": "refresh_token",
        "client_id": "seqops-sandbox",
        "client_secret": "sandbox-secret",
    }
    assert (
        oauth(api, **good | {"client_secret": "nope"}, refresh_token="sandbox-refresh").status_code
        == 401
    )
    assert (
        oauth(api, **good | {"grant_type": "password"}, refresh_token="sandbox-refresh").status_code
        == 400
    )
    assert oauth(api, **good, refresh_token="made-up").json()["error"] == "invalid_grant"


def test_oauth_options_override_the_defaults():
    app = create_app(client_id="mine", client_secret="s3", refresh_token="r0")
    assert app.state.sandbox.tokens.client_ok("mine", "s3")
    assert app.state.sandbox.tokens.refresh("r0") is not None


def test_counters_group_requests_by_path_template(api):
    sequence = new_sequence(api)
    api.get(f"/sequences/{sequence['id']}")
    api.get("/sequences")
    assert api.sandbox.requests[("GET", "/api/v2/sequences/{id}")] == 1
    assert api.sandbox.requests[("POST", "/api/v2/sequences")] == 1
    assert api.sandbox.request_count == 3
    api.sandbox.reset_counters()
    assert api.sandbox.request_count == 0


def test_pages_above_max_page_size_answer_an_html_502(make_client):
    api = make_client(max_page_size=250)
    too_big = api.get("/prospects", params={"page[size]": 251})
    assert too_big.status_code == 502
    assert too_big.headers["content-type"] == "text/html"
    assert b"<h1>502 Bad Gateway</h1>" in too_big.content
    fits = api.get("/prospects", params={"page[size]": 250})
    assert fits.status_code == 200 and fits.json()["data"]
    assert api.get("/prospects").status_code == 200  # the default page (50) fits


def test_the_clock_skew_knob_moves_the_reset_header(make_client):
    behind = make_client(clock_skew=-30, rate_window=60).get("/stages")
    reset = int(behind.headers["x-ratelimit-reset"])
    assert time.time() + 29 <= reset <= time.time() + 31  # 60 s window, a clock 30 s behind


def test_an_empty_page_has_no_links_and_counts_say_when_they_were_capped(make_client):
    api = make_client(count_cap=10)
    empty = api.get("/sequences").json()
    assert "links" not in empty and empty["data"] == []
    assert empty["meta"] == {"count": 0, "count_truncated": False}
    prospects = api.get("/prospects", params={"page[size]": 5}).json()
    assert prospects["meta"] == {"count": 10, "count_truncated": True}
    assert "next" in prospects["links"]
    assert "meta" not in api.get("/prospects", params={"count": "false"}).json()
