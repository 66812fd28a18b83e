"""`seqops plan`: show what apply would change, without writing anything.

Exit codes: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error. A plan that crosses a safety rule still prints, and says which
flag `apply` will need; only apply refuses. A Coefficy target plans the AutomationRule audit
(`seqops.plan.automation`); an Outreach target skips AutomationRules, in one line.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from seqops.apply.reconcile import Options, reconcile
from seqops.atomic import WriteError, write_atomic
from seqops.cli.common import (
    NoColor,
    TargetOption,
    Verbose,
    fail,
    fail_located,
    make_console,
    setup_logging,
)
from seqops.config import ConfigError
from seqops.lint import settings as lint_config
from seqops.lint.inplan import attach as attach_lint
from seqops.lint.settings import LintSettings
from seqops.manifest import LoadResult, load
from seqops.manifest.located import Manifests
from seqops.manifest.models import Resource
from seqops.manifest.report import TextReporter, report_skipped
from seqops.plan.account_checks import AccountCheckError, Locate
from seqops.plan.errors import PlanError
from seqops.plan.plan import Plan
from seqops.plan.safety import SafetyThresholds
from seqops.plan.selection import Selection, SelectionError
from seqops.plan.skipped import SkippedRetirement, refuse_skipped_retirements
from seqops.providers.base import ProviderError
from seqops.render import RENDERERS
from seqops.render.refusals import because
from seqops.render.wrap import fitted
from seqops.targets import Target, open_target

NAME = "plan"


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Manifest files or directories (default: the current directory)."),
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        "-s",
        metavar="KIND/NAME",
        help="Plan only these resources (repeatable; globs: Sequence/*, Template/outbound-*); "
        "nothing outside them is retired.",
    ),
]
AllowDelete = Annotated[
    bool, typer.Option("--allow-delete", help="Delete retired objects instead of disabling them.")
]


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
Out = Annotated[
    Path | None,
    typer.Option("--out", metavar="PLANFILE", help="Also save the plan (JSON) for apply --plan."),
]
DetailedExitcode = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are changes.")
]


def command(
    paths: Paths = None,
    target: TargetOption = None,
    format: FormatOption = Format.text,
    out: Out = None,
    detailed_exitcode: DetailedExitcode = False,
    allow_delete: AllowDelete = False,
    select: SelectOption = None,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Show what apply would change in the target, and what it would disrupt.

    Against a Coefficy target (provider: coefficy) plan audits AutomationRule manifests only.
    Each drifted rule is an update, so --detailed-exitcode exits 2 on drift.
    """
    setup_logging(verbose)
    loaded = load_manifests(paths, no_color, verbose)
    linting = lint_settings_or_fail()
    opened = open_target_or_fail(target)
    resources = overlay_or_fail(opened, loaded)
    options = Options(
        allow_delete=allow_delete,
        thresholds=opened.thresholds,
        selection=parse_selection(select),
    )
    annotate = lint_annotator(loaded.result, linting)
    plan = run(opened, resources, options, loaded.locate, annotate)
    print_plan(plan, format.value, make_console(no_color), opened.thresholds)
    if out is not None:
        save_plan(plan, out)
    if detailed_exitcode and not plan.empty:
        raise typer.Exit(2)


def load_manifests(
    paths: list[Path] | None, no_color: bool = False, verbose: bool = False
) -> Manifests:
    """Load and validate; on errors print them as `seqops validate` does (on stderr), exit 1.
    Zero manifests is an error too: it must never plan the retirement of everything. YAML that
    is no seqops manifest is noted on stderr: one line, or one per document with `verbose`."""
    paths = paths or [Path(".")]
    result = load(paths)
    if not result.ok:
        TextReporter(make_console(no_color, stderr=True)).report(result)
        raise typer.Exit(1)
    if not result.resources:
        where = ", ".join(str(p) for p in paths)
        raise fail(f"no manifests found under {where}: nothing to plan (and nothing is retired)")
    report_skipped(make_console(no_color, stderr=True), result, verbose)
    return Manifests(result)


def lint_settings_or_fail() -> LintSettings:
    """seqops.yaml's `lint:` section (defaults without one)."""
    try:
        return lint_config.load()
    except ConfigError as exc:
        raise fail(str(exc)) from None


def lint_annotator(loaded: LoadResult, settings: LintSettings) -> Callable[[Plan], None]:
    """Checks a plan made from `loaded` before anyone sees it: it must not retire what a
    skipped document names (`SkippedRetirement`); then attaches lint findings to its changes
    (seqops.lint.inplan)."""

    def annotate(plan: Plan) -> None:
        refuse_skipped_retirements(plan, loaded.skipped_documents)
        attach_lint(plan, loaded, settings)

    return annotate


def open_target_or_fail(name: str | None, *, concurrency: int = 8) -> Target:
    try:
        return open_target(name, concurrency=concurrency)
    except (ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None


def parse_selection(values: list[str] | None) -> Selection:
    """`--select` values as the planner's Selection; a malformed one is a usage error."""
    try:
        return Selection.parse(values or [])
    except SelectionError as exc:
        raise fail(str(exc)) from None


def overlay_or_fail(target: Target, resources: list[Resource]) -> list[Resource]:
    """The target's seqops.yaml `overrides` merged into the manifests (seqops.overlay)."""
    try:
        return target.overlay(resources)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def run(
    target: Target,
    resources: list[Resource],
    options: Options,
    locate: Locate | None = None,
    annotate: Callable[[Plan], None] | None = None,
) -> Plan:
    async def main() -> Plan:
        try:
            outcome = await reconcile(
                resources,
                target.provider,
                target.identity,
                options,
                apply=False,
                annotate=annotate,
            )
        finally:
            await target.provider.aclose()
        return outcome.plan

    try:
        return asyncio.run(main())
    except AccountCheckError as exc:
        raise fail_located(exc.located(locate), exc.summary) from None
    except SkippedRetirement as exc:
        raise fail_located(exc.lines, exc.summary) from None
    except (PlanError, ProviderError) as exc:
        raise fail(str(exc)) from None


def print_plan(
    plan: Plan,
    format: str,
    console: Console,
    thresholds: SafetyThresholds,
    given: frozenset[str] = frozenset(),
) -> None:
    """Render with the named renderer; the safety violations no `given` flag lifts are noted
    (apply will refuse them)."""
    safety = [v for v in plan.violations(thresholds) if v.flag not in given]
    renderer = RENDERERS[format](safety=safety)
    text = renderer.render(plan)
    if renderer.markup:
        for line in fitted(text, console.width):  # between words, at the terminal's width
            console.print(line, highlight=False, emoji=False, soft_wrap=True)
        return
    typer.echo(text)
    if format == "json":  # stdout stays pure JSON
        for violation in safety:
            typer.echo(f"note: apply will need {because(violation)}", err=True)


def save_plan(plan: Plan, out: Path) -> None:
    """Atomically: a plan file is either the previous one or this one, never half of it."""
    try:
        write_atomic(
            out, json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n", "the plan"
        )
    except WriteError as exc:
        raise fail(str(exc)) from None
