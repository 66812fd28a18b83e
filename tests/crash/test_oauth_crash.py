"""OAuth refresh survives a crash: the rotated refresh token is written before it is needed,
and a process killed while the answer was in flight recovers with the previous token through
the provider's reuse grace (the sandbox's, like real providers')."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from seqops.config import OAuth, SecretRef
from seqops.providers.outreach import AuthError, JsonApiClient, OAuthRefresh, OutreachProvider
from seqops.sandbox.app import create_app
from seqops.sandbox.oauth import TokenAuthority
from tests.reliability.conftest import serve

from .cli import env

pytestmark = pytest.mark.anyio
BASE = "http://sandbox.test/api/v2"
PYTHON = [sys.executable, "-W", "default", "-c", "from seqops.cli import main; main()"]


@pytest.fixture
def oauth(tmp_path, monkeypatch) -> OAuth:
    monkeypatch.setenv("SANDBOX_CLIENT_ID", "seqops-sandbox")
    (tmp_path / "client-secret").write_text("sandbox-secret\n")
    (tmp_path / "refresh").write_text("sandbox-refresh\n")
    return OAuth(
        token_url="http://sandbox.test/oauth/token",
        client_id=SecretRef("env", "SANDBOX_CLIENT_ID"),
        client_secret=SecretRef("file", str(tmp_path / "client-secret")),
        refresh_token=SecretRef("file", str(tmp_path / "refresh")),
    )


def provider(app, oauth: OAuth) -> OutreachProvider:
    client = JsonApiClient(
        BASE, OAuthRefresh(oauth), transport=httpx.ASGITransport(app=app), attempts=2
    )
    return OutreachProvider(client)


def test_a_used_refresh_token_is_accepted_again_while_its_answers_were_lost():
    authority = TokenAuthority("static")
    first = authority.refresh("sandbox-refresh")
    assert first is not None
    again = authority.refresh("sandbox-refresh")  # the first answer was lost
    assert again is not None and again["refresh_token"] != first["refresh_token"]
    assert authority.refresh(first["refresh_token"]) is None  # the lost one is revoked
    third = authority.refresh("sandbox-refresh")  # killed again before saving `again`
    assert third is not None
    assert authority.refresh(again["refresh_token"]) is None
    assert authority.refresh(third["refresh_token"]) is not None  # this answer arrived
    assert authority.refresh("sandbox-refresh") is None  # its successor was used


def test_no_grace_once_the_new_token_was_used_or_the_grace_passed():
    authority = TokenAuthority("static")
    first = authority.refresh("sandbox-refresh")
    assert authority.refresh(first["refresh_token"]) is not None  # the answer arrived
    assert authority.refresh("sandbox-refresh") is None
    late = TokenAuthority("static", reuse_grace=0.0)
    assert late.refresh("sandbox-refresh") is not None
    assert late.refresh("sandbox-refresh") is None


async def test_a_run_killed_after_the_token_post_recovers_on_the_next_run(oauth, tmp_path):
    app = create_app()
    authority = app.state.sandbox.tokens
    assert authority.refresh("sandbox-refresh") is not None  # the killed run's POST
    assert (tmp_path / "refresh").read_text().strip() == "sandbox-refresh"  # never saved
    for _ in range(2):  # the next run, then the one after it
        p = provider(app, oauth)
        try:
            await p.read()
        finally:
            await p.aclose()
    saved = (tmp_path / "refresh").read_text().strip()
    assert saved not in ("", "sandbox-refresh")


async def test_without_the_grace_the_lost_answer_is_a_clear_error(oauth):
    app = create_app()
    app.state.sandbox.tokens.reuse_grace = 0.0
    app.state.sandbox.tokens.refresh("sandbox-refresh")
    p = provider(app, oauth)
    try:
        with pytest.raises(AuthError, match=r"^token refresh refused \(400\)"):
            await p.read()
    finally:
        await p.aclose()


async def test_the_rotated_token_is_on_disk_before_any_api_request(oauth, tmp_path):
    app = create_app()
    seen: list[str] = []

    async def spy(scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            seen.append((tmp_path / "refresh").read_text().strip())
        await app(scope, receive, send)

    p = provider(spy, oauth)
    try:
        await p.read()
    finally:
        await p.aclose()
    assert seen and "sandbox-refresh" not in seen


def test_an_auth_failure_prints_no_coroutine_warning(tmp_path):
    """The CLI refused by the token endpoint of a served sandbox while its concurrent reads
    start: one error line, and no `coroutine ... was never awaited` at exit."""
    (tmp_path / "t.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: t}\n"
        "spec: {subject: Hi, bodyHtml: <p>Hi</p>}\n"
    )
    (tmp_path / "refresh").write_text("not-a-valid-refresh-token\n")
    with serve() as served:
        (tmp_path / "seqops.yaml").write_text(
            f"targets:\n  sb:\n    url: {served.url}\n    oauth:\n      clientId: env:CID\n"
            "      clientSecret: env:CSECRET\n      refreshToken: file:refresh\n"
        )
        done = subprocess.run(
            [*PYTHON, "plan", ".", "--target", "sb"],
            cwd=tmp_path,
            env={**env(), "CID": "seqops-sandbox", "CSECRET": "sandbox-secret"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.startswith("error: token refresh refused (400)"), done.stderr
    assert "never awaited" not in done.stderr and "Traceback" not in done.stderr
    assert "not-a-valid-refresh-token" not in done.stdout + done.stderr
