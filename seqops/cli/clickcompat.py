"""The click that typer runs on, under one set of names: the one well-fenced place where
seqops reaches into typer's private modules (DESIGN §7 asks for none, or one such shim).

Since 0.26 typer vendors click as `typer._click`: the exceptions it raises for usage errors are
not the `click` package's (which typer no longer depends on), and `typer` exports only a few of
them (`BadParameter`, `Abort`). seqops needs the rest to turn every usage error into one line
(`seqops.cli.exits`). `tests/cli/test_clickcompat.py` pins the typer versions this was checked
against and checks that typer raises exactly these classes: a new typer release fails it, so
the shim is looked at again rather than breaking quietly.
"""

from __future__ import annotations

from typer import Abort, BadParameter
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import (
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.globals import get_current_context

CHECKED_WITH = ("0.26", "0.29")
"""The typer minor versions (first, last) this shim was checked against."""

__all__ = [
    "CHECKED_WITH",
    "Abort",
    "BadParameter",
    "ClickException",
    "Command",
    "Context",
    "MissingParameter",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "Parameter",
    "UsageError",
    "get_current_context",
]
