"""`seqops sandbox serve`: run the local Outreach API emulator (all logic in seqops.sandbox)."""

from pathlib import Path
from typing import Annotated

import typer

from seqops.cli import sandbox_enroll
from seqops.cli.common import NoColor, Verbose, fail, make_console, setup_logging

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
    from seqops.sandbox import create_app
    from seqops.sandbox.server import ListenError, bind
    from seqops.sandbox.server import serve as run_server
    from seqops.sandbox.storage import StorageError

    setup_logging(verbose)
    try:
        sock = bind(host, port)
    except ListenError as exc:
        raise fail(str(exc)) from None
    try:
        sandbox_app = create_app(
            str(db) if db else ":memory:",
            token,
            latency_ms=latency_ms,
            fault_rate=fault_rate,
            lost_response_rate=lost_response_rate,
            rate_limit=rate_limit or None,
            rate_window=rate_window,
            demo=demo,
            seed=fault_seed,
            coefficy_token=coefficy_token,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
        )
    except StorageError as exc:
        sock.close()
        raise fail(f"--db {exc}") from None
    port = sock.getsockname()[1]  # the one the system chose, for --port 0
    console = make_console(no_color)
    console.print(f"Outreach sandbox listening on [bold]http://{host}:{port}/api/v2[/bold]")
    console.print(f"  bearer token: {token}   (a sandbox token, not a secret)")
    console.print(
        f"  OAuth: POST http://{host}:{port}/oauth/token  client {client_id} / {client_secret}, refresh token {refresh_token}"
    )
    console.print(f"  Coefficy: http://{host}:{port}/coefficy/v1  x-access-token: {coefficy_token}")
    console.print(f"  data: {db or 'in memory (lost on exit)'}")
    run_server(sandbox_app, host, port, verbose, sock=sock)


app.command(name="enroll")(sandbox_enroll.enroll)
