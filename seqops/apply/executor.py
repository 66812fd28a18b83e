"""The executor: performs a Plan's changes through a Provider (DESIGN §4).

Changes run in phases, each a wave of independent writes under bounded concurrency:

1. references: templates and rulesets (create/update/adopt);
2. sequences: sequence attributes (create/update/adopt, a replace's new version);
3. steps: each sequence's step writes, in order (after their sequence);
4. disables: retirements and disables;
5. deletes (a sequence is re-checked for prospects right before);
6. enables: enables, then each replace retires its old version only once the new one is
   enabled, so a crash never leaves neither version running;
7. retirements: older versions left by an interrupted replace (`seqops.plan.recovery`), once
   every other change of their key (the current version's steps and enable) is done; if one
   failed they are not attempted, so the old version keeps running.

When the target stops answering (the client's circuit breaker opens, `Unreachable`), the run
stops: changes in flight fail with that error, every change not yet started is reported not
attempted with it.

Before the first write to an existing object the executor re-reads its `updatedAt`; if it moved
since the plan was made the change fails as stale. A change whose dependency (the template or
ruleset it uses, the sequence it enables) did not succeed is not attempted.

When a create finds that a concurrent apply created the same sequence first (the provider keeps
the lowest id, see `Provider.create_template`), the steps, enable and version switch of that
sequence are left to the apply that created it: steps cannot be deleted, so two writers of
the same steps would leave twins for good.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED, ApplyReport, ChangeResult
from seqops.config import redact
from seqops.manifest.models import Sequence, SequenceSpec, Template, TemplateSpec
from seqops.plan.changes import Change, Replace, Update
from seqops.plan.plan import Plan
from seqops.plan.steps import StepWrite
from seqops.plan.versions import retired_owner
from seqops.providers.base import (
    Ids,
    LiveObject,
    Provider,
    ProviderError,
    StaleError,
    Unreachable,
)

PHASES = ("references", "sequences", "steps", "disables", "deletes", "enables", "retirements")
STALE = "stale: changed since the plan was made; re-plan"
Op = Callable[[], Awaitable[None]]
Progress = Callable[[ChangeResult], None]
Started = Callable[[Change], None]
Stop = Callable[[], str | None]
"""Why to stop starting changes (a signal), or None to go on."""


async def apply(
    plan: Plan,
    provider: Provider,
    *,
    concurrency: int = 8,
    progress: Progress | None = None,
    on_start: Started | None = None,
    stop: Stop | None = None,
) -> ApplyReport:
    """Perform every change of `plan`; never raises for a failed change (see the report).
    `on_start` hears of each change as its first write begins, `progress` as it ends. `stop`
    is asked before each write whether to stop (Ctrl-C): changes in flight go on, no other
    starts, as when the target is unreachable."""
    executor = _Executor(plan, provider, concurrency, progress)
    executor.on_start = on_start
    executor.stop = stop
    return await executor.run()


@dataclass
class _Run:
    """One change being executed: its ops per phase and what it created."""

    change: Change
    ops: dict[str, Op] = field(default_factory=dict)
    result: ChangeResult | None = None
    started: bool = False
    started_at: float | None = None
    """`time.monotonic()` of its first write (a report's duration starts there)."""
    new_id: int | None = None
    note: str = ""
    """Said with a successful result (e.g. another apply created the object first)."""


class _Executor:
    def __init__(self, plan: Plan, provider: Provider, concurrency: int, progress: Progress | None):
        self.provider = provider
        self.ids: Ids = copy.deepcopy(plan.references)
        self.slots = asyncio.Semaphore(concurrency)
        self.progress = progress
        self.on_start: Started | None = None
        self.written: set[tuple[str, int]] = set()
        self.stopped: str | None = None
        """Why the run stopped (the target is unreachable): nothing more is started."""
        self.stop: Stop | None = None
        self.raced: set[tuple[str, str]] = set()
        """(kind, name) of the sequences a concurrent apply created first."""
        self.runs = [_Run(c) for c in plan.changes]
        self.by_key: dict[tuple[str, str], list[_Run]] = {}
        for run in self.runs:
            self.by_key.setdefault((run.change.kind, run.change.name), []).append(run)
        for run in self.runs:
            run.ops = self.ops_for(run)

    async def run(self) -> ApplyReport:
        for phase in PHASES:
            await asyncio.gather(*(self.step(r, phase) for r in self.runs if phase in r.ops))
        for run in self.runs:
            if run.result is None:
                self.finish(run, DONE, run.note)
        return ApplyReport([r.result for r in self.runs])  # type: ignore[misc]

    async def step(self, run: _Run, phase: str) -> None:
        if run.result is not None:
            return
        if not run.started and (blocker := self.failed_dependency(run.change)):
            return self.finish(run, NOT_ATTEMPTED, f"{blocker} did not succeed")
        async with self.slots:
            if self.stopped is None and self.stop is not None:
                self.stopped = self.stop()
            if self.stopped is not None and not run.started:
                return self.finish(run, NOT_ATTEMPTED, self.stopped)
            try:
                if not run.started:
                    run.started, run.started_at = True, time.monotonic()
                    if self.on_start is not None:
                        self.on_start(run.change)
                    await self.check_fresh(run.change)
                await run.ops[phase]()
            except Unreachable as exc:
                self.stopped = str(exc)
                return self.finish(run, FAILED, str(exc))
            except ProviderError as exc:
                return self.finish(run, FAILED, str(exc))
            except Exception as exc:  # a bug must not hide what was done: report, carry on
                return self.finish(run, FAILED, redact(f"{type(exc).__name__}: {exc}"))
        if phase == list(run.ops)[-1]:
            self.finish(run, DONE, run.note)

    def finish(self, run: _Run, status: str, reason: str = "") -> None:
        duration = None if run.started_at is None else time.monotonic() - run.started_at
        reason = reason.splitlines()[0] if reason else ""
        run.result = ChangeResult(run.change, status, reason, duration, run.new_id)
        if self.progress is not None:
            self.progress(run.result)

    async def check_fresh(self, change: Change) -> None:
        if change.id is None or change.planned_updated_at is None:
            return
        if (change.kind, change.id) in self.written:
            return  # this run wrote it, after checking it
        if await self.provider.updated_at(change.kind, change.id) != change.planned_updated_at:
            raise StaleError(STALE)

    # --- dependencies ----------------------------------------------------------------------

    def failed_dependency(self, change: Change) -> str | None:
        for key in sorted(_dependencies(change)):
            for run in self.by_key.get(key, []):
                other = run.change
                if other is change or _old_version(other):
                    continue
                if other.action in ("enable", "disable", "delete") and not _old_version(change):
                    continue
                if run.result is not None and run.result.status != DONE:
                    return f"{other.action} {other.kind}/{other.name}"
        return None

    # --- ops ---------------------------------------------------------------------------------

    def ops_for(self, run: _Run) -> dict[str, Op]:
        change = run.change
        builders = {
            "create": self.create_ops,
            "update": self.update_ops,
            "adopt": self.update_ops,
            "replace": self.replace_ops,
            "enable": lambda r: {"enables": lambda: self.set_enabled(r, True)},
            "disable": lambda r: {_disable_phase(r.change): lambda: self.disable(r)},
            "delete": lambda r: {"deletes": lambda: self.delete(r.change)},
        }
        return builders[change.action](run)

    def create_ops(self, run: _Run) -> dict[str, Op]:
        if run.change.kind in ("Template", "Ruleset"):
            return {"references": lambda: self.create_reference(run.change)}
        return {
            "sequences": lambda: self.create_sequence(run, run.change.desired),  # type: ignore[arg-type]
            "steps": lambda: self.create_steps(run),
        }

    def update_ops(self, run: _Run) -> dict[str, Op]:
        change: Update = run.change  # type: ignore[assignment]
        if change.kind != "Sequence":
            return {"references": lambda: self.update_reference(change)}
        ops: dict[str, Op] = {}
        if change.write_attributes:
            ops["sequences"] = lambda: self.update_sequence(change)
        if change.steps:
            ops["steps"] = lambda: self.write_steps(change)
        return ops or {"sequences": _nothing}

    def replace_ops(self, run: _Run) -> dict[str, Op]:
        change: Replace = run.change  # type: ignore[assignment]
        desired: Sequence = change.desired  # type: ignore[assignment]
        spec = desired.spec.model_copy(update={"displayName": change.new_display_name})
        new = desired.model_copy(update={"spec": spec})
        return {
            "sequences": lambda: self.create_sequence(run, new),
            "steps": lambda: self.create_steps(run),
            "enables": lambda: self.switch_versions(run),
        }

    # --- writes ------------------------------------------------------------------------------

    async def create_reference(self, change: Change) -> None:
        """Create a template or ruleset; later writes refer to it by its manifest name."""
        if change.kind == "Template":
            live = await self.provider.create_template(change.desired)  # type: ignore[arg-type]
            self.ids.templates[change.name] = live.id
        else:
            live = await self.provider.create_ruleset(change.desired, self.ids)  # type: ignore[arg-type]
            self.ids.rulesets[change.name] = live.id
        for run in self.by_key[(change.kind, change.name)]:
            if run.change is change:
                run.new_id = live.id  # for the report
        if live.created_concurrently:
            self.note(change, live.id)

    async def update_reference(self, change: Change) -> None:
        live, desired = change.existing, change.desired
        if change.kind == "Template":
            await self.provider.update_template(live, desired, change.name)  # type: ignore[arg-type]
        else:
            await self.provider.update_ruleset(live, desired, self.ids)  # type: ignore[arg-type]
        self.written.add((change.kind, change.id))  # type: ignore[arg-type]

    async def create_sequence(self, run: _Run, desired: Sequence) -> None:
        live = await self.provider.create_sequence(desired, self.ids)
        run.new_id = live.id
        if live.created_concurrently:
            self.raced.add((run.change.kind, run.change.name))
            self.note(run.change, live.id, "; its steps and enabling are left to that apply")

    def note(self, change: Change, id: int, more: str = "") -> None:
        for run in self.by_key[(change.kind, change.name)]:
            if run.change is change:
                run.note = f"another apply created it first (id {id}): kept that one{more}"

    def left_to_racer(self, change: Change) -> bool:
        return (change.kind, change.name) in self.raced

    async def create_steps(self, run: _Run) -> None:
        if self.left_to_racer(run.change):
            return
        steps = run.change.desired.spec.steps  # type: ignore[union-attr]
        for order, step in enumerate(steps, start=1):
            try:
                await self.provider.create_step(run.new_id, order, step, self.ids)  # type: ignore[arg-type]
            except ProviderError as exc:
                raise _partial(run, order - 1, len(steps), exc) from None

    async def update_sequence(self, change: Update) -> None:
        await self.provider.update_sequence(change.existing, change.desired, self.ids, change.name)  # type: ignore[arg-type]
        self.written.add((change.kind, change.id))  # type: ignore[arg-type]

    async def write_steps(self, change: Update) -> None:
        steps = change.desired.spec.steps  # type: ignore[union-attr]
        for write in change.steps:
            step = steps[write.order - 1]
            if write.live is None:
                await self.provider.create_step(change.id, write.order, step, self.ids)  # type: ignore[arg-type]
                continue
            await self.check_step_fresh(write)
            await self.provider.update_step(write.live, step, self.ids)
        self.written.add((change.kind, change.id))  # type: ignore[arg-type]

    async def check_step_fresh(self, write: StepWrite) -> None:
        live = write.live
        if live is None or live.updated_at is None:
            return
        if await self.provider.updated_at("Step", live.id) != live.updated_at:
            raise StaleError(f"step {write.order}: {STALE}")

    async def set_enabled(self, run: _Run, enabled: bool) -> None:
        if run.change.id is None and self.left_to_racer(run.change):
            run.note = "left to the apply that created the sequence"
            return
        id = run.change.id if run.change.id is not None else self.created_id(run.change)
        await self.provider.set_enabled(id, enabled)
        self.written.add((run.change.kind, id))

    async def disable(self, run: _Run) -> None:
        change = run.change
        retire_as = getattr(change, "retire_as", None)
        if change.kind == "Template":  # templates are never disabled, only re-tagged
            return await self.retag_template(change.existing, retire_as)  # type: ignore[arg-type]
        if retire_as:
            await self.retag(change.existing, retire_as)  # type: ignore[arg-type]
        if change.existing is None or change.existing.resource.spec.enabled or not retire_as:  # type: ignore[attr-defined]
            await self.set_enabled(run, False)

    async def switch_versions(self, run: _Run) -> None:
        """A replace's last step: the new version runs, then the old one is retired."""
        change: Replace = run.change  # type: ignore[assignment]
        if self.left_to_racer(change):
            return
        if change.enable_new:
            await self.provider.set_enabled(run.new_id, True)  # type: ignore[arg-type]
        old = change.existing
        await self.retag(old, retired_owner(change.name))  # type: ignore[arg-type]
        if old.resource.spec.enabled:  # type: ignore[union-attr]
            await self.provider.set_enabled(old.id, False)  # type: ignore[union-attr]

    async def retag(self, live: LiveObject, owner: str) -> None:
        """Rewrite the ownership tag (display name and user tags unchanged)."""
        spec = live.resource.spec  # type: ignore[attr-defined]
        minimal = Sequence(
            apiVersion="seqops/v1",
            kind="Sequence",
            metadata={"name": owner},  # type: ignore[arg-type]
            # sequenceType has a default: say the live one, or it would be "changed" to interval
            spec=SequenceSpec(
                displayName=spec.displayName, sequenceType=spec.sequenceType, tags=spec.tags
            ),
        )
        await self.provider.update_sequence(live, minimal, self.ids, owner)
        self.written.add(("Sequence", live.id))

    async def retag_template(self, live: LiveObject, owner: str | None) -> None:
        if owner is None:
            raise ProviderError("a template can only be retired by re-tagging it")
        spec = live.resource.spec  # type: ignore[attr-defined]
        minimal = Template(
            apiVersion="seqops/v1",
            kind="Template",
            metadata={"name": owner},  # type: ignore[arg-type]
            spec=TemplateSpec(displayName=spec.displayName, tags=spec.tags),
        )
        await self.provider.update_template(live, minimal, owner)
        self.written.add(("Template", live.id))

    async def delete(self, change: Change) -> None:
        if change.kind == "Sequence":
            impact = (await self.provider.impact([change.id]))[change.id]  # type: ignore[list-item,index]
            if impact.total:
                raise ProviderError(
                    f"refused: {impact.active} active and {impact.paused} paused prospects "
                    "are in it (a sequence with prospects is never deleted)"
                )
        await self.provider.delete(change.kind, change.id)  # type: ignore[arg-type]

    def created_id(self, change: Change) -> int:
        for run in self.runs:
            if run.change.action == "create" and (run.change.kind, run.change.name) == (
                change.kind,
                change.name,
            ):
                return run.new_id  # type: ignore[return-value]
        raise ProviderError(f"{change}: no id (its sequence was not created)")


def _dependencies(change: Change) -> set[tuple[str, str]]:
    """The (kind, name) of the changes this one needs done first."""
    if change.action in ("enable", "disable"):
        return {(change.kind, change.name)}
    desired = change.desired
    if not isinstance(desired, Sequence):
        return set()
    needed = {("Template", t) for s in desired.spec.steps for t in s.variants}
    return needed | ({("Ruleset", desired.spec.ruleset)} if desired.spec.ruleset else set())


def _partial(run: _Run, done: int, total: int, exc: ProviderError) -> ProviderError:
    """The error of a sequence left with some of its steps: names the live object, so the
    report says what exists (the next plan completes it, never duplicates it)."""
    change = run.change
    made = getattr(change, "new_display_name", None) or change.desired.display_name  # type: ignore[union-attr]
    return type(exc)(
        f"{made!r} (id {run.new_id}) was created with {done} of {total} steps, then: {exc}; "
        "the next apply completes it"
    )


def _old_version(change: Change) -> bool:
    return bool(getattr(change, "old_version", False))


def _disable_phase(change: Change) -> str:
    return "retirements" if _old_version(change) else "disables"


async def _nothing() -> None:
    return None
