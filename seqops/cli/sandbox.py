"""`seqops sandbox ...` (being built)."""

import typer

app = typer.Typer(help="Run the local Outreach API emulator.", no_args_is_help=True)


@app.command()
def serve() -> None:
    """Not available yet."""
    raise typer.Exit(1)
