"""The request lines of `-v`: `METHOD /path?query STATUS 12ms`, anything token-like scrubbed."""

from __future__ import annotations

import logging
import time
from urllib.parse import unquote

import httpx

from seqops.config import redact

log = logging.getLogger("seqops.http")


def log_request(request: httpx.Request, outcome: str, started: float) -> None:
    if log.isEnabledFor(logging.DEBUG):
        target = unquote(request.url.raw_path.decode("ascii", "replace"))
        elapsed = (time.monotonic() - started) * 1000
        log.debug("%s %s %s %dms", request.method, redact(target), outcome, elapsed)
