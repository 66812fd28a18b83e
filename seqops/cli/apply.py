"""`seqops apply`: plan, show, confirm, then make the target match.

`--plan FILE` applies exactly a saved plan (checksum and target verified; a change whose
object moved since is refused as stale). Without `--yes` apply asks for confirmation, and
refuses when stdin is not a terminal (CI). Exit 0 when every change is done, 1 otherwise;
130 (Ctrl-C) or 143 (SIGTERM) when a signal stopped it (`seqops.cli.interrupt`). The summary
is printed before `--report` is saved: a report that cannot be saved is said after it (exit 1,
saying the apply itself succeeded when it did).

Against a Coefficy target nothing can be written: apply prints the audit and exits 1 on drift
(`0 of N changes applied: ...`), 0 without. A CI job that applies on merge must not turn green
while the account still differs from what was merged.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from seqops.apply.reconcile import Options, Outcome, reconcile
from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED, ApplyReport, ChangeResult
from seqops.atomic import WriteError, write_atomic
from seqops.cli.ask import ask
from seqops.cli.common import (
    NoColor,
    TargetOption,
    Verbose,
    fail,
    fail_located,
    make_console,
    print_error,
    setup_logging,
)
from seqops.cli.interrupt import Interrupt, Interrupted
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
from seqops.lint.settings import LintSettings
from seqops.manifest.located import Manifests
from seqops.manifest.models import Resource
from seqops.plan.account_checks import AccountCheckError, Locate
from seqops.plan.changes import Change
from seqops.plan.errors import PlanError
from seqops.plan.plan import Plan
from seqops.plan.safety import SafetyThresholds, UnsafePlan, given_flags
from seqops.plan.selection import Selection
from seqops.plan.skipped import SkippedRetirement
from seqops.providers.base import ProviderError
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE
from seqops.sanitize import terminal
from seqops.targets import Target

NAME = "apply"


class Refused(Exception):
    """Confirmation impossible (no terminal) or declined."""


@dataclass
class Finished:
    """How apply ended: the report to print and save, and what to say last."""

    target: str
    report: ApplyReport | None = None
    """None: nothing to report (a read-only target); a refusal's report lists every change."""
    printed: bool = True
    """Whether the report's summary is printed (a refusal says only why)."""
    message: str | None = None
    """The last line, `error: ...` on stderr."""
    code: int = 0


