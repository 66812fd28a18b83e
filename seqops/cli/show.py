"""`seqops show PLANFILE [--format text|json|markdown|html]`: a saved plan rendered again, offline
(as `terraform show`): exit 0, or 1 when the file is missing, not a plan or tampered with."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from seqops.cli.common import NoColor, Verbose, make_console, setup_logging
from seqops.cli.plan import Format, print_plan
from seqops.cli.planfile import read_plan
from seqops.config import ConfigError, resolve_target
from seqops.plan.safety import SafetyThresholds

NAME = "show"


def command(
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLANFILE", help="A plan saved by `seqops plan --out`.")
    ],
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Render a saved plan again (its checksum verified)."""
    setup_logging(verbose)
    plan = read_plan(plan_file)
    print_plan(plan, format.value, make_console(no_color), thresholds_of(plan.target))


def thresholds_of(target: str) -> SafetyThresholds:
    """The safety thresholds of the plan's target when seqops.yaml still names it (so the
    notes match what `plan` printed); the defaults otherwise. Nothing is contacted."""
    try:
        return SafetyThresholds.from_config(resolve_target(target).safety)
    except ConfigError:
        return SafetyThresholds()
