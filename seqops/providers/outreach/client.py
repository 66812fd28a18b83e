"""An asyncio JSON:API client for the Outreach API: auth, pacing, retries, pagination, counting.

Every request has a total deadline (connect, headers and body together: a server that accepts
and never answers, or trickles its body a byte at a time, fails it like any timeout). Failures
feed the circuit breaker (`breaker`), rate limits the limiter (`ratelimit`), listing pages the
adaptive page sizes (`paging`); refusals become `ApiError`s a person can act on (`errors`).

The transport is pluggable so tests run the sandbox in process (`httpx.ASGITransport`).
Every request is logged at DEBUG on `seqops.http` as `METHOD /path?query STATUS 12ms`, with
anything token-like scrubbed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import httpx
import stamina

from seqops.config import Secret, redact, redact_loggers
from seqops.providers.outreach.auth import Auth, AuthError
from seqops.providers.outreach.breaker import (
    DEFAULT_WINDOW,
    ERROR,
    REFUSED,
    TIMEOUT,
    CircuitBreaker,
)
from seqops.providers.outreach.documents import ShapeError, describe_kind
from seqops.providers.outreach.errors import ApiError, Transient, refusal
from seqops.providers.outreach.log import log_request
from seqops.providers.outreach.paging import (
    MAX_PAGE_SIZE,
    Count,
    PageSizes,
    collection_of,
    next_link,
    on_target,
    smaller,
)
from seqops.providers.outreach.probe import PROBE_DEADLINE, Probe
from seqops.providers.outreach.ratelimit import Budget, RateLimiter, RatePolicy, retry_after
from seqops.providers.outreach.retries import Retries

__all__ = ["ApiError", "Count", "Document", "JsonApiClient", "Transient", "host_of"]

log = logging.getLogger("seqops.http")
THIRD_PARTY_LOGGERS = ("httpx", "httpcore", "stamina")
JSONAPI = "application/vnd.api+json"
DEFAULT_DEADLINE = 10.0
"""Seconds a request may take in all (connect, headers, body): with the breaker's window, a
target that stops answering ends the run within ~15 s."""
MAX_PAGES = 100_000
"""A listing longer than this is a server handing out endless `next` links: refused, since a
plan made from part of an account would create what exists and miss what it owns."""
SHRINKABLE = (502, 504)

"""Statuses a gateway answers when a page took too long to build: asked again smaller."""

Document = dict[str, Any]
Recover = Callable[[], Awaitable[Document | None]]
"""Looks for the object a POST may have created before its response was lost."""

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport failures that happen before the request reaches the server."""


