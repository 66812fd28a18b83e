"""Options every command shares, and the console/logging they configure."""

from __future__ import annotations

import logging
import os
import sys
from typing import IO, Annotated

import typer
from rich.console import Console

from seqops.cli import clickcompat as click
from seqops.sanitize import terminal

Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Log every HTTP request (token redacted).")
]
NoColor = Annotated[
    bool, typer.Option("--no-color", help="No colour or other styling (also: NO_COLOR=1).")
]
TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        "-t",
        metavar="TARGET",
        help="A target from seqops.yaml, or an API URL (token: SEQOPS_TOKEN).",
    ),
]

NON_TERMINAL_WIDTH = 10_000
"""Output to a file or a CI log is never cut to a terminal's width (names stay whole)."""


def colour_wanted(no_color: bool) -> bool | None:
    """True: styled, forced; False: never styled; None: styled only on a terminal.

    `--no-color` and NO_COLOR (any non-empty value, no-color.org) win over everything;
    FORCE_COLOR / CLICOLOR_FORCE (non-empty, not "0") turn ANSI on for CI logs that render it.
    """
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if any(os.environ.get(var, "0") not in ("", "0") for var in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    return None


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(no_color: bool, stderr: bool = False) -> Console:
    """A console that styles only on a terminal (or when forced), never under --no-color or
    NO_COLOR: no colour and no bold/italic/dim either."""
    stream = sys.stderr if stderr else sys.stdout
    wanted = colour_wanted(no_color)
    terminal = is_terminal(stream)
    styled = terminal if wanted is None else wanted
    # rich reads FORCE_COLOR by other rules ("0" forces), but only without `force_terminal`;
    # NO_COLOR it reads as we do, and unstyled output has no colour system to apply it to.
    return Console(
        file=stream,
        color_system=("auto" if terminal else "standard") if styled else None,
        force_terminal=styled or terminal,
        width=None if terminal else NON_TERMINAL_WIDTH,
        highlight=False,
        soft_wrap=True,
    )


def live_output(console: Console) -> bool:
    """Whether animated output (progress bars, spinners) may redraw lines: a real terminal
    only, not a CI log with FORCE_COLOR."""
    return is_terminal(console.file)


def setup_logging(verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr, force=True)
    # httpx logs full URLs at INFO; our client logs its own redacted request lines instead.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # asyncio announces its selector at DEBUG; -v is for our requests, not the event loop.
    logging.getLogger("asyncio").setLevel(logging.WARNING)


def print_error(message: str) -> None:
    """One `error: ...` line on stderr, styled as the running command's --no-color says."""
    ctx = click.get_current_context(silent=True)
    no_color = bool(ctx is not None and ctx.params.get("no_color"))
    console = make_console(no_color, stderr=True)
    console.print("[red]error:[/red] ", end="", markup=True)
    # The message often quotes a manifest or the account: no control characters reach the tty.
    console.print(terminal(message), markup=False)


def fail_located(lines: list[str], summary: str) -> typer.Exit:
    """Located problems one a line, `FILE:LINE:COL: Kind/name: message` from the first column
    as `validate` prints them (editors and CI annotators parse that), then one error line."""
    ctx = click.get_current_context(silent=True)
    console = make_console(bool(ctx is not None and ctx.params.get("no_color")), stderr=True)
    for line in lines:
        console.print(terminal(line), markup=False, highlight=False, soft_wrap=True)
    return fail(summary)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    print_error(message)
    return typer.Exit(code)
