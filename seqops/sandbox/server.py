"""Serving the sandbox over HTTP with uvicorn."""

from __future__ import annotations

import errno
import logging
import socket

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


class ListenError(Exception):
    """The address cannot be listened on; the message is one line for a person."""


WHY = {
    errno.EADDRINUSE: "the port is already in use: stop the other server or pick another --port",
    errno.EACCES: "permission denied: ports below 1024 need privileges, pick another --port",
    errno.EADDRNOTAVAIL: "this machine has no such address: pick another --host",
}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, so a busy port is reported before anything says
    "listening" (uvicorn would report it after, and exit 3)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=2048)
    except socket.gaierror as exc:
        raise ListenError(
            f"{host}:{port}: unknown host ({exc.strerror}): pick another --host"
        ) from None
    except OverflowError:
        raise ListenError(f"{host}:{port}: ports go from 0 to 65535") from None
    except OSError as exc:
        why = WHY.get(exc.errno or 0, exc.strerror or str(exc))
        raise ListenError(f"{host}:{port}: cannot listen: {why}") from None


def serve(
    app: Starlette,
    host: str = "127.0.0.1",
    port: int = 8765,
    verbose: bool = False,
    sock: socket.socket | None = None,
) -> None:
    """Serve until interrupted, on `sock` when given (see `bind`)."""
    server = uvicorn.Server(uvicorn_config(app, host, port, verbose))
    server.run(sockets=[sock] if sock is not None else None)
