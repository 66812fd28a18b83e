"""An asyncio JSON:API client for the Outreach API: auth, pacing, retries, pagination, counting.

The transport is pluggable so tests run the sandbox in process (`httpx.ASGITransport`).
Every request is logged at DEBUG on `seqops.http` as `METHOD /path?query STATUS 12ms`, with
anything token-like scrubbed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import unquote

import httpx
import stamina

from seqops.config import Secret, redact, redact_loggers
from seqops.providers.base import ProviderError
from seqops.providers.outreach.auth import Auth, AuthError
from seqops.providers.outreach.breaker import DEFAULT_WINDOW, CircuitBreaker
from seqops.providers.outreach.ratelimit import NOTABLE_WAIT, RateLimiter, retry_after

log = logging.getLogger("seqops.http")
THIRD_PARTY_LOGGERS = ("httpx", "httpcore", "stamina")
JSONAPI = "application/vnd.api+json"
MAX_PAGES = 100_000
"""A listing longer than this is a server handing out endless `next` links: refused, since a
plan made from part of an account would create what exists and miss what it owns."""

Document = dict[str, Any]
Recover = Callable[[], Awaitable[Document | None]]
"""Looks for the object a POST may have created before its response was lost."""

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport failures that happen before the request reaches the server."""


class ApiError(ProviderError):
    """The API refused a request (4xx), or kept failing after retries. The message is safe."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(redact(message))
        self.status = status


class Transient(Exception):
    """A failure worth retrying: 429, 5xx or a transport error."""

    def __init__(
        self, message: str, *, sent: bool, wait: float | None = None, down: bool = True
    ) -> None:
        super().__init__(redact(message))
        self.down = down
        """The host did not answer, or answered 5xx (counts towards the circuit breaker)."""
        self.sent = sent
        """The server may have processed the request (its response was lost or a 5xx)."""
        self.wait = wait
        """What the server asked us to wait (Retry-After / x-ratelimit-reset), if anything."""


class JsonApiClient:
    """One account's API. Safe to share between concurrent tasks; `concurrency` bounds them."""

    def __init__(
        self,
        base_url: str,
        auth: Auth,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
        page_size: int = 1000,
        timeout: float = 30.0,
        attempts: int = 8,
        wait_initial: float = 0.2,
        wait_max: float = 10.0,
        wait_jitter: float = 0.5,
        breaker_window: float = DEFAULT_WINDOW,
        max_pages: int = MAX_PAGES,
    ) -> None:
        self.base_url = httpx.URL(base_url.rstrip("/") + "/")
        self.auth = auth
        self.breaker = CircuitBreaker(host_of(self.base_url), breaker_window)
        self.page_size = page_size
        self.max_pages = max_pages
        self.rate = RateLimiter()
        self.request_count = 0
        self.last_headers = httpx.Headers()
        """The headers of the latest response (rate-limit budget, server identity)."""
        self.requests: Counter[str] = Counter()
        """Requests sent (retries included) per `METHOD /path`, path relative to base_url."""
        self._retry = {
            "attempts": attempts,
            "wait_initial": wait_initial,
            "wait_max": wait_max,
            "wait_jitter": wait_jitter,
        }
        self._slots = asyncio.Semaphore(concurrency)
        redact_loggers(*THIRD_PARTY_LOGGERS)
        _silence_stamina()
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"Accept": JSONAPI},
        )

    def __repr__(self) -> str:
        return f"JsonApiClient({str(self.base_url)!r}, requests={self.request_count})"

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- verbs ---------------------------------------------------------------------------

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Document:
        return await self.request("GET", path, params=params) or {}

    async def list_all(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        convert: Callable[[Document], Any] | None = None,
    ) -> list[Any]:
        """Every resource of a collection, following `links.next` at `page[size]=page_size`.

        `convert` maps each resource as its page arrives (to a compact record, say): the raw
        page is dropped before the next one is fetched, so a large listing never sits in memory
        as JSON."""
        resources: list[Any] = []
        async with contextlib.aclosing(self.pages(path, params)) as pages:
            async for page in pages:
                resources.extend(map(convert, page) if convert else page)
                del page  # not held while the next page is fetched
        return resources

    async def pages(
        self, path: str, params: dict[str, Any] | None = None
    ) -> AsyncIterator[list[Document]]:
        """The resources of a collection one page at a time; a caller may stop early."""
        params = {**(params or {}), "page[size]": self.page_size}
        url: str | None = path
        seen: set[str] = set()
        while url is not None:
            if len(seen) >= self.max_pages:
                raise ApiError(
                    f"GET {path}: still more after {self.max_pages} pages; stopped rather than "
                    "plan from part of the account"
                )
            seen.add(url)
            document = await self.get(url, params)
            url, params = self._next_page(document, seen), None
            page = document.get("data") or []
            del document
            yield page
            del page

    async def count(self, path: str, params: dict[str, Any] | None = None) -> int:
        """`meta.count` of a filtered collection, fetching a single row."""
        document = await self.get(path, {**(params or {}), "page[size]": 1})
        meta = document.get("meta") or {}
        if "count" not in meta:
            raise ApiError(f"GET {path}: the response has no meta.count")
        return int(meta["count"])

    async def post(
        self, path: str, document: Document, *, recover: Recover | None = None
    ) -> Document:
        """Create. Not idempotent: after a failure that may have reached the server it is only
        retried when `recover` (which looks for the object) finds nothing."""
        return await self.request("POST", path, body=document, idempotent=False, recover=recover)

    async def patch(self, path: str, document: Document) -> Document:
        return await self.request("PATCH", path, body=document) or {}

    async def delete(self, path: str) -> None:
        await self.request("DELETE", path)

    async def action(self, path: str) -> Document | None:
        """POST to an idempotent action endpoint (enable, disable, pause, ...)."""
        return await self.request("POST", path)

    # --- machinery -----------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Document | None = None,
        idempotent: bool = True,
        recover: Recover | None = None,
    ) -> Document | None:
        """Send with retries; a non-idempotent request that may have been processed is never
        resent blindly (see `post`). A target down for the breaker's window raises
        `Unreachable` (see `seqops.providers.outreach.breaker`)."""
        uncertain = False
        retries = _Retries(self, method, path)
        try:
            async for attempt in stamina.retry_context(
                on=retries.decide, timeout=None, **self._retry
            ):
                with attempt:
                    self.breaker.check()
                    if uncertain and recover is not None:
                        found = await recover()
                        if found is not None:
                            return found
                        uncertain = False
                    try:
                        return await self._send(method, path, params, body)
                    except Transient as exc:
                        self.breaker.check()
                        uncertain = exc.sent and not idempotent
                        if uncertain and recover is None:
                            raise ApiError(
                                f"{method} {path}: {exc} (it may have been applied)"
                            ) from None
                        raise
        except Transient as exc:
            raise ApiError(f"{method} {path}: {exc} (gave up after retries)") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, method: str, path: str, params: dict[str, Any] | None, body: Document | None
    ) -> Document | None:
        async with self._slots:
            await self.rate.acquire()
            token = await self.auth.token(self._http)
            response = await self._exchange(method, path, params, body, token)
            if response.status_code == 401 and await self.auth.refresh(self._http, token):
                await self.rate.acquire()
                token = await self.auth.token(self._http)
                response = await self._exchange(method, path, params, body, token)
        return _result(method, path, response)

    async def _exchange(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        body: Document | None,
        token: Secret,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token.reveal()}"}
        if method != "GET":  # the API refuses writes without it, even bodiless actions
            headers["Content-Type"] = JSONAPI
        content = json.dumps(body) if body is not None else None
        request = self._http.build_request(
            method, path, params=params, headers=headers, content=content
        )
        self._count(method, request.url)
        started = time.monotonic()
        try:
            response = await self._http.send(request)
        except httpx.TransportError as exc:
            self.rate.release(None)
            _log(request, f"failed ({type(exc).__name__})", started)
            cause = f"{type(exc).__name__} to {self.breaker.host}"
            self.breaker.failure(cause)
            raise Transient(cause, sent=not isinstance(exc, NOT_SENT)) from None
        if response.status_code >= 500:
            self.breaker.failure(f"{response.status_code} from {self.breaker.host}")
        else:
            self.breaker.success()
        self.rate.release(response.headers)
        self.last_headers = response.headers
        _log(request, str(response.status_code), started)
        return response

    def _count(self, method: str, url: httpx.URL) -> None:
        self.request_count += 1
        path = url.path.removeprefix(self.base_url.path.rstrip("/"))
        self.requests[f"{method} {path}"] += 1

    def _next_page(self, document: Document, seen: set[str]) -> str | None:
        """The next page's URL; None at the end (no link, or a link we already followed)."""
        link = (document.get("links") or {}).get("next")
        if isinstance(link, dict):  # JSON:API allows link objects {"href": ...}
            link = link.get("href")
        if not link or not isinstance(link, str):
            return None
        url = str(self.base_url.join(link)) if link.startswith("/") else link
        return None if url in seen else url


