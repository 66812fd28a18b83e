"""Options every command shares, and the console/logging they configure."""

import logging
import sys
from typing import Annotated

import typer
from rich.console import Console

Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Log every HTTP request (token redacted).")
]
NoColor = Annotated[bool, typer.Option("--no-color", help="Disable colour output.")]


def make_console(no_color: bool, stderr: bool = False) -> Console:
    """Colour only on a terminal, and never when --no-color or NO_COLOR is set."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, no_color=no_color, highlight=False, soft_wrap=True)


def setup_logging(verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr, force=True)
    # httpx logs full URLs at INFO; our client logs its own redacted request lines instead.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # asyncio announces its selector at DEBUG; -v is for our requests, not the event loop.
    logging.getLogger("asyncio").setLevel(logging.WARNING)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    make_console(no_color=False, stderr=True).print(f"[red]error:[/red] {message}", markup=True)
    return typer.Exit(code)
