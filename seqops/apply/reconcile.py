"""One code path for plan and apply: `reconcile(..., apply=False)` plans, `apply=True` also
checks the safety rules, asks for confirmation and executes. A Coefficy target is planned by
the AutomationRule audit and never executed (its API is read-only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from seqops.apply.executor import Progress, Started, Stop
from seqops.apply.executor import apply as execute
from seqops.apply.report import ApplyReport
from seqops.lint.inplan import refuse_errors as refuse_lint_errors
from seqops.manifest.models import Resource
from seqops.plan.automation import audit_plan, is_coefficy
from seqops.plan.plan import Plan, PlanFileError
from seqops.plan.planner import plan as make_plan
from seqops.plan.planner import select
from seqops.plan.safety import SafetyThresholds
from seqops.plan.selection import Selection
from seqops.providers.base import Provider


@dataclass(frozen=True)
class Options:
    allow_delete: bool = False
    allow_disruption: bool = False
    force: bool = False
    thresholds: SafetyThresholds = field(default_factory=SafetyThresholds)
    concurrency: int = 8
    block_on_lint: bool = False
    """Refuse to apply a plan whose changes carry lint errors (seqops.yaml lint.blockApply)."""
    selection: Selection = field(default_factory=Selection)
    """Only these resources are planned (`--select`); nothing outside them is retired."""
    stop: Stop | None = None
    """Asked before each write: a reason to start no more changes (Ctrl-C), or None."""


@dataclass
class Outcome:
    plan: Plan
    report: ApplyReport | None = None
    declined: bool = False
    read_only: bool = False
    """The target cannot be written (Coefficy): the plan was shown, nothing was applied."""


async def reconcile(
    source: list[Resource] | Plan,
    provider: Provider,
    target: str,
    options: Options = Options(),
    *,
    apply: bool,
    show: Callable[[Plan], None] | None = None,
    confirm: Callable[[Plan], bool] | None = None,
    progress: Progress | None = None,
    annotate: Callable[[Plan], None] | None = None,
    on_start: Started | None = None,
) -> Outcome:
    """Plan `source` (manifests, or a saved plan taken as is) against `provider`; with `apply`,
    refuse an unsafe plan (raising `UnsafePlan`), confirm, then execute it."""
    plan = await _plan_of(source, provider, target, options)
    if annotate is not None and not isinstance(source, Plan):
        annotate(plan)  # lint findings, before anyone sees the plan
    if show is not None:
        show(plan)
    if is_coefficy(provider):
        return Outcome(plan, read_only=apply)
    if not apply or plan.empty:
        return Outcome(plan)
    if options.block_on_lint:
        refuse_lint_errors(plan)
    plan.raise_if_unsafe(
        options.thresholds,
        allow_disruption=options.allow_disruption,
        force=options.force,
        allow_delete=options.allow_delete,
    )
    if confirm is not None and not confirm(plan):
        return Outcome(plan, declined=True)
    report = await execute(
        plan,
        provider,
        concurrency=options.concurrency,
        progress=progress,
        on_start=on_start,
        stop=options.stop,
        allow_disruption=options.allow_disruption,
        disruption_rule=options.thresholds.disruption,
    )
    return Outcome(plan, report)


async def _plan_of(
    source: list[Resource] | Plan, provider: Provider, target: str, options: Options
) -> Plan:
    if isinstance(source, Plan):
        if source.target != target:
            raise PlanFileError(
                f"the plan was made for target {source.target!r}, not {target!r}: "
                "apply it with the same --target"
            )
        return source
    if is_coefficy(provider):
        audit = await audit_plan(source, provider, target)
        return select(audit, options.selection, source)
    return await make_plan(
        source,
        provider,
        target,
        allow_delete=options.allow_delete,
        thresholds=options.thresholds,
        selection=options.selection,
    )