def _result(method: str, path: str, response: httpx.Response) -> Document | None:
    status = response.status_code
    if status == 429:
        wait = retry_after(response.headers)
        raise Transient("429 rate limited", sent=False, wait=wait, down=False)
    if status >= 500:
        raise Transient(f"{status} server error", sent=True, wait=_header_wait(response))
    if status == 401:
        raise AuthError(f"{method} {path}: 401 unauthorized: the token was refused")
    if status >= 400:
        raise ApiError(f"{method} {path}: {status} {_error_detail(response)}", status)
    if status == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:  # a truncated body: the connection broke mid-response
        raise Transient(f"{status} with an unreadable body", sent=True) from None


def _header_wait(response: httpx.Response) -> float | None:
    return retry_after(response.headers) if "retry-after" in response.headers else None


def _error_detail(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return response.reason_phrase
    parts = [": ".join(p for p in (e.get("title"), e.get("detail")) if p) for e in errors]
    return "; ".join(p for p in parts if p) or response.reason_phrase


def host_of(url: httpx.URL) -> str:
    """`127.0.0.1:9`, `api.outreach.io`: how messages name the target."""
    return f"{url.host}:{url.port}" if url.port else url.host


class _Retries:
    """stamina's backoff hook for one request: which failures are retried, how long to wait
    (as the server asked, else exponential with jitter, never past the breaker's deadline),
    and one line per retry, numbered from 1."""

    def __init__(self, client: JsonApiClient, method: str, path: str) -> None:
        shown = path if path.startswith(("/", "http")) else f"/{path}"
        self.client, self.what = client, f"{method} {shown}"
        self.retries = client._retry["attempts"] - 1
        self.done = 0

    def decide(self, exc: Exception) -> bool | float:
        if not isinstance(exc, Transient):
            return False
        self.done += 1
        wait = exc.wait if exc.wait is not None else self.backoff()
        wait = max(self.client.breaker.cap(wait), 0.001)
        if self.done <= self.retries:
            self.say(exc, wait)
        return wait

    def backoff(self) -> float:
        options = self.client._retry
        wait = min(options["wait_initial"] * 2 ** (self.done - 1), options["wait_max"])
        return wait + random.uniform(0, options["wait_jitter"])

    def say(self, exc: Transient, wait: float) -> None:
        """A target that does not answer is worth a line on the terminal (it may be down);
        a lone 5xx or a short rate-limit wait under load is not (-v shows it)."""
        cause = str(exc)
        notable = (exc.down and not exc.sent) or wait >= NOTABLE_WAIT
        level = logging.WARNING if notable else logging.DEBUG
        if level == logging.WARNING and not self.client.breaker.first_time(self.done, cause):
            level = logging.DEBUG
        until = "the rate-limit reset" if not exc.down else f"{self.client.breaker.host} to answer"
        log.log(
            level,
            "retry %d/%d in %.1fs after %s (%s): waiting for %s",
            self.done,
            self.retries,
            wait,
            cause,
            self.what,
            until,
        )


def _silence_stamina() -> None:
    """stamina logs each scheduled retry at WARNING by default; `_Retries` says them instead."""
    stamina.instrumentation.set_on_retry_hooks([])


def _log(request: httpx.Request, outcome: str, started: float) -> None:
    if log.isEnabledFor(logging.DEBUG):
        target = unquote(request.url.raw_path.decode("ascii", "replace"))
        elapsed = (time.monotonic() - started) * 1000
        log.debug("%s %s %s %dms", request.method, redact(target), outcome, elapsed)
