"""`seqops sandbox serve`: run the local Outreach API emulator (all logic in seqops.sandbox)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from seqops.cli import sandbox_advance, sandbox_enroll
from seqops.cli.common import NoColor, Verbose, fail, make_console, setup_logging
from seqops.cli.serve_options import Faults, Limits, Logins, ServeOptions, Storage

if TYPE_CHECKING:
    from rich.console import Console
    from starlette.applications import Starlette

app = typer.Typer(help="Run the local Outreach API emulator.", no_args_is_help=True)


Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(help="TCP port.")]
Db = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="SQLite file to keep data in (default: in memory)."),
]
Token = Annotated[str, typer.Option(help="Bearer token clients must send.")]
LatencyMs = Annotated[int, typer.Option(min=0, help="Delay added to every response.")]
FaultRate = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="Share of API requests answered 500/502/503 or dropped, before any write.",
    ),
]
LostResponseRate = Annotated[
    float,
    typer.Option(
        min=0.0, max=1.0, help="Share of API requests whose response is lost after the write."
    ),
]
FaultSeed = Annotated[int, typer.Option(help="Seed of the fault injector (reproducible runs).")]
RateLimit = Annotated[
    int,
    typer.Option(
        min=0, help="Requests per token per window, 0 for none (Outreach: 10000 an hour)."
    ),
]
RateWindow = Annotated[float, typer.Option(min=0.001, help="Rate-limit window in seconds.")]
MaxPageSize = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=1000,
        metavar="N",
        help="Listing pages of more rows answer an HTML 502, as the real API's large pages do.",
    ),
]
ClockSkew = Annotated[
    float,
    typer.Option(
        metavar="SECONDS",
        help="Shift x-ratelimit-reset by this much (negative: the server's clock is behind).",
    ),
]
CountCap = Annotated[
    int | None,
    typer.Option(
        min=0, metavar="N", help="Cap meta.count at N and say count_truncated, as the API does."
    ),
]
Demo = Annotated[bool, typer.Option("--demo", help="Add demo sequences with enrolled prospects.")]
CoefficyToken = Annotated[str, typer.Option(help="x-access-token of the Coefficy API.")]
ClientId = Annotated[str, typer.Option(help="OAuth client id.")]
ClientSecret = Annotated[str, typer.Option(help="OAuth client secret.")]
RefreshToken = Annotated[str, typer.Option(help="Initial OAuth refresh token.")]


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8765,
    db: Db = None,
    token: Token = "sandbox-token",
    latency_ms: LatencyMs = 0,
    fault_rate: FaultRate = 0.0,
    lost_response_rate: LostResponseRate = 0.0,
    fault_seed: FaultSeed = 0,
    rate_limit: RateLimit = 10000,
    rate_window: RateWindow = 3600.0,
    max_page_size: MaxPageSize = None,
    clock_skew: ClockSkew = 0.0,
    count_cap: CountCap = None,
    demo: Demo = False,
    coefficy_token: CoefficyToken = "coefficy-token",
    client_id: ClientId = "seqops-sandbox",
    client_secret: ClientSecret = "sandbox-secret",
    refresh_token: RefreshToken = "sandbox-refresh",
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Serve the sandbox over HTTP until interrupted."""
    setup_logging(verbose)
    options = ServeOptions(
        Storage(db, demo),
        Faults(latency_ms, fault_rate, lost_response_rate, fault_seed, max_page_size),
        Limits(rate_limit, rate_window, clock_skew, count_cap),
        Logins(token, coefficy_token, client_id, client_secret, refresh_token),
    )
    _serve(host, port, options, verbose, make_console(no_color))


def _serve(host: str, port: int, options: ServeOptions, verbose: bool, console: Console) -> None:
    from seqops.sandbox.server import ListenError, bind
    from seqops.sandbox.server import serve as run_server

    try:
        sock = bind(host, port)
    except ListenError as exc:
        raise fail(str(exc)) from None
    sandbox_app = _app(sock, options)
    port = sock.getsockname()[1]  # the one the system chose, for --port 0
    for line in options.banner(f"http://{host}:{port}"):
        console.print(line)
    run_server(sandbox_app, host, port, verbose, sock=sock)


def _app(sock: socket.socket, options: ServeOptions) -> Starlette:
    from seqops.sandbox import create_app
    from seqops.sandbox.storage import StorageError

    storage = options.storage
    try:
        return create_app(storage.location, options.logins.token, **options.app_keywords())
    except StorageError as exc:
        sock.close()
        raise fail(f"--db {exc}") from None


app.command(name="enroll")(sandbox_enroll.enroll)
app.command(name="advance")(sandbox_advance.advance)
