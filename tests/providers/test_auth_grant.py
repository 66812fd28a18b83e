"""The OAuth refresh grant against a scripted token endpoint: what it sends, when it asks for a
new access token (expiry, a refused token), which failures it retries, what it writes back
and what it says when the endpoint misbehaves. Also the static token and `auth_for`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pytest
import stamina

from seqops.config import OAuth, Secret, SecretRef
from seqops.providers.outreach import AuthError, JsonApiClient, OAuthRefresh, StaticToken
from seqops.providers.outreach.auth import auth_for

pytestmark = pytest.mark.anyio
TOKEN_URL = "http://auth.test/oauth/token"


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    """The grant keeps its own number of attempts; the waits between them are skipped."""
    with stamina.set_testing(True, attempts=100, cap=True):
        yield


class Endpoint:
    """A token endpoint that answers from a script (then keeps issuing fresh tokens) and
    records each grant's form."""

    def __init__(self, *script: httpx.Response | Exception) -> None:
        self.script = list(script)
        self.forms: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        self.forms.append(form)
        if self.script:
            answer = self.script.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        n = len(self.forms)
        return grant(f"access-{n}", f"refresh-{n}")

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))


def grant(access: str, refresh: str | None = None, **more) -> httpx.Response:
    body = {"access_token": access, **({"refresh_token": refresh} if refresh else {}), **more}
    return httpx.Response(200, json=body)


@pytest.fixture
def oauth(tmp_path, monkeypatch) -> OAuth:
    monkeypatch.setenv("GRANT_CLIENT_ID", "the-client")
    (tmp_path / "secret").write_text("the-secret\n")
    (tmp_path / "refresh").write_text("refresh-0\n")
    return OAuth(
        token_url=TOKEN_URL,
        client_id=SecretRef("env", "GRANT_CLIENT_ID"),
        client_secret=SecretRef("file", str(tmp_path / "secret")),
        refresh_token=SecretRef("file", str(tmp_path / "refresh")),
    )


def stored(oauth: OAuth) -> str:
    return oauth.refresh_token.read().reveal()


async def test_the_first_token_is_granted_with_the_configured_credentials(oauth):
    endpoint = Endpoint()
    auth = OAuthRefresh(oauth)
    assert auth.refresh_count == 0
    async with endpoint.client() as http:
        token = await auth.token(http)
    assert token.reveal() == "access-1" and auth.refresh_count == 1
    assert endpoint.forms == [
        {
            "grant_type": "refresh_token",
            "client_id": "the-client",
            "client_secret": "the-secret",
            "refresh_token": "refresh-0",
        }
    ]


async def test_a_valid_token_is_reused_and_the_rotated_refresh_token_sent_next(oauth):
    endpoint = Endpoint(grant("a1", "r1", expires_in=3600))
    auth = OAuthRefresh(oauth)
    async with endpoint.client() as http:
        first, second = await auth.token(http), await auth.token(http)
        assert first == second and len(endpoint.forms) == 1
        assert stored(oauth) == "r1"
        assert await auth.refresh(http, first) is True
    assert endpoint.forms[1]["refresh_token"] == "r1" and auth.refresh_count == 2


async def test_a_token_without_expiry_lasts_an_hour(oauth):
    endpoint = Endpoint(grant("a1", "r1"))
    auth = OAuthRefresh(oauth)
    async with endpoint.client() as http:
        assert await auth.token(http) == await auth.token(http)
    assert auth.refresh_count == 1


@pytest.mark.parametrize("expires_in", [60, 30])
async def test_a_token_within_a_minute_of_its_expiry_is_renewed_before_use(oauth, expires_in):
    endpoint = Endpoint(grant("a1", "r1", expires_in=expires_in), grant("a2", "r2"))
    auth = OAuthRefresh(oauth)
    async with endpoint.client() as http:
        assert (await auth.token(http)).reveal() == "a1"
        assert (await auth.token(http)).reveal() == "a2"
    assert auth.refresh_count == 2 and stored(oauth) == "r2"


