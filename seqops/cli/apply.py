"""`seqops apply`: plan, show, confirm, then make the target match.

`--plan FILE` applies exactly a saved plan (checksum and target verified; a change whose
object moved since is refused as stale). Without `--yes` apply asks for confirmation, and
refuses when stdin is not a terminal (CI). Exit 0 when every change is done, 1 otherwise.

Against a Coefficy target nothing can be written: apply prints the audit and exits 1 on drift
(`0 of N changes applied: ...`), 0 without. A CI job that applies on merge must not turn green
while the account still differs from what was merged.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from seqops.apply.reconcile import Options, Outcome, reconcile
from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED, ApplyReport
from seqops.cli.common import (
    NoColor,
    TargetOption,
    Verbose,
    fail,
    fail_located,
    make_console,
    setup_logging,
)
from seqops.cli.plan import (
    AllowDelete,
    Paths,
    SelectOption,
    lint_annotator,
    lint_settings_or_fail,
    load_manifests,
    open_target_or_fail,
    overlay_or_fail,
    parse_selection,
    print_plan,
)
from seqops.cli.planfile import read_plan
from seqops.cli.progress import ApplyProgress, result_line
from seqops.manifest.models import Resource
from seqops.plan.account_checks import AccountCheckError, Locate
from seqops.plan.errors import PlanError
from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan, given_flags
from seqops.plan.skipped import SkippedRetirement
from seqops.providers.base import ProviderError
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE
from seqops.targets import Target

NAME = "apply"


class Refused(Exception):
    """Confirmation impossible (no terminal) or declined."""


class ApplyRefused(Exception):
    """Apply stopped before writing anything; carries what it would have done, for --report."""

    def __init__(self, message: str, target: str, changes: list) -> None:
        super().__init__(message)
        self.message, self.target, self.changes = message, target, changes


def command(
    paths: Paths = None,
    plan_file: Annotated[
        Path | None,
        typer.Option(
            "--plan", metavar="PLANFILE", help="Apply exactly this saved plan (plan --out)."
        ),
    ] = None,
    target: TargetOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    allow_disruption: Annotated[
        bool,
        typer.Option(
            "--allow-disruption", help="Allow changes to sequences with prospects in them."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Allow changing more than the threshold of owned resources."),
    ] = False,
    allow_delete: AllowDelete = False,
    select: SelectOption = None,
    parallelism: Annotated[
        int,
        typer.Option(
            "--parallelism", min=1, max=64, help="Changes (and requests) in flight at once."
        ),
    ] = 8,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Write a JSON report: each change done/failed/not attempted, error, duration.",
        ),
    ] = None,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Make the target match the manifests (or a saved plan).

    A Coefficy target is read-only: apply shows the AutomationRule audit and writes nothing.
    It exits 1 when automations drifted (CI must not go green on an apply that changed nothing).
    """
    setup_logging(verbose)
    if plan_file is not None and paths:
        raise fail("give manifest paths or --plan FILE, not both")
    if plan_file is not None and select:
        raise fail("--select is for planning: give it to `seqops plan --out`, not with --plan")
    selection = parse_selection(select)
    linting = lint_settings_or_fail()
    loaded = (
        read_plan(plan_file) if plan_file is not None else load_manifests(paths, no_color, verbose)
    )
    locate = None if isinstance(loaded, Plan) else loaded.locate
    annotate = None if isinstance(loaded, Plan) else lint_annotator(loaded.result, linting)
    opened = open_target_or_fail(target, concurrency=parallelism)
    # a saved plan already holds the overridden manifests
    source = loaded if isinstance(loaded, Plan) else overlay_or_fail(opened, loaded)
    options = Options(
        allow_delete=allow_delete,
        allow_disruption=allow_disruption,
        force=force,
        thresholds=opened.thresholds,
        block_on_lint=linting.blockApply,
        concurrency=parallelism,
        selection=selection,
    )
    console = make_console(no_color)
    try:
        outcome = run(opened, source, options, console, yes, locate, annotate)
    except ApplyRefused as refusal:
        if report_file is not None:
            write_report(
                ApplyReport.refused(refusal.changes, refusal.message), refusal.target, report_file
            )
        raise fail(refusal.message) from None
    if outcome.read_only and not outcome.plan.empty:
        raise fail(read_only_refusal(outcome.plan))
    report = outcome.report if outcome.report is not None else ApplyReport()
    if report_file is not None and not outcome.read_only:
        write_report(report, outcome.plan.target, report_file)
    if outcome.report is None:
        return
    print_report(outcome.report, console)
    if not outcome.report.ok:
        raise typer.Exit(1)


