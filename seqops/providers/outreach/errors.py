"""What the API answered when it refused: errors a person can act on.

A 4xx body's `detail` (JSON:API) or `details` (Outreach's guide spells its 415 that way) is
shown; a 422's `source.pointer` (`/data/attributes/name`) is kept so the provider can name the
manifest field it points at. A 404 means "gone" only when it is the resource's own
`resourceNotFound`: a `routeNotFound`, or a 404 page from something that is not the API (a
wrong target URL, a proxy), is an error naming the host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from seqops.config import redact
from seqops.providers.base import ProviderError
from seqops.sanitize import terminal

JSON_TYPES = ("application/vnd.api+json", "application/json")
RESOURCE_NOT_FOUND = "resourceNotFound"
SHOWN_TEXT = 120
"""How much of a non-JSON error page a message quotes."""

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ErrorItem:
    """One entry of a JSON:API `errors` array, read defensively (any key may be missing)."""

    id: str | None = None
    title: str | None = None
    detail: str | None = None
    pointer: str | None = None

    @classmethod
    def of(cls, raw: Any) -> ErrorItem:
        if not isinstance(raw, dict):
            return cls(detail=_text(raw))
        source = raw.get("source")
        if not isinstance(source, dict):
            source = {}
        detail = raw.get("detail", raw.get("details"))
        return cls(
            _text(raw.get("id")),
            _text(raw.get("title")),
            _text(detail),
            _text(source.get("pointer")),
        )

    def __str__(self) -> str:
        parts = [p for p in (self.title or self.id, self.detail) if p]
        return ": ".join(dict.fromkeys(parts))


class ApiError(ProviderError):
    """The API refused a request (4xx), or kept failing after retries. The message is safe
    (redacted, one line)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        items: tuple[ErrorItem, ...] = (),
        from_api: bool = True,
    ) -> None:
        super().__init__(redact(" ".join(message.split())))
        self.status = status
        self.items = items
        self.from_api = from_api
        """False when the answer did not come from a JSON:API server (an HTML 404 page)."""
        self.field: Path | None = None
        """The manifest field the error points at (set by the provider from `pointers`)."""

    @property
    def gone(self) -> bool:
        """The resource itself does not exist (not a wrong route, not another server)."""
        return self.status == 404 and any(i.id == RESOURCE_NOT_FOUND for i in self.items)

    @property
    def pointers(self) -> list[str]:
        return [i.pointer for i in self.items if i.pointer]


class Transient(Exception):
    """A failure worth retrying: 429, 5xx, a timeout or another transport error."""

    def __init__(
        self,
        message: str,
        *,
        sent: bool,
        wait: float | None = None,
        down: bool = True,
        shrinkable: bool = False,
        rate_limit: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(redact(message))
        self.down = down
        """The host did not answer, or answered 5xx (counts towards the circuit breaker)."""
        self.sent = sent
        """The server may have processed the request (its response was lost or a 5xx)."""
        self.wait = wait
        """What the server asked us to wait (Retry-After / x-ratelimit-reset), if anything."""
        self.shrinkable = shrinkable
        """A 502/504 or a timeout: a listing page may succeed at a smaller size."""
        self.rate_limit = rate_limit
        """The headers of a 429 (how long to wait is read from them)."""


def refusal(method: str, path: str, host: str, response: httpx.Response) -> ApiError:
    """The ApiError of a 4xx answer (401 and 429 aside), naming what the server said."""
    status = response.status_code
    items = error_items(response)
    if items is None:
        return ApiError(
            f"{method} {path}: {status} from {host}, which did not answer like the Outreach "
            f"API ({_page_summary(response)}): check the target's url",
            status,
            from_api=False,
        )
    said = "; ".join(filter(None, map(str, items))) or response.reason_phrase
    message = f"{method} {path}: {status} {said}"
    if status == 404 and not any(i.id == RESOURCE_NOT_FOUND for i in items):
        message += f" (from {host}: check the target's url)"
    return ApiError(message, status, tuple(items))


def error_items(response: httpx.Response) -> list[ErrorItem] | None:
    """The `errors` of a JSON:API error document; None when the body is not one (an HTML page,
    a JSON body of another shape)."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        return None
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return None
    return [ErrorItem.of(e) for e in errors]


def _page_summary(response: httpx.Response) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip() or "no type"
    text = " ".join(terminal(response.text, one_line=True).split())[:SHOWN_TEXT]
    return f"{content_type}: {text!r}" if text else content_type


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(terminal(str(value), one_line=True).split())[:500] or None
