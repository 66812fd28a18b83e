"""HTTP client of the Coefficy Campaign API: `x-access-token` auth and the response envelope.

Every answer is `{success, parameters, result}`; `success: false` is an error even with a 200.
Requests are idempotent reads, so 5xx answers, 429 and broken connections are retried (stamina,
exponential backoff with jitter). Each request has one total deadline (connect, headers and
body: a server that never answers, or trickles its answer, cannot hold `status`), and the
retries of one read stop after `RETRY_BUDGET` seconds. Errors become one-line
`ProviderError`s naming the host, with the token redacted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import stamina

from seqops.config import Secret, redact
from seqops.providers.base import ProviderError

log = logging.getLogger("seqops.coefficy")

RETRY_ATTEMPTS = 4
DEADLINE = 10.0
"""Seconds one request may take in all, as the Outreach client's (DESIGN §4)."""
RETRY_BUDGET = 1.5
"""Retries of one read stop this many deadlines after the first attempt began."""
Params = list[tuple[str, str | int | float | bool | None]]


class RetryableError(Exception):
    """An answer worth retrying (5xx, 429); carries the last response for the final message."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


RETRY_ON = (RetryableError, httpx.TransportError, TimeoutError)


class CoefficyClient:
    """GETs against a Coefficy base URL such as `https://api.campaign.coefficy.com/v1`."""

    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        attempts: int = RETRY_ATTEMPTS,
        deadline: float = DEADLINE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.attempts = attempts
        self.deadline = deadline
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"x-access-token": token.reveal(), "accept": "application/json"},
            transport=transport,
            timeout=deadline,
        )

    async def get(self, path: str, params: Params) -> dict[str, Any]:
        """The envelope of `GET path`; raises ProviderError when it is not a success."""
        try:
            response = await self._get_with_retries(path, params)
        except RetryableError as exc:
            raise ProviderError(_http_error(path, exc.response)) from None
        except (httpx.TransportError, TimeoutError) as exc:
            message = f"Coefficy GET {path}: cannot reach {self.base_url}: {self._failure(exc)}"
            raise ProviderError(redact(message)) from None
        return _envelope(path, response)

    async def _get_with_retries(self, path: str, params: Params) -> httpx.Response:
        budget = RETRY_BUDGET * self.deadline
        retry = stamina.retry_context(on=RETRY_ON, attempts=self.attempts, timeout=budget)
        async for attempt in retry:
            with attempt:
                response = await self._send(path, params)
                if response.status_code == 429 or response.status_code >= 500:
                    raise RetryableError(response)
        return response

    async def _send(self, path: str, params: Params) -> httpx.Response:
        started = time.perf_counter()
        async with asyncio.timeout(self.deadline):
            response = await self._http.get(path, params=params)
        elapsed = (time.perf_counter() - started) * 1000
        log.debug(redact(f"GET {self.base_url}{path} -> {response.status_code} ({elapsed:.0f} ms)"))
        return response

    def _failure(self, exc: Exception) -> str:
        if isinstance(exc, TimeoutError | httpx.TimeoutException):
            return f"no complete answer within {self.deadline:g} s"
        return type(exc).__name__

    async def aclose(self) -> None:
        await self._http.aclose()


def _message(response: httpx.Response) -> str | None:
    """The API's own error message, when the body is the JSON envelope."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    message = body.get("message") or body.get("error") or body.get("errors")
    return str(message) if message else None


def _http_error(path: str, response: httpx.Response) -> str:
    hint = {401: " (check the target's x-access-token)", 403: " (the token lacks access)"}
    detail = _message(response) or response.reason_phrase
    text = f"Coefficy GET {path}: HTTP {response.status_code}: {detail}"
    return redact(" ".join((text + hint.get(response.status_code, "")).split()))


def _envelope(path: str, response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise ProviderError(_http_error(path, response))
    try:
        body = response.json()
    except ValueError:
        raise ProviderError(f"Coefficy GET {path}: the answer is not JSON") from None
    if not isinstance(body, dict) or "success" not in body:
        raise ProviderError(
            f"Coefficy GET {path}: the answer is not a {{success, result}} envelope"
        )
    if body["success"] is not True:
        detail = _message(response) or "no message"
        raise ProviderError(
            redact(f"Coefficy GET {path}: the API answered success: false: {detail}")
        )
    return body
