"""Bearer tokens and the OAuth2 refresh-token grant (`POST /oauth/token`).

The static sandbox token is always valid. Access tokens issued by the grant are valid until they
expire (or `expire_all()`); refresh tokens rotate: each works once and yields a new one. OAuth
state lives in memory, so every sandbox process starts with the configured refresh token.

Reuse grace, as real providers offer it (Okta, Auth0 "rotation overlap"): a client killed after
the server rotated its refresh token but before it saved the new one comes back with the old
one. Within `REUSE_GRACE` seconds of its first use, and while the token it was last traded for
has never been used, the old token is accepted once more per lost answer: that unused successor
is revoked and a new pair is issued. Once a successor is used, or the grace has passed, the old
token is refused (`invalid_grant`): at any time only the newest token, or the one before it
while the newest's answer may have been lost, works.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

DEFAULT_CLIENT_ID = "seqops-sandbox"
DEFAULT_CLIENT_SECRET = "sandbox-secret"
DEFAULT_REFRESH_TOKEN = "sandbox-refresh"
ACCESS_TOKEN_TTL = 7200.0
REUSE_GRACE = 300.0
"""Seconds a used refresh token may be presented once more (its answer was lost)."""


@dataclass
class TokenAuthority:
    static_token: str
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    refresh_token: str = DEFAULT_REFRESH_TOKEN
    access_token_ttl: float = ACCESS_TOKEN_TTL
    _access: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    _refresh: set[str] = field(default_factory=set)
    _used: dict[str, tuple[float, str]] = field(default_factory=dict)
    """used refresh token -> (when, the token it was traded for): the reuse grace."""
    reuse_grace: float = REUSE_GRACE
    _graced_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._refresh.add(self.refresh_token)

    def accepts(self, token: str | None) -> bool:
        if not token:
            return False
        if secrets.compare_digest(token, self.static_token):
            return True
        with self._lock:
            expiry = self._access.get(token)
        return expiry is not None and expiry > time.monotonic()

    def refresh(self, refresh_token: str) -> dict[str, object] | None:
        """Trade a refresh token for a new access token and a new refresh token (None: invalid)."""
        with self._lock:
            fresh = refresh_token in self._refresh
            if not fresh and not self._regrace(refresh_token):
                return None
            self._refresh.discard(refresh_token)
            access, renewed = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self._access[access] = time.monotonic() + self.access_token_ttl
            self._refresh.add(renewed)
            when = time.monotonic() if fresh else self._graced_at
            self._used[refresh_token] = (when, renewed)
        return {
            "access_token": access,
            "refresh_token": renewed,
            "token_type": "bearer",
            "expires_in": int(self.access_token_ttl),
            "created_at": int(time.time()),
        }

    def _regrace(self, refresh_token: str) -> bool:
        """A used token presented again within the grace, its successor never used: revoke
        the successor (its answer was lost) and accept the old one this once."""
        used = self._used.pop(refresh_token, None)
        if used is None:
            return False
        when, successor = used
        if time.monotonic() - when > self.reuse_grace or successor not in self._refresh:
            return False
        self._refresh.discard(successor)
        self._graced_at = when  # the grace still counts from the first use
        return True

    def expire_all(self) -> None:
        """Invalidate every issued access token (the static token stays valid)."""
        with self._lock:
            self._access.clear()

    def client_ok(self, client_id: str | None, client_secret: str | None) -> bool:
        return client_id == self.client_id and secrets.compare_digest(
            client_secret or "", self.client_secret
        )


def oauth_error(code: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": code, "error_description": description}, status_code=status)


async def read_grant(request: Request) -> dict[str, str]:
    """The grant parameters, from a urlencoded form or a JSON body (Outreach accepts both)."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            fields = json.loads(body or b"{}")
        except ValueError:
            return {}
        return {k: str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
    return dict(parse_qsl(body.decode("utf-8", "replace")))


def token_endpoint(authority: TokenAuthority) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def token(request: Request) -> JSONResponse:
        grant = await read_grant(request)
        if grant.get("grant_type") != "refresh_token":
            return oauth_error(
                "unsupported_grant_type", "Only grant_type=refresh_token is supported."
            )
        if not authority.client_ok(grant.get("client_id"), grant.get("client_secret")):
            return oauth_error("invalid_client", "Client authentication failed.", 401)
        issued = authority.refresh(grant.get("refresh_token", ""))
        if issued is None:
            return oauth_error(
                "invalid_grant", "The refresh token is invalid, expired or already used."
            )
        return JSONResponse(issued, headers={"Cache-Control": "no-store"})

    return token