def write_report(report: ApplyReport, target: str, path: Path) -> None:
    document = {"target": target, **report.to_json()}
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise fail(f"{path}: cannot write the report: {exc.strerror}") from None


def read_only_refusal(plan: Plan) -> str:
    count = len(plan.changes)
    return f"0 of {count} change{'' if count == 1 else 's'} applied: Coefficy is read-only. {READ_ONLY_MESSAGE}"


def run(
    target: Target,
    source: list[Resource] | Plan,
    options: Options,
    console: Console,
    yes: bool,
    locate: Locate | None = None,
    annotate: Callable[[Plan], None] | None = None,
) -> Outcome:
    progress = ApplyProgress(console)
    given = frozenset(given_flags(options.allow_disruption, options.force, options.allow_delete))
    # What apply would do, until it starts writing: a saved plan from the start, else the
    # plan shown; an error while it is set refused the apply before anything was written.
    planned: list[Plan] = [source] if isinstance(source, Plan) else []

    def show(plan: Plan) -> None:
        planned[:] = [plan]
        print_plan(plan, "text", console, target.thresholds, given)

    def confirm(plan: Plan) -> bool:
        if not yes:
            _confirm(plan, target)
        planned.clear()  # from here on writes happen: an error is no longer a refusal
        progress.start(len(plan.changes))
        return True

    async def main() -> Outcome:
        try:
            return await reconcile(
                source,
                target.provider,
                target.identity,
                options,
                apply=True,
                show=show,
                confirm=confirm,
                progress=progress.done,
                on_start=progress.started,
                annotate=annotate,
            )
        finally:
            progress.stop()
            await target.provider.aclose()

    try:
        outcome = asyncio.run(main())
    except AccountCheckError as exc:
        raise fail_located(exc.located(locate), exc.summary) from None
    except SkippedRetirement as exc:
        raise fail_located(exc.lines, exc.summary) from None
    except (UnsafePlan, Refused, PlanError, ProviderError) as exc:
        if planned:
            raise ApplyRefused(str(exc), target.identity, list(planned[0].changes)) from None
        raise fail(str(exc)) from None
    if outcome.plan.empty:
        console.print("Nothing to apply.")
    return outcome


def _confirm(plan: Plan, target: Target) -> None:
    if not sys.stdin.isatty():
        raise Refused("refusing to apply without --yes: stdin is not a terminal (pass --yes in CI)")
    count = len(plan.changes)
    question = f"Apply {count} change{'' if count == 1 else 's'} to {target.description}?"
    if not typer.confirm(question, default=False):
        raise Refused("apply cancelled: nothing was changed")


def print_report(report: ApplyReport, console: Console) -> None:
    """The totals; what did not succeed is listed again, under the lines printed as they
    happened, so a long log ends with what needs attention."""
    unfinished = [r for r in report.results if r.status != DONE]
    if unfinished and len(unfinished) < len(report.results):
        console.print("Not done:", highlight=False)
        for result in unfinished:
            console.print(f"  {result_line(result)}", highlight=False)
    counts = report.counts
    console.print(
        f"[bold]Apply: {counts[DONE]} done, {counts[FAILED]} failed, "
        f"{counts[NOT_ATTEMPTED]} not attempted.[/bold]",
        highlight=False,
    )
