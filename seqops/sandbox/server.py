"""Serving the sandbox over HTTP with uvicorn."""

from __future__ import annotations

import logging

import uvicorn
from starlette.applications import Starlette

from seqops.sandbox.middleware import DroppedConnection


class QuietDrops(logging.Filter):
    """Injected dropped connections are intended: keep their tracebacks out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def uvicorn_config(app: Starlette, host: str, port: int, verbose: bool = False) -> uvicorn.Config:
    log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, QuietDrops) for f in log.filters):
        log.addFilter(QuietDrops())
    return uvicorn.Config(
        app, host=host, port=port, log_level="info" if verbose else "warning", access_log=verbose
    )


def serve(app: Starlette, host: str = "127.0.0.1", port: int = 8765, verbose: bool = False) -> None:
    uvicorn.Server(uvicorn_config(app, host, port, verbose)).run()