class JsonApiClient:
    """One account's API. Safe to share between concurrent tasks; `concurrency` bounds them."""

    def __init__(
        self,
        base_url: str,
        auth: Auth,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
        page_size: int = MAX_PAGE_SIZE,
        timeout: float = DEFAULT_DEADLINE,
        attempts: int = 8,
        wait_initial: float = 0.2,
        wait_max: float = 10.0,
        wait_jitter: float = 0.5,
        breaker_window: float = DEFAULT_WINDOW,
        max_pages: int = MAX_PAGES,
        rate_policy: RatePolicy | None = None,
    ) -> None:
        self.base_url = httpx.URL(base_url.rstrip("/") + "/")
        self.auth = auth
        self.host = host_of(self.base_url)
        self.breaker = CircuitBreaker(self.host, breaker_window)
        self.page_sizes = PageSizes(page_size)
        self.deadline = timeout
        self.max_pages = max_pages
        self.rate = RateLimiter(policy=rate_policy)
        self.probe = Probe(self._probe, min(PROBE_DEADLINE, timeout))
        self.request_count = 0
        self.last_headers = httpx.Headers()
        """The headers of the latest response (rate-limit budget, server identity)."""
        self.requests: Counter[str] = Counter()
        """Requests sent (retries included) per `METHOD /path`, path relative to base_url."""
        self.attempts = attempts
        self.backoff = {"initial": wait_initial, "max": wait_max, "jitter": wait_jitter}
        self._slots = asyncio.Semaphore(concurrency)
        redact_loggers(*THIRD_PARTY_LOGGERS)
        _silence_stamina()
        self._http = httpx.AsyncClient(
            transport=transport, timeout=timeout, headers={"Accept": JSONAPI}
        )

    def __repr__(self) -> str:
        return f"JsonApiClient({str(self.base_url)!r}, requests={self.request_count})"

    @property
    def page_size(self) -> int:
        """The page size listings start at (the target's `pageSize`)."""
        return self.page_sizes.start

    @property
    def budget(self) -> Budget:
        """The hourly rate-limit budget the latest response reported."""
        return Budget.of(self.last_headers)

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
        """Every resource of a collection, following `links.next`.

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
    ) -> AsyncGenerator[list[Document], None]:
        """The resources of a collection one page at a time (`count=false`: a listing needs no
        total); a caller may stop early."""
        collection = collection_of(path, self.base_url)
        url: str | httpx.URL = path
        query: dict[str, Any] | None = {**(params or {}), "count": "false"}
        seen: set[str] = set()
        while True:
            if len(seen) >= self.max_pages:
                raise ApiError(
                    f"GET {_shown(path)}: still more after {self.max_pages} pages; stopped "
                    "rather than plan from part of the account"
                )
            seen.add(str(url))
            document = await self.request("GET", url, params=query, page=collection) or {}
            link = next_link(document)
            page = _listed(document, collection, _shown(path))
            del document
            yield page
            del page
            if link is None:
                return
            url, query = on_target(link, self.base_url, _shown(path)), {"count": "false"}
            if str(url) in seen:
                return

    async def first_page(self, path: str, params: dict[str, Any] | None = None) -> Document:
        """The first page of a listing with its `meta.count` (a count and the rows that may
        make more requests needless): asked again smaller when it fails, as a listing is."""
        collection = collection_of(path, self.base_url)
        return await self.request("GET", path, params=params, page=collection) or {}

    async def count(self, path: str, params: dict[str, Any] | None = None) -> Count:
        """`meta.count` of a filtered collection, fetching a single row."""
        document = await self.get(path, {**(params or {}), "page[size]": 1})
        return Count.of(document, f"GET {_shown(path)}")

    async def post(
        self, path: str, document: Document, *, recover: Recover | None = None
    ) -> Document:
        """Create. Not idempotent: after a failure that may have reached the server it is only
        retried when `recover` (which looks for the object) finds nothing."""
        created = await self.request("POST", path, body=document, idempotent=False, recover=recover)
        return created or {}

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
        path: str | httpx.URL,
        *,
        params: dict[str, Any] | None = None,
        body: Document | None = None,
        idempotent: bool = True,
        recover: Recover | None = None,
        page: str | None = None,
    ) -> Document | None:
        """Send with retries; a non-idempotent request that may have been processed is never
        resent blindly (see `post`). `page` names the collection of a listing page, which is
        asked again smaller when it fails (`paging`). A target down for the breaker's window
        raises `Unreachable` (see `seqops.providers.outreach.breaker`)."""
        uncertain = False
        retries = Retries(self, method, _shown(path), page)
        try:
            async for attempt in stamina.retry_context(
                on=retries.decide, attempts=None, timeout=None
            ):
                with attempt:
                    self.breaker.check()
                    if uncertain and recover is not None:
                        found = await recover()
                        if found is not None:
                            return found
                        uncertain = False
                    try:
                        return await self._send(method, self._url(path, params, page), body, page)
                    except Transient as exc:
                        self.breaker.check()
                        uncertain = exc.sent and not idempotent
                        if uncertain and recover is None:
                            raise ApiError(
                                f"{method} {_shown(path)}: {exc} (it may have been applied)"
                            ) from None
                        raise
        except Transient as exc:
            raise ApiError(f"{method} {_shown(path)}: {exc} ({retries.gave_up})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _url(
        self, path: str | httpx.URL, params: dict[str, Any] | None, page: str | None
    ) -> httpx.URL:
        """The absolute URL of one attempt: a path under the base URL or a next link, with
        `params` merged into its query (and the collection's current page size)."""
        text = str(path)
        url = (
            httpx.URL(text)
            if text.startswith(("http:", "https:"))
            else self.base_url.join(text.lstrip("/"))
        )
        merged = {**(params or {})}
        if page is not None:
            merged["page[size]"] = self.page_sizes.of(page)
        return url.copy_merge_params(merged) if merged else url

    async def _send(
        self, method: str, url: httpx.URL, body: Document | None, page: str | None
    ) -> Document | None:
        async with self._slots:
            await self.rate.acquire()
            token = await self.auth.token(self._http)
            response = await self._exchange(method, url, body, token, page)
            if response.status_code == 401 and await self.auth.refresh(self._http, token):
                await self.rate.acquire()
                token = await self.auth.token(self._http)
                response = await self._exchange(method, url, body, token, page)
        return _result(method, self._path(url), self.host, response)

    async def _exchange(
        self, method: str, url: httpx.URL, body: Document | None, token: Secret, page: str | None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token.reveal()}"}
        if method != "GET":  # the API refuses writes without it, even bodiless actions
            headers["Content-Type"] = JSONAPI
        content = json.dumps(body) if body is not None else None
        request = self._http.build_request(method, url, headers=headers, content=content)
        self._count(method, request.url)
        sent_at = time.monotonic()
        forgivable = page is not None and smaller(self.page_sizes.of(page)) is not None
        try:
            async with asyncio.timeout(self.deadline):
                response = await self._http.send(request)
        except (TimeoutError, httpx.TimeoutException) as exc:
            self.rate.release(None)
            log_request(request, "failed (timeout)", sent_at)
            cause = f"no complete answer within {self.deadline:g} s to {method} {self._path(url)}"
            await self._timed_out(cause, sent_at)
            raise Transient(cause, sent=not isinstance(exc, NOT_SENT), shrinkable=True) from None
        except httpx.TransportError as exc:
            self.rate.release(None)
            log_request(request, f"failed ({type(exc).__name__})", sent_at)
            kind = REFUSED if isinstance(exc, NOT_SENT) else ERROR
            cause = f"{type(exc).__name__} to {self.host}"
            self.breaker.failure(cause, kind=kind, sent_at=sent_at)
            raise Transient(cause, sent=not isinstance(exc, NOT_SENT)) from None
        self._answered(request, response, sent_at, forgivable)
        return response

    async def _timed_out(self, cause: str, sent_at: float) -> None:
        """A request got no complete answer within its deadline: the host is dead (the
        breaker opens) unless it has answered before and answers a probe now, in which case
        only that request (or that page size) was too slow. A transport that gave up sooner
        than the deadline is an ordinary failure."""
        if time.monotonic() - sent_at < self.deadline * 0.9:
            self.breaker.failure(cause, kind=TIMEOUT, sent_at=sent_at)
        elif self.breaker.ever_answered and await self.probe.alive():
            return
        else:
            self.breaker.dead(f"{cause}{self.probe.said}", sent_at)

    async def _probe(self, deadline: float) -> bool:
        """`GET /users?page[size]=1` within `deadline`, outside the slots and the pacing:
        whether the host answered (anything but a 5xx)."""
        url = self.base_url.join("users").copy_merge_params(
            {"page[size]": 1, "count": "false", "fields[user]": "email"}
        )
        token = await self.auth.token(self._http)
        headers = {"Authorization": f"Bearer {token.reveal()}"}
        request = self._http.build_request("GET", url, headers=headers)
        self._count("GET", request.url)
        sent_at = time.monotonic()
        try:
            async with asyncio.timeout(deadline):
                response = await self._http.send(request)
        except (TimeoutError, httpx.HTTPError) as exc:
            log_request(request, f"failed ({type(exc).__name__}): the probe", sent_at)
            return False
        log_request(request, f"{response.status_code}: the probe", sent_at)
        if response.status_code >= 500:
            return False
        self.breaker.success()
        return True

    def _answered(
        self, request: httpx.Request, response: httpx.Response, sent_at: float, page: bool
    ) -> None:
        """The host answered: a success for the breaker unless it is a 5xx. A 502/504 to a
        page that can still be asked smaller is neither: the page is too big, not the host
        down (it answered)."""
        status = response.status_code
        if status >= 500 and not (page and status in SHRINKABLE):
            reason = f"{status} {response.reason_phrase} from {self.host}".replace("  ", " ")
            self.breaker.failure(reason, sent_at=sent_at)
        elif status < 500:
            self.breaker.success()
        self.rate.release(response.headers, refused=status == 429)
        self.last_headers = response.headers
        log_request(request, str(status), sent_at)

    def _count(self, method: str, url: httpx.URL) -> None:
        self.request_count += 1
        self.requests[f"{method} {self._path(url)}"] += 1

    def _path(self, url: httpx.URL) -> str:
        """`/sequences`: the URL as messages show it, relative to the base URL, no query."""
        return url.path.removeprefix(self.base_url.path.rstrip("/")) or "/"


def _result(method: str, path: str, host: str, response: httpx.Response) -> Document | None:
    status = response.status_code
    if status == 429:
        return _rate_limited(host, response)
    if status >= 500:
        reason = f"{status} {response.reason_phrase} from {host}"
        wait = retry_after(response.headers)
        raise Transient(reason, sent=True, wait=wait, shrinkable=status in SHRINKABLE)
    if status == 401:
        raise AuthError(redact(f"{method} {path}: 401 from {host}: the token was refused"))
    if status >= 400:
        raise refusal(method, path, host, response)
    if status == 204 or not response.content:
        return None
    try:
        document = response.json()
    except ValueError:  # a truncated body: the connection broke mid-response
        raise Transient(f"{status} with an unreadable body from {host}", sent=True) from None
    except RecursionError:
        raise ApiError(
            f"{method} {path}: {host} answered a document nested too deeply to read"
        ) from None
    if not isinstance(document, dict):
        raise ApiError(f"{method} {path}: {host} answered JSON that is not a JSON:API document")
    return document


def _listed(document: Document, collection: str, path: str) -> list[Any]:
    """A listing page's resources: `data` must be a list (null or absent: none)."""
    data = document.get("data")
    if data is None:
        return []
    if not isinstance(data, list):
        raise ShapeError(
            f"the API answered {collection}: data as {describe_kind(data)} where seqops reads "
            f"a list of {collection} (GET {path}): nothing was planned or written from it"
        )
    return data


def _rate_limited(host: str, response: httpx.Response) -> Document | None:
    raise Transient(
        f"429 rate limited by {host}", sent=False, down=False, rate_limit=response.headers
    )


def host_of(url: httpx.URL) -> str:
    """`127.0.0.1:9`, `api.outreach.io`: how messages name the target."""
    return f"{url.host}:{url.port}" if url.port else url.host


def _shown(path: str | httpx.URL) -> str:
    text = str(path)
    return text if text.startswith(("/", "http")) else f"/{text}"


def _silence_stamina() -> None:
    """stamina logs each scheduled retry at WARNING by default; `_Retries` says them instead."""
    stamina.instrumentation.set_on_retry_hooks([])