PlanFileOption = Annotated[
    Path | None,
    typer.Option("--plan", metavar="PLANFILE", help="Apply exactly this saved plan (plan --out)."),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
AllowDisruption = Annotated[
    bool,
    typer.Option("--allow-disruption", help="Allow changes to sequences with prospects in them."),
]
Force = Annotated[
    bool,
    typer.Option("--force", help="Allow changing more than the threshold of owned resources."),
]
Parallelism = Annotated[
    int,
    typer.Option("--parallelism", min=1, max=64, help="Changes (and requests) in flight at once."),
]
ReportFile = Annotated[
    Path | None,
    typer.Option(
        "--report",
        metavar="FILE",
        help="Write a JSON report: each change done/failed/not attempted, error, duration.",
    ),
]


@dataclass(frozen=True)
class ApplyFlags:
    """What the person running apply allowed, and how many changes run at once."""

    yes: bool
    allow_disruption: bool
    force: bool
    allow_delete: bool
    parallelism: int
    selection: Selection

    def options(self, thresholds: SafetyThresholds, linting: LintSettings) -> Options:
        return Options(
            allow_delete=self.allow_delete,
            allow_disruption=self.allow_disruption,
            force=self.force,
            thresholds=thresholds,
            block_on_lint=linting.blockApply,
            concurrency=self.parallelism,
            selection=self.selection,
        )


def command(
    paths: Paths = None,
    plan_file: PlanFileOption = None,
    target: TargetOption = None,
    yes: Yes = False,
    allow_disruption: AllowDisruption = False,
    force: Force = False,
    allow_delete: AllowDelete = False,
    select: SelectOption = None,
    parallelism: Parallelism = 8,
    report_file: ReportFile = None,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Make the target match the manifests (or a saved plan).

    A Coefficy target is read-only: apply shows the AutomationRule audit and writes nothing.
    It exits 1 when automations drifted (CI must not go green on an apply that changed nothing).
    Ctrl-C or SIGTERM stops it: no new change starts, the summary is printed and --report
    written, exit 130 or 143.
    """
    setup_logging(verbose)
    _check_flags(paths, plan_file, select)
    selection = parse_selection(select)
    flags = ApplyFlags(yes, allow_disruption, force, allow_delete, parallelism, selection)
    linting = lint_settings_or_fail()
    loaded = (
        read_plan(plan_file) if plan_file is not None else load_manifests(paths, no_color, verbose)
    )
    opened = open_target_or_fail(target, concurrency=parallelism)
    # a saved plan already holds the overridden manifests
    source = loaded if isinstance(loaded, Plan) else overlay_or_fail(opened, loaded)
    options = flags.options(opened.thresholds, linting)
    console = make_console(no_color)
    manifests = None if isinstance(loaded, Plan) else loaded
    finished = run(opened, source, options, console, yes, manifests, linting)
    conclude(finished, console, report_file, manifests.locate if manifests else None)


def _check_flags(
    paths: list[Path] | None, plan_file: Path | None, select: list[str] | None
) -> None:
    if plan_file is not None and paths:
        raise fail("give manifest paths or --plan FILE, not both")
    if plan_file is not None and select:
        raise fail("--select is for planning: give it to `seqops plan --out`, not with --plan")


def conclude(
    finished: Finished, console: Console, report_file: Path | None, locate: Locate | None = None
) -> None:
    """Print the summary, then save the report: a report that cannot be saved never hides
    what was done. Apply then exits 1 (saying that the apply itself succeeded, when it did):
    a CI job must not go green with the previous run's report in place of this one's. A
    refusal that points at a manifest field is also said where it is written."""
    report = finished.report
    if report is not None and finished.printed:
        print_report(report, console)
        print_located(report, locate)
    messages = [finished.message] if finished.message else []
    if report is not None and report_file is not None:
        try:
            save_report(report, finished.target, report_file)
        except WriteError as exc:
            messages.append(f"{exc}{_what_happened(report, finished)}")
            finished.code = finished.code or 1
    for message in messages[:-1]:
        print_error(message)
    if messages:
        raise fail(messages[-1], finished.code or 1)
    if finished.code:
        raise typer.Exit(finished.code)


def _what_happened(report: ApplyReport, finished: Finished) -> str:
    if report.refusal is not None:
        return ": nothing was applied"
    if report.ok and not finished.code:
        return ": the apply itself succeeded (see the summary above)"
    return ""


def save_report(report: ApplyReport, target: str, path: Path) -> None:
    document = {"target": target, **report.to_json()}
    write_atomic(
        path, json.dumps(document, indent=2, ensure_ascii=False) + "\n", "the apply report"
    )


def read_only_refusal(plan: Plan) -> str:
    count = len(plan.changes)
    return f"0 of {count} change{'' if count == 1 else 's'} applied: Coefficy is read-only. {READ_ONLY_MESSAGE}"


def run(
    target: Target,
    source: list[Resource] | Plan,
    options: Options,
    console: Console,
    yes: bool,
    manifests: Manifests | None = None,
    linting: LintSettings | None = None,
) -> Finished:
    """Plan (or take the saved plan), show, confirm, execute; signals heard throughout."""
    interrupt = Interrupt(make_console(True, stderr=True))
    execution = _Execution(target, source, console, interrupt)
    options = dataclasses.replace(options, stop=interrupt.stop)
    annotate = lint_annotator(manifests.result, linting) if manifests and linting else None
    try:
        outcome = asyncio.run(execution.main(options, yes, annotate))
    except AccountCheckError as exc:
        raise fail_located(
            exc.located(manifests.locate if manifests else None), exc.summary
        ) from None
    except SkippedRetirement as exc:
        raise fail_located(exc.lines, exc.summary) from None
    except (UnsafePlan, Refused, PlanError, ProviderError, Interrupted) as exc:
        return execution.refused(
            str(exc), 1 if not isinstance(exc, Interrupted) else 128 + exc.signum
        )
    except (asyncio.CancelledError, KeyboardInterrupt):
        return execution.cut_short()
    return execution.finished(outcome)


class _Execution:
    """One apply run: what it planned, what it started and finished, for the report."""

    def __init__(
        self, target: Target, source: list[Resource] | Plan, console: Console, interrupt: Interrupt
    ):
        self.target, self.source, self.console, self.interrupt = target, source, console, interrupt
        self.progress = ApplyProgress(console)
        self.plan: Plan | None = source if isinstance(source, Plan) else None
        self.writing = False
        self.started: set[int] = set()
        self.results: dict[int, ChangeResult] = {}

    async def main(
        self, options: Options, yes: bool, annotate: Callable[[Plan], None] | None
    ) -> Outcome:
        given = frozenset(
            given_flags(options.allow_disruption, options.force, options.allow_delete)
        )

        def show(plan: Plan) -> None:
            self.plan = plan
            print_plan(plan, "text", self.console, self.target.thresholds, given)

        def confirm(plan: Plan) -> bool:
            if not yes:
                self.interrupt.deaf()  # Ctrl-C at the prompt ends apply: nothing written
                _confirm(plan, self.target)
            self.interrupt.start_writing()
            self.writing = True  # from here on writes happen: an error is no longer a refusal
            self.progress.start(len(plan.changes))
            return True

        self.interrupt.listen()
        try:
            return await reconcile(
                self.source,
                self.target.provider,
                self.target.identity,
                options,
                apply=True,
                show=show,
                confirm=confirm,
                progress=self.done,
                on_start=self.on_start,
                annotate=annotate,
            )
        finally:
            self.interrupt.close()
            self.progress.stop()
            await self.target.provider.aclose()

    def on_start(self, change: Change) -> None:
        self.started.add(id(change))
        self.progress.started(change)

    def done(self, result: ChangeResult) -> None:
        self.results[id(result.change)] = result
        self.progress.done(result)

    def finished(self, outcome: Outcome) -> Finished:
        identity = outcome.plan.target
        if outcome.plan.empty:
            self.console.print("Nothing to apply.")
        if outcome.read_only:
            message = read_only_refusal(outcome.plan) if not outcome.plan.empty else None
            return Finished(identity, None, message=message)
        report = outcome.report if outcome.report is not None else ApplyReport()
        printed = outcome.report is not None
        if self.interrupt.signum is not None:
            report.interrupted = self._interrupted(report)
            return Finished(identity, report, printed, report.interrupted, self.interrupt.exit_code)
        return Finished(identity, report, printed, code=0 if report.ok else 1)

    def refused(self, message: str, code: int) -> Finished:
        """Stopped before anything was written (or an error once writing began)."""
        if self.writing or self.plan is None:
            return Finished(self.target.identity, None, message=message, code=code)
        report = ApplyReport.refused(list(self.plan.changes), message)
        return Finished(self.plan.target, report, printed=False, message=message, code=code)

    def cut_short(self) -> Finished:
        """The run was cancelled: a signal before writes began, a second one during them,
        or the grace period over. Changes in flight are abandoned: the next plan sees them."""
        signum = self.interrupt.signum or signal.SIGINT
        if not self.writing or self.plan is None:
            name = signal.Signals(signum).name
            return self.refused(f"interrupted by {name}: nothing was changed", 128 + signum)
        self.interrupt.signum = signum
        report = ApplyReport([self._result(change) for change in self.plan.changes])
        report.interrupted = self._interrupted(report)
        return Finished(self.plan.target, report, True, report.interrupted, 128 + signum)

    def _result(self, change: Change) -> ChangeResult:
        if (result := self.results.get(id(change))) is not None:
            return result
        if id(change) in self.started:
            why = "abandoned in flight: the next plan shows whether it was written"
            return ChangeResult(change, FAILED, f"interrupted by {self.interrupt.name}: {why}")
        return ChangeResult(change, NOT_ATTEMPTED, self.interrupt.reason or "")

    def _interrupted(self, report: ApplyReport) -> str:
        counts = report.counts
        return (
            f"interrupted by {self.interrupt.name}: {counts[DONE]} done, {counts[FAILED]} failed, "
            f"{counts[NOT_ATTEMPTED]} not attempted; run apply again to complete it "
            "(the next plan shows what is left)"
        )


def _confirm(plan: Plan, target: Target) -> None:
    if not sys.stdin.isatty():
        raise Refused("refusing to apply without --yes: stdin is not a terminal (pass --yes in CI)")
    count = len(plan.changes)
    question = f"Apply {count} change{'' if count == 1 else 's'} to {target.description}?"
    if not ask(question):
        raise Refused("apply cancelled: nothing was changed")


def print_located(report: ApplyReport, locate: Locate | None) -> None:
    """`FILE:LINE:COL: Kind/name: reason` on stderr for each failure whose refusal names a
    manifest field (a 422's `source.pointer`), as `validate` prints (editors parse it)."""
    if locate is None:
        return
    errors = make_console(True, stderr=True)
    for result in report.of(FAILED):
        change = result.change
        where = locate(change.kind, change.name, result.field) if result.field else None
        if where is not None:
            file, line, column = where
            text = f"{file}:{line}:{column}: {change.kind}/{change.name}: {result.reason}"
            errors.print(terminal(text), markup=False, highlight=False, soft_wrap=True)


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
