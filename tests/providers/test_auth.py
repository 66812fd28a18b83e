"""OAuth refresh with rotating refresh tokens, 401 mid-run, and tokens kept out of every text."""

from __future__ import annotations

import logging

import pytest

from seqops.config import OAuth, Secret, SecretRef
from seqops.providers.base import ProviderError
from seqops.providers.outreach import AuthError, OAuthRefresh, StaticToken
from seqops.sandbox.app import create_app

pytestmark = pytest.mark.anyio
TOKEN_URL = "http://sandbox.test/oauth/token"
CANARY = "canary-7f3a9c-static-token"


@pytest.fixture
def oauth(tmp_path, monkeypatch) -> OAuth:
    monkeypatch.setenv("SANDBOX_CLIENT_ID", "seqops-sandbox")
    (tmp_path / "client-secret").write_text("sandbox-secret\n")
    (tmp_path / "refresh").write_text("sandbox-refresh\n")
    return OAuth(
        token_url=TOKEN_URL,
        client_id=SecretRef("env", "SANDBOX_CLIENT_ID"),
        client_secret=SecretRef("file", str(tmp_path / "client-secret")),
        refresh_token=SecretRef("file", str(tmp_path / "refresh")),
    )


async def test_refresh_rotates_and_writes_the_new_refresh_token_back(
    provider_for, app, oauth, tmp_path
):
    auth = OAuthRefresh(oauth)
    provider = provider_for(app, auth=auth)

    await provider.read()

    rotated = (tmp_path / "refresh").read_text().strip()
    assert rotated and rotated != "sandbox-refresh"
    assert auth.refresh_count == 1
    # The next process starts from the rotated token, and rotates it again.
    second = OAuthRefresh(oauth)
    await provider_for(app, auth=second).read()
    assert (tmp_path / "refresh").read_text().strip() not in ("", rotated)


async def test_401_mid_run_refreshes_once_and_retries(provider_for, app, oauth):
    app.state.sandbox.generate_account(5, 2)
    auth = OAuthRefresh(oauth)
    provider = provider_for(app, auth=auth)
    first = await provider.read()

    app.state.sandbox.expire_tokens()
    before = provider.client.request_count
    second = await provider.read()

    assert auth.refresh_count == 2  # 8 concurrent requests saw the 401; they shared one refresh
    assert [o.resource for o in second.objects] == [o.resource for o in first.objects]
    assert provider.client.request_count - before > 8  # the refused requests were sent again


async def test_refused_client_secret_is_a_one_line_error_without_secrets(
    provider_for, app, oauth, tmp_path
):
    (tmp_path / "client-secret").write_text("wrong-secret-value\n")
    provider = provider_for(app, auth=OAuthRefresh(oauth))
    with pytest.raises(AuthError) as info:
        await provider.read()
    message = str(info.value)
    assert "refused (401)" in message and "\n" not in message
    assert "wrong-secret-value" not in message and "sandbox-refresh" not in message


async def test_env_refresh_token_cannot_be_rewritten_so_it_warns(
    provider_for, app, oauth, monkeypatch, caplog
):
    monkeypatch.setenv("SANDBOX_REFRESH", "sandbox-refresh")
    env_oauth = OAuth(
        oauth.token_url, oauth.client_id, oauth.client_secret, SecretRef("env", "SANDBOX_REFRESH")
    )
    await provider_for(app, auth=OAuthRefresh(env_oauth)).read()
    assert "cannot be written back to env:SANDBOX_REFRESH" in caplog.text


async def test_tokens_never_appear_in_logs_errors_or_reprs(provider_for, caplog, oauth, tmp_path):
    app = create_app(token=CANARY, fault_rate=0.3, seed=3)
    app.state.sandbox.generate_account(5, 3)
    provider = provider_for(app, auth=StaticToken(Secret(CANARY)))
    caplog.set_level(logging.DEBUG)
    await provider.read()
    with pytest.raises(ProviderError) as info:
        await provider.client.get("/sequences/999999", {"access_token": CANARY})
    oauth_provider = provider_for(app, auth=OAuthRefresh(oauth))
    await oauth_provider.read()
    issued = oauth_provider.client.auth._access.reveal()  # the access token the sandbox issued
    refresh = (tmp_path / "refresh").read_text().strip()

    texts = [
        caplog.text,
        str(info.value),
        repr(info.value),
        repr(provider),
        repr(provider.client),
        repr(provider.client.auth),
        repr(oauth_provider.client.auth),
    ]
    assert "GET /api/v2/sequences/999999?access_token=*** 404" in caplog.text
    for text in texts:
        for secret in (CANARY, issued, refresh, "sandbox-secret"):
            assert secret not in text
