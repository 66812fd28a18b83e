"""`seqops validate [PATH...] [--format text|json]`: exit 0 when valid, 1 otherwise."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from seqops.cli.common import NoColor, Verbose, make_console, setup_logging
from seqops.manifest import load
from seqops.manifest.report import REPORTERS
from seqops.workspace import Workspace

NAME = "validate"


class Format(StrEnum):
    """The names of `REPORTERS` (a test holds them equal)."""

    text = "text"
    json = "json"


def command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Manifest files or directories (walked for *.yaml, *.yml)."),
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Check manifests (YAML, JSON Schema, references, rules) without touching any API."""
    setup_logging(verbose)
    result = load(paths or [Path(".")])
    config = Workspace.find().config_shown
    if config is not None:  # checked too; seqops.config imported only then (start-up time)
        from seqops.config import config_errors

        result.errors.extend(config_errors(config))
    REPORTERS[format.value](make_console(no_color), verbose=verbose).report(result)
    if not result.ok:
        raise typer.Exit(1)
