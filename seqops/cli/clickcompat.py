"""The click that typer runs on. Recent typer vendors its own copy (`typer._click`), whose
exceptions and classes are not the `click` package's; older typer runs on `click` itself.
Everything seqops.cli needs from either, under one set of names."""

from __future__ import annotations

from typer import Abort

try:
    from typer._click.core import Command, Context, Parameter
    from typer._click.exceptions import (
        BadParameter,
        ClickException,
        MissingParameter,
        NoSuchOption,
        UsageError,
    )
    from typer._click.globals import get_current_context
except ImportError:  # typer < 0.2x
    from click import (  # type: ignore[assignment]
        BadParameter,
        ClickException,
        Command,
        Context,
        MissingParameter,
        NoSuchOption,
        Parameter,
        UsageError,
        get_current_context,
    )

try:
    from typer._click.exceptions import NoArgsIsHelpError
except ImportError:  # click < 8.2 shows that help itself
    NoArgsIsHelpError = None  # type: ignore[assignment,misc]

__all__ = [
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
