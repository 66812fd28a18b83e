"""`seqops validate [PATH...] [--format text|json] [--context DIR]`: exit 0 when valid, 1
otherwise.

`--context DIR` is for checking the files a commit changes (the `seqops-validate-files`
pre-commit hook): the manifests under DIR are loaded too, so that a sequence's reference to a
template in an unchanged file resolves, but only the PATHs' problems are reported, and PATHs
that hold no manifest at all (a commit of Kubernetes files) are fine.
"""

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
    context: Annotated[
        list[Path] | None,
        typer.Option(
            "--context",
            metavar="DIR",
            help="Also load the manifests under DIR so references resolve; report only the "
            "PATHs' problems (the pre-commit hook on changed files). Repeatable.",
        ),
    ] = None,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Check manifests (YAML, JSON Schema, references, rules) without touching any API."""
    setup_logging(verbose)
    given = paths or [Path(".")]
    result = load([*given, *(context or [])])
    if context:
        result.narrow_to(given)
    config = Workspace.find().config_shown
    if config is not None:  # checked too; seqops.config imported only then (start-up time)
        from seqops.config import config_errors
        from seqops.lint.settings import SECTION, LintSettings

        result.errors.extend(config_errors(config, {SECTION: LintSettings}))
    REPORTERS[format.value](make_console(no_color), verbose=verbose).report(result)
    if not result.ok:
        raise typer.Exit(1)
