"""Credentials for the API: a static bearer token, or OAuth2 with rotating refresh tokens.

The client asks its auth for a token before each request and, when the server answers 401,
asks it to refresh the token it used; concurrent requests that saw the same 401 share one
refresh. Tokens are `Secret`s: they never print.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

import httpx
import stamina

from seqops.atomic import WriteError
from seqops.config import OAuth, Secret, SecretRef, redact
from seqops.providers.base import ProviderError

log = logging.getLogger("seqops.http")
EXPIRY_MARGIN = 60.0
"""Refresh an access token this many seconds before the server says it expires."""


class AuthError(ProviderError):
    """The credentials were refused or cannot be obtained."""


class Auth(Protocol):
    """What the client needs from a credential source."""

    async def token(self, http: httpx.AsyncClient) -> Secret:
        """The bearer token to send now."""
        ...

    async def refresh(self, http: httpx.AsyncClient, rejected: Secret) -> bool:
        """The server refused `rejected`: get a new token. False when that is not possible."""
        ...


class StaticToken:
    """A bearer token that cannot be renewed: a 401 is final."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    @classmethod
    def from_ref(cls, ref: SecretRef) -> StaticToken:
        return cls(ref.read())

    async def token(self, http: httpx.AsyncClient) -> Secret:
        return self._token

    async def refresh(self, http: httpx.AsyncClient, rejected: Secret) -> bool:
        return False

    def __repr__(self) -> str:
        return "StaticToken(***)"


class OAuthRefresh:
    """OAuth2 refresh-token grant against `/oauth/token`.

    Refresh tokens rotate: each refresh returns a new one and invalidates the old, so the new
    one is written back to the file it came from, write-ahead: atomically (temporary file,
    fsync, rename) and before the new access token is used for anything, so a process killed
    after that point never loses it. Killed before (the answer lost in flight), the next run
    presents the previous token, which providers with a reuse grace accept once (the sandbox
    does; see `seqops.sandbox.oauth`). An `env:` reference cannot be rewritten; the next run
    would fail, so that is logged as a warning.
    """

    def __init__(self, config: OAuth) -> None:
        self.config = config
        self.refresh_count = 0
        self._client_id = config.client_id.read()
        self._client_secret = config.client_secret.read()
        self._refresh_token = config.refresh_token.read()
        self._access: Secret | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self, http: httpx.AsyncClient) -> Secret:
        async with self._lock:
            if self._access is None or time.monotonic() >= self._expires_at:
                await self._grant(http)
            assert self._access is not None
            return self._access

    async def refresh(self, http: httpx.AsyncClient, rejected: Secret) -> bool:
        async with self._lock:
            if self._access == rejected:
                await self._grant(http)
            return True

    async def _grant(self, http: httpx.AsyncClient) -> None:
        response = await self._post(http)
        try:
            body = response.json()
            access = Secret(str(body["access_token"]))
            rotated = body.get("refresh_token")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise AuthError("token refresh answered without an access token") from None
        if rotated and rotated != self._refresh_token.reveal():
            self._refresh_token = Secret(str(rotated))
            self._persist()  # first: from here on the previous refresh token is spent
        self._access = access
        self._expires_at = time.monotonic() + float(body.get("expires_in") or 3600) - EXPIRY_MARGIN
        self.refresh_count += 1

    async def _post(self, http: httpx.AsyncClient) -> httpx.Response:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._client_id.reveal(),
            "client_secret": self._client_secret.reveal(),
            "refresh_token": self._refresh_token.reveal(),
        }
        try:
            response = await self._post_retrying(http, form)
        except httpx.HTTPError as exc:
            raise AuthError(redact(f"token refresh failed: {exc!r}")) from None
        log.debug("POST %s %s", httpx.URL(self.config.token_url).path, response.status_code)
        if response.status_code != 200:
            raise AuthError(
                f"token refresh refused ({response.status_code}): check the client id/secret "
                f"and the refresh token in {self.config.refresh_token}"
            )
        return response

    async def _post_retrying(self, http: httpx.AsyncClient, form: dict) -> httpx.Response:
        """The token endpoint fails like the rest of the API: 429, 5xx and transport errors
        are retried. (A refresh processed by the server whose response is lost has already
        rotated the token; the retry is then refused and reported as an AuthError.)"""
        async for attempt in stamina.retry_context(on=_transient, attempts=5, timeout=60):
            with attempt:
                response = await http.post(self.config.token_url, data=form)
                if response.status_code == 429 or response.status_code >= 500:
                    response.raise_for_status()
        return response

    def _persist(self) -> None:
        ref = self.config.refresh_token
        if ref.writable:
            try:
                ref.write(self._refresh_token)
            except WriteError as exc:  # the previous token is spent: the next run cannot log in
                raise AuthError(
                    f"{exc}, and the token it holds may be spent now: fix the disk, then put a "
                    "new refresh token there before the next run"
                ) from None
        else:
            log.warning("the rotated refresh token cannot be written back to %s", ref)

    def __repr__(self) -> str:
        return f"OAuthRefresh(token_url={self.config.token_url!r}, refresh_token={self.config.refresh_token})"


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code == 429 or exc.response.status_code >= 500
    return isinstance(exc, httpx.TransportError)


def auth_for(token: SecretRef | None, oauth: OAuth | None) -> StaticToken | OAuthRefresh:
    """The auth a target's configuration describes."""
    if oauth is not None:
        return OAuthRefresh(oauth)
    if token is None:
        raise AuthError("the target has neither a token nor oauth settings")
    return StaticToken.from_ref(token)