async def test_a_token_expiring_later_than_the_margin_is_kept(oauth):
    endpoint = Endpoint(grant("a1", "r1", expires_in=120))
    auth = OAuthRefresh(oauth)
    async with endpoint.client() as http:
        assert (await auth.token(http)).reveal() == (await auth.token(http)).reveal() == "a1"
    assert auth.refresh_count == 1


async def test_refresh_renews_only_the_token_that_was_refused(oauth):
    endpoint = Endpoint()
    auth = OAuthRefresh(oauth)
    async with endpoint.client() as http:
        old = await auth.token(http)
        assert await auth.refresh(http, old) is True
        new = await auth.token(http)
        assert new != old and auth.refresh_count == 2
        # a request that saw the same 401 later: the token was already renewed
        assert await auth.refresh(http, old) is True
        assert await auth.token(http) == new and auth.refresh_count == 2


async def test_an_answer_without_a_new_refresh_token_keeps_the_old_one(oauth):
    endpoint = Endpoint(grant("a1"), grant("a2", "refresh-0"))
    auth = OAuthRefresh(oauth)
    async with endpoint.client() as http:
        first = await auth.token(http)
        await auth.refresh(http, first)
    assert [f["refresh_token"] for f in endpoint.forms] == ["refresh-0", "refresh-0"]
    assert stored(oauth) == "refresh-0"


async def test_an_unchanged_refresh_token_is_not_written_back(oauth, monkeypatch, caplog):
    monkeypatch.setenv("GRANT_REFRESH", "refresh-0")
    env = OAuth(TOKEN_URL, oauth.client_id, oauth.client_secret, SecretRef("env", "GRANT_REFRESH"))
    async with Endpoint(grant("a1", "refresh-0"), grant("a2")).client() as http:
        auth = OAuthRefresh(env)
        await auth.refresh(http, await auth.token(http))
    assert "cannot be written back" not in caplog.text


async def test_a_rotated_env_token_cannot_be_written_so_it_warns(oauth, monkeypatch, caplog):
    monkeypatch.setenv("GRANT_REFRESH", "refresh-0")
    env = OAuth(TOKEN_URL, oauth.client_id, oauth.client_secret, SecretRef("env", "GRANT_REFRESH"))
    async with Endpoint(grant("a1", "r1")).client() as http:
        await OAuthRefresh(env).token(http)
    [record] = [r for r in caplog.records if r.name == "seqops.http" and r.levelname == "WARNING"]
    assert record.getMessage() == (
        "the rotated refresh token cannot be written back to env:GRANT_REFRESH"
    )


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"token_type": "bearer"}),
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json=["access_token"]),
    ],
)
async def test_an_answer_without_an_access_token_is_an_auth_error(oauth, answer):
    async with Endpoint(answer).client() as http:
        with pytest.raises(AuthError) as error:
            await OAuthRefresh(oauth).token(http)
    assert str(error.value) == "token refresh answered without an access token"
    assert stored(oauth) == "refresh-0"


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_busy_or_failing_token_endpoints_are_retried(oauth, status):
    endpoint = Endpoint(httpx.Response(status), httpx.Response(status), grant("a1", "r1"))
    async with endpoint.client() as http:
        assert (await OAuthRefresh(oauth).token(http)).reveal() == "a1"
    assert len(endpoint.forms) == 3 and stored(oauth) == "r1"


async def test_transport_errors_are_retried(oauth):
    endpoint = Endpoint(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), grant("a1"))
    async with endpoint.client() as http:
        assert (await OAuthRefresh(oauth).token(http)).reveal() == "a1"
    assert len(endpoint.forms) == 3


async def test_a_failing_endpoint_is_tried_five_times_then_an_auth_error(oauth):
    endpoint = Endpoint(*[httpx.Response(502)] * 6)
    async with endpoint.client() as http:
        with pytest.raises(AuthError) as error:
            await OAuthRefresh(oauth).token(http)
    assert len(endpoint.forms) == 5
    assert str(error.value).startswith("token refresh failed: HTTPStatusError(")
    assert "502" in str(error.value)


