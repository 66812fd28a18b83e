"""Listing pages: how large, and where the next one is.

Large pages of large objects (templates with their HTML bodies) time out on the real API, which
then answers an HTML 502 (Airbyte's and Estuary's Outreach connectors, Outreach support: "use 500
or 100"). A page that fails with 502/504 or a timeout is asked again at half the size from the
same cursor (1000, 500, 250, 100), and that collection keeps the smaller size for the rest of
the run.

`links.next` is followed only on the target's own scheme, host and port: the bearer token is
sent with every request, and a link elsewhere (or an `http:` link from an `https:` target) would
hand it to another host.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from seqops.providers.outreach.errors import ApiError

log = logging.getLogger("seqops.http")

MAX_PAGE_SIZE = 1000
MIN_PAGE_SIZE = 100
DEFAULT_PORTS = {"http": 80, "https": 443}


def smaller(size: int) -> int | None:
    """The next size down the ladder (1000, 500, 250, 100), None at the smallest."""
    if size <= MIN_PAGE_SIZE:
        return None
    half = size // 2
    return half if half >= 2 * MIN_PAGE_SIZE else MIN_PAGE_SIZE


class PageSizes:
    """The `page[size]` each collection is listed at in this run: `start` until one of its
    pages fails, then smaller (`shrink`)."""

    def __init__(self, start: int = MAX_PAGE_SIZE) -> None:
        self.start = start
        self._sizes: dict[str, int] = {}

    def of(self, collection: str) -> int:
        return self._sizes.get(collection, self.start)

    def shrink(self, collection: str, cause: str) -> bool:
        """Halve the collection's page size; False when it is already the smallest."""
        size = self.of(collection)
        half = smaller(size)
        if half is None:
            return False
        self._sizes[collection] = half
        log.debug(
            "GET /%s: %s at page[size]=%d: asking again at %d from the same cursor "
            "(kept for the rest of the run)",
            collection,
            cause,
            size,
            half,
        )
        return True


def collection_of(url: str | httpx.URL, base: httpx.URL) -> str:
    """`sequences` for `/sequences`, `sequences?...` or an absolute next link."""
    path = httpx.URL(str(url)).path if str(url).startswith("http") else str(url).split("?")[0]
    prefix = base.path.rstrip("/")
    return path.removeprefix(prefix).strip("/")


def next_link(document: dict[str, Any]) -> str | None:
    """The `links.next` of a page (a string or a link object), None at the end."""
    links = document.get("links")
    link = links.get("next") if isinstance(links, dict) else None
    if isinstance(link, dict):  # JSON:API allows link objects {"href": ...}
        link = link.get("href")
    return link if isinstance(link, str) and link else None


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme)


def shown_origin(url: httpx.URL) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}:{port}"


def on_target(link: str, base: httpx.URL, listing: str) -> httpx.URL:
    """The absolute URL of a next link, refused (ApiError naming both hosts) when it leaves the
    target's scheme, host and port."""
    url = base.join(link)
    if origin(url) != origin(base):
        raise ApiError(
            f"GET {listing}: the API's next page link points at {shown_origin(url)}, not the "
            f"target {shown_origin(base)}: not followed (credentials are only sent to the "
            "target)"
        )
    return url


@dataclass(frozen=True)
class Count:
    """A collection's `meta.count`; `truncated` when the API capped it (`count_truncated`):
    then it is a lower bound, shown as "at least N"."""

    value: int
    truncated: bool = False

    @classmethod
    def of(cls, document: dict[str, Any], what: str) -> Count:
        meta = document.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        count = meta.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ApiError(f"{what}: the response has no meta.count (a count of its rows)")
        return cls(count, meta.get("count_truncated") is True)

    def __str__(self) -> str:
        return f"at least {self.value:,}" if self.truncated else f"{self.value:,}"
