"""`seqops sandbox serve`: run the local Outreach API emulator (all logic in seqops.sandbox)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from seqops.cli import sandbox_advance, sandbox_enroll
from seqops.cli.common import NoColor, Verbose, fail, make_console, setup_logging

if TYPE_CHECKING:
    from rich.console import Console
    from starlette.applications import Starlette

app = typer.Typer(help="Run the local Outreach API emulator.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8765,
    db: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="SQLite file to keep data in (default: in memory)."),
    ] = None,
    token: Annotated[str, typer.Option(help="Bearer token clients must send.")] = "sandbox-token",
    latency_ms: Annotated[int, typer.Option(min=0, help="Delay added to every response.")] = 0,
    fault_rate: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Share of API requests answered 500/502/503 or dropped, before any write.",
        ),
    ] = 0.0,
    lost_response_rate: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of API requests whose response is lost after the write."
        ),
    ] = 0.0,
    fault_seed: Annotated[
        int, typer.Option(help="Seed of the fault injector (reproducible runs).")
    ] = 0,
    rate_limit: Annotated[
        int,
        typer.Option(
            min=0, help="Requests per token per window, 0 for none (Outreach: 10000 an hour)."
        ),
    ] = 10000,
    rate_window: Annotated[
        float, typer.Option(min=0.001, help="Rate-limit window in seconds.")
    ] = 3600.0,
    max_page_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1000,
            metavar="N",
            help="Listing pages of more rows answer an HTML 502, as the real API's large pages do.",
        ),
    ] = None,
    clock_skew: Annotated[
        float,
        typer.Option(
            metavar="SECONDS",
            help="Shift x-ratelimit-reset by this much (negative: the server's clock is behind).",
        ),
    ] = 0.0,
    count_cap: Annotated[
        int | None,
        typer.Option(
            min=0, metavar="N", help="Cap meta.count at N and say count_truncated, as the API does."
        ),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Add demo sequences with enrolled prospects.")
    ] = False,
    coefficy_token: Annotated[
        str, typer.Option(help="x-access-token of the Coefficy API.")
    ] = "coefficy-token",
    client_id: Annotated[str, typer.Option(help="OAuth client id.")] = "seqops-sandbox",
    client_secret: Annotated[str, typer.Option(help="OAuth client secret.")] = "sandbox-secret",
    refresh_token: Annotated[
        str, typer.Option(help="Initial OAuth refresh token.")
    ] = "sandbox-refresh",
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Serve the sandbox over HTTP until interrupted."""
    from seqops.sandbox.server import ListenError, bind
    from seqops.sandbox.server import serve as run_server

    setup_logging(verbose)
    options = dict(locals())
    try:
        sock = bind(host, port)
    except ListenError as exc:
        raise fail(str(exc)) from None
    sandbox_app = _app(sock, options)
    port = sock.getsockname()[1]  # the one the system chose, for --port 0
    _banner(make_console(no_color), host, port, options)
    run_server(sandbox_app, host, port, verbose, sock=sock)


APP_OPTIONS = (
    "latency_ms", "fault_rate", "lost_response_rate", "rate_window", "demo", "coefficy_token",
    "client_id", "client_secret", "refresh_token", "max_page_size", "clock_skew", "count_cap",
)  # fmt: skip
"""The serve options that are `create_app` keyword options under the same name."""


def _app(sock: socket.socket, options: dict[str, Any]) -> Starlette:
    from seqops.sandbox import create_app
    from seqops.sandbox.storage import StorageError

    db = options["db"]
    keywords = {name: options[name] for name in APP_OPTIONS}
    keywords |= {"rate_limit": options["rate_limit"] or None, "seed": options["fault_seed"]}
    try:
        return create_app(str(db) if db else ":memory:", options["token"], **keywords)
    except StorageError as exc:
        sock.close()
        raise fail(f"--db {exc}") from None


def _banner(console: Console, host: str, port: int, options: dict[str, Any]) -> None:
    base = f"http://{host}:{port}"
    console.print(f"Outreach sandbox listening on [bold]{base}/api/v2[/bold]")
    console.print(f"  bearer token: {options['token']}   (a sandbox token, not a secret)")
    console.print(
        f"  OAuth: POST {base}/oauth/token  client {options['client_id']} / "
        f"{options['client_secret']}, refresh token {options['refresh_token']}"
    )
    console.print(f"  Coefficy: {base}/coefficy/v1  x-access-token: {options['coefficy_token']}")
    console.print(f"  data: {options['db'] or 'in memory (lost on exit)'}")


app.command(name="enroll")(sandbox_enroll.enroll)
app.command(name="advance")(sandbox_advance.advance)
