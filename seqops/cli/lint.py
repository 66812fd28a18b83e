"""`seqops lint [PATH...] [--format text|json|sarif]`: exit 0 clean or warnings only, 1 on
any error finding (invalid manifests included, as `manifest/invalid`). A path that does not
exist, or that holds no seqops manifest, is an input error in every format, as in `validate`:
`error: ...` on stderr, exit 1, nothing on stdout (no SARIF file that points nowhere)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from seqops.cli.common import (
    NoColor,
    TargetOption,
    Verbose,
    fail,
    make_console,
    print_error,
    setup_logging,
)
from seqops.lint.engine import Linter, input_errors, reported
from seqops.lint.output import FORMATS
from seqops.lint.per_template import inspector
from seqops.lint.settings import LintSettings
from seqops.manifest import load
from seqops.manifest.loader import LoadResult
from seqops.workspace import Workspace

NAME = "lint"


class Format(StrEnum):
    """The output formats of `seqops.lint.output.FORMATS` (a test holds them equal)."""

    text = "text"
    json = "json"
    sarif = "sarif"


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
    settings = settings_or_fail()
    result = load(
        paths or [Path(".")], inspect=inspector(settings), model_first=True, positions=True
    )
    refuse_input_errors(result)
    people = sample_people(target, settings) if target is not None else None
    findings = reported(result, Linter(result, settings, people=people))
    FORMATS[format.value](findings, result.files, make_console(no_color))
    if any(f.is_error for f in findings):
        raise typer.Exit(1)


def refuse_input_errors(result: LoadResult) -> None:
    """Paths that are no manifest files at all: said on stderr, exit 1, before any output."""
    errors = input_errors(result)
    for error in errors:
        print_error(f"{error.file}: {error.message}" if error.file else error.message)
    if errors:
        raise typer.Exit(1)


def settings_or_fail() -> LintSettings:
    """seqops.yaml's `lint:` section. `seqops.config` (targets, credentials, overrides) is
    imported only when there is a seqops.yaml: lint runs on every commit and should start fast."""
    config = Workspace.find().config_shown  # a directory there is an error, not absent
    if config is None:
        return LintSettings()
    from seqops.config import ConfigError
    from seqops.lint import settings

    try:
        return settings.load(config)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def sample_people(target: str, settings: LintSettings) -> list:
    """The first prospects of the target, as `seqops preview --sample` reads them."""
    from seqops.cli.plan import open_target_or_fail
    from seqops.cli.preview import read_people

    size = int(settings.params("merge-field/often-empty")["sample"])
    return read_people(open_target_or_fail(target), None, size)
