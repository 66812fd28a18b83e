"""`seqops lint [PATH...] [--format text|json|sarif]`: exit 0 clean or warnings only, 1 on
any error finding (invalid manifests included, as `manifest/invalid`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging
from seqops.config import ConfigError, lint_settings
from seqops.lint import Linter, invalid
from seqops.lint.engine import sort
from seqops.lint.output import FORMATS
from seqops.manifest import load

NAME = "lint"

Format = StrEnum("Format", {name: name for name in FORMATS})


def command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Manifest files or directories (walked for *.yaml, *.yml)."),
    ] = None,
    target: TargetOption = None,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Check manifest content (merge fields, opt-out, threading, cadence, HTML, links)."""
    setup_logging(verbose)
    try:
        settings = lint_settings()
    except ConfigError as exc:
        raise fail(str(exc)) from None
    result = load(paths or [Path(".")])
    findings = sort(invalid(result.errors) + Linter(result, settings).run())
    FORMATS[format.value](findings, result.files, make_console(no_color))
    if any(f.is_error for f in findings):
        raise typer.Exit(1)