async def test_an_unreachable_endpoint_is_an_auth_error(oauth):
    endpoint = Endpoint(*[httpx.ConnectError("no route")] * 5)
    async with endpoint.client() as http:
        with pytest.raises(AuthError, match=r"^token refresh failed: ConnectError\('no route'\)"):
            await OAuthRefresh(oauth).token(http)
    assert len(endpoint.forms) == 5


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_a_refused_grant_is_not_retried_and_names_the_refresh_token(oauth, status):
    endpoint = Endpoint(httpx.Response(status, json={"error": "invalid_grant"}))
    async with endpoint.client() as http:
        with pytest.raises(AuthError) as error:
            await OAuthRefresh(oauth).token(http)
    assert len(endpoint.forms) == 1
    assert str(error.value) == (
        f"token refresh refused ({status}): check the client id/secret and the refresh token "
        f"in {oauth.refresh_token}"
    )


async def test_a_grant_is_logged_with_its_path_and_status_only(oauth, caplog):
    caplog.set_level(logging.DEBUG, logger="seqops.http")
    async with Endpoint(grant("a1", "r1")).client() as http:
        await OAuthRefresh(oauth).token(http)
    assert "POST /oauth/token 200" in caplog.messages
    assert not any("a1" in m or "r1" in m or "the-secret" in m for m in caplog.messages)


async def test_a_static_token_is_sent_as_is_and_cannot_be_refreshed():
    token = StaticToken(Secret("static-abc"))
    async with Endpoint().client() as http:
        assert (await token.token(http)).reveal() == "static-abc"
        assert await token.refresh(http, Secret("static-abc")) is False
    assert repr(token) == "StaticToken(***)"


def test_reprs_show_where_the_credentials_live_not_what_they_are(oauth):
    auth = OAuthRefresh(oauth)
    assert repr(auth) == (
        f"OAuthRefresh(token_url={TOKEN_URL!r}, refresh_token={oauth.refresh_token})"
    )
    assert "refresh-0" not in repr(auth) and "the-secret" not in repr(auth)


def test_auth_for_prefers_oauth_then_the_token_and_refuses_neither(oauth, monkeypatch):
    monkeypatch.setenv("GRANT_TOKEN", "static-xyz")
    token = SecretRef("env", "GRANT_TOKEN")
    assert isinstance(auth_for(token, oauth), OAuthRefresh)
    assert isinstance(auth_for(None, oauth), OAuthRefresh)
    static = auth_for(token, None)
    assert isinstance(static, StaticToken) and static._token.reveal() == "static-xyz"
    with pytest.raises(AuthError) as error:
        auth_for(None, None)
    assert str(error.value) == "the target has neither a token nor oauth settings"


async def test_a_write_refused_for_its_token_is_sent_again_whole_under_the_new_one(oauth):
    """A PATCH whose token the API refused (401: it expired early, or was revoked) is sent
    again once a new token is granted, with the same body: the update is made, not an empty
    one."""
    endpoint = Endpoint(grant("a1", "r1"), grant("a2", "r2"))
    sent: list[tuple[str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return endpoint(request)
        sent.append((request.headers["authorization"], request.content))
        if request.headers["authorization"] == "Bearer a1":
            return httpx.Response(401, json={"errors": [{"title": "Unauthorized"}]})
        return httpx.Response(200, json={"data": json.loads(request.content)["data"]})

    document = {"data": {"type": "sequence", "id": 1, "attributes": {"name": "Renamed"}}}
    client = JsonApiClient("https://api.example.test/api/v2", OAuthRefresh(oauth),
                           transport=httpx.MockTransport(handler))  # fmt: skip
    assert await client.patch("/sequences/1", document) == document
    body = json.dumps(document).encode()
    assert sent == [("Bearer a1", body), ("Bearer a2", body)]
    assert stored(oauth) == "r2"
