"""The executor: performs a Plan's changes through a Provider (DESIGN §4).

Changes run in phases, each a wave of independent writes under bounded concurrency:

1. references: templates and rulesets (create/update/adopt);
2. sequences: sequence attributes (create/update/adopt, a replace's new version);
3. steps: each sequence's step writes, in order (after their sequence);
4. disables: retirements and disables;
5. deletes (a sequence is re-checked for prospects right before);
6. enables: enables, then each replace settles its old version only once the new one is
   enabled (re-tagged and renamed, then left running to drain, or disabled, or enabled for
   its pending prospects: `seqops.plan.retiring`), so a crash never leaves neither running;
7. retirements: old versions (left by an interrupted replace, retiring, retired but still
   enabled), once every other change of their key (the current version's steps and enable)
   is done; if one failed they are not attempted, so the old version keeps running.

When the target stops answering (the client's circuit breaker opens, `Unreachable`), the run
stops: changes in flight fail with that error, every change not yet started is reported not
attempted with it.

Before the first write to an existing object the executor re-reads its `updatedAt`; if it moved
since the plan was made the change fails as stale. It then counts the prospects again where
they decide whether the change may go ahead (`seqops.apply.recount`). A change whose
dependency (the template or ruleset it uses, the sequence it enables) did not succeed is not
attempted.

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

from seqops.apply.recount import Recount
from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED, ApplyReport, ChangeResult
from seqops.config import redact
from seqops.manifest.models import (
    Metadata,
    Ruleset,
    Sequence,
    SequenceSpec,
    Template,
    TemplateSpec,
)
from seqops.plan.changes import (
    Change,
    Create,
    Delete,
    Disable,
    Enable,
    OldVersionWrites,
    Replace,
    Retag,
    Update,
)
from seqops.plan.live import is_enabled, spec_of
from seqops.plan.plan import Plan
from seqops.plan.steps import StepWrite
from seqops.providers.base import (
    Ids,
    LiveObject,
    Provider,
    ProviderError,
    Settled,
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
    allow_disruption: bool = False,
    disruption_rule: bool = True,
) -> ApplyReport:
    """Perform every change of `plan`; never raises for a failed change (see the report).
    `on_start` hears of each change as its first write begins, `progress` as it ends. `stop`
    is asked before each write whether to stop (Ctrl-C): changes in flight go on, no other
    starts, as when the target is unreachable. A change that reaches prospects counted right
    before it writes is refused unless `allow_disruption` (or the target turns the rule off:
    `disruption_rule`)."""
    executor = _Executor(plan, provider, concurrency, progress)
    executor.on_start = on_start
    executor.stop = stop
    executor.recount = Recount(provider, allow_disruption, disruption_rule)
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

    @property
    def created(self) -> int:
        if self.new_id is None:
            raise ProviderError(f"{self.change}: its new sequence was not created")
        return self.new_id


class _Executor:
    def __init__(self, plan: Plan, provider: Provider, concurrency: int, progress: Progress | None):
        self.provider = provider
        self.ids: Ids = copy.deepcopy(plan.references)
        self.slots = asyncio.Semaphore(concurrency)
        self.progress = progress
        self.on_start: Started | None = None
        self.recount = Recount(provider)
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
            await self.settle()
        results = []
        for run in self.runs:
            results.append(run.result or self.finish(run, DONE, run.note))
        return ApplyReport(results)

    async def step(self, run: _Run, phase: str) -> None:
        if run.result is not None:
            return
        if not run.started and (blocker := self.failed_dependency(run.change)):
            self.finish(run, NOT_ATTEMPTED, f"{blocker} did not succeed")
            return
        async with self.slots:
            if self.stopped is None and self.stop is not None:
                self.stopped = self.stop()
            if self.stopped is not None and not run.started:
                self.finish(run, NOT_ATTEMPTED, self.stopped)
                return
            try:
                if not run.started:
                    await self.begin(run)
                await run.ops[phase]()
            except Unreachable as exc:
                self.stopped = str(exc)
                self.finish(run, FAILED, str(exc))
                return
            except ProviderError as exc:
                self.finish(run, FAILED, str(exc)).field = exc.field
                return
            except Exception as exc:  # a bug must not hide what was done: report, carry on
                self.finish(run, FAILED, redact(f"{type(exc).__name__}: {exc}"))
                return
        if phase == list(run.ops)[-1]:
            self.finish(run, DONE, run.note)

    async def begin(self, run: _Run) -> None:
        """Before a change's first write: say so, check it is fresh, count its prospects."""
        run.started, run.started_at = True, time.monotonic()
        if self.on_start is not None:
            self.on_start(run.change)
        await self.check_fresh(run.change)
        await self.recount.check(run.change)

    async def settle(self) -> None:
        """Races with concurrent applies, settled once per phase (`Provider.settle`): a create
        another apply made first keeps that one (its steps and enabling are left to that
        apply); a create found stale fails (its copy was deleted again); a sequence whose race
        could not be settled is not completed (the next plan does it)."""
        for settled in await self.provider.settle():
            for run in self.by_key.get((settled.kind, settled.name), []):
                if run.new_id == settled.created:
                    self.settled(run, settled)

    def settled(self, run: _Run, settled: Settled) -> None:
        if settled.error is not None:
            if run.result is None or isinstance(settled.error, StaleError):
                self.finish(run, FAILED, str(settled.error))
            return
        if not settled.raced:
            return
        run.new_id = settled.kept
        kind, name = run.change.kind, run.change.name
        if kind == "Template":
            self.ids.templates[name] = settled.kept
        elif kind == "Ruleset":
            self.ids.rulesets[name] = settled.kept
        else:
            self.raced.add((kind, name))
        more = "; its steps and enabling are left to that apply" if kind == "Sequence" else ""
        run.note = _raced_note(settled.kept, more)
        if run.result is not None:  # done already (a template, a ruleset): say it with it
            run.result.reason, run.result.created_id = run.note, settled.kept

    def finish(self, run: _Run, status: str, reason: str = "") -> ChangeResult:
        duration = None if run.started_at is None else time.monotonic() - run.started_at
        reason = reason.splitlines()[0] if reason else ""
        run.result = ChangeResult(run.change, status, reason, duration, run.new_id)
        if self.progress is not None:
            self.progress(run.result)
        return run.result

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
                if other is change or other.old_version:
                    continue
                if other.action in ("enable", "disable", "delete") and not change.old_version:
                    continue
                if run.result is not None and run.result.status != DONE:
                    return f"{other.action} {other.kind}/{other.name}"
        return None

    # --- ops ---------------------------------------------------------------------------------

    def ops_for(self, run: _Run) -> dict[str, Op]:
        change = run.change
        if isinstance(change, Replace):
            return self.replace_ops(run, change)
        if isinstance(change, OldVersionWrites):
            return self.old_version_ops(run, change)
        if isinstance(change, Update):
            return self.update_ops(change)
        if isinstance(change, Create):
            return self.create_ops(run, change)
        if isinstance(change, Delete):
            return {"deletes": lambda: self.delete(change)}
        raise ProviderError(f"{change}: seqops cannot write this change")

    def create_ops(self, run: _Run, change: Create) -> dict[str, Op]:
        if change.kind in ("Template", "Ruleset"):
            return {"references": lambda: self.create_reference(run, change)}
        desired = change.manifest
        assert isinstance(desired, Sequence)
        return {
            "sequences": lambda: self.create_sequence(run, desired),
            "steps": lambda: self.create_steps(run, desired),
        }

    def update_ops(self, change: Update) -> dict[str, Op]:
        if change.kind != "Sequence":
            return {"references": lambda: self.update_reference(change)}
        ops: dict[str, Op] = {}
        if change.write_attributes:
            ops["sequences"] = lambda: self.update_sequence(change)
        if change.steps:
            ops["steps"] = lambda: self.write_steps(change)
        return ops or {"sequences": _nothing}

    def replace_ops(self, run: _Run, change: Replace) -> dict[str, Op]:
        desired = change.sequence
        spec = desired.spec.model_copy(update={"displayName": change.new_display_name})
        new = desired.model_copy(update={"spec": spec})
        return {
            "sequences": lambda: self.create_sequence(run, new),
            "steps": lambda: self.create_steps(run, new),
            "enables": lambda: self.switch_versions(run, change),
        }

    def old_version_ops(self, run: _Run, change: OldVersionWrites) -> dict[str, Op]:
        """Relabel (tag and name) first, then enable or disable, as the change says."""
        if isinstance(change, Retag):
            phase = "retirements"
        elif isinstance(change, Enable):
            phase = "retirements" if change.old_version else "enables"
        else:
            phase = "retirements" if change.old_version else "disables"
        return {phase: lambda: self.write_old_version(run, change)}

    # --- writes ------------------------------------------------------------------------------

    async def create_reference(self, run: _Run, change: Create) -> None:
        """Create a template or ruleset; later writes refer to it by its manifest name."""
        desired = change.manifest
        if isinstance(desired, Template):
            live = await self.provider.create_template(desired)
            self.ids.templates[change.name] = live.id
        elif isinstance(desired, Ruleset):
            live = await self.provider.create_ruleset(desired, self.ids)
            self.ids.rulesets[change.name] = live.id
        else:
            raise ProviderError(f"{change}: not a template or ruleset")
        run.new_id = live.id  # for the report

    async def update_reference(self, change: Update) -> None:
        live, desired = change.live, change.manifest
        if isinstance(desired, Template):
            await self.provider.update_template(live, desired, change.name)
        elif isinstance(desired, Ruleset):
            await self.provider.update_ruleset(live, desired, self.ids)
        else:
            raise ProviderError(f"{change}: not a template or ruleset")
        self.written.add((change.kind, live.id))

    async def create_sequence(self, run: _Run, desired: Sequence) -> None:
        live = await self.provider.create_sequence(desired, self.ids)
        run.new_id = live.id

    def left_to_racer(self, change: Change) -> bool:
        return (change.kind, change.name) in self.raced

    async def create_steps(self, run: _Run, desired: Sequence) -> None:
        if self.left_to_racer(run.change):
            return
        steps = desired.spec.steps
        for order, step in enumerate(steps, start=1):
            try:
                await self.provider.create_step(run.created, order, step, self.ids)
            except ProviderError as exc:
                raise _partial(run, desired, order - 1, len(steps), exc) from None

    async def update_sequence(self, change: Update) -> None:
        desired = change.manifest
        assert isinstance(desired, Sequence)
        await self.provider.update_sequence(change.live, desired, self.ids, change.name)
        self.written.add((change.kind, change.live.id))

    async def write_steps(self, change: Update) -> None:
        desired = change.manifest
        assert isinstance(desired, Sequence)
        steps = desired.spec.steps
        for write in change.steps:
            step = steps[write.order - 1]
            if write.live is None:
                await self.provider.create_step(change.live.id, write.order, step, self.ids)
                continue
            await self.check_step_fresh(write)
            await self.provider.update_step(write.live, step, self.ids)
        self.written.add((change.kind, change.live.id))

    async def check_step_fresh(self, write: StepWrite) -> None:
        live = write.live
        if live is None or live.updated_at is None:
            return
        if await self.provider.updated_at("Step", live.id) != live.updated_at:
            raise StaleError(f"step {write.order}: {STALE}")

    async def set_enabled(self, kind: str, id: int, enabled: bool) -> None:
        await self.provider.set_enabled(id, enabled)
        self.written.add((kind, id))

    async def write_old_version(self, run: _Run, change: OldVersionWrites) -> None:
        """An enable, disable or re-tag: the object's tag and name first, then its state."""
        if change.existing is None:
            return await self.enable_created(run, change)
        live = change.live
        if change.kind == "Template":  # templates are never disabled, only re-tagged
            return await self.retag_template(live, change.retire_as)
        if change.retire_as or change.rename_to:
            await self.relabel(
                live, change.retire_as or live.owner or change.name, change.rename_to
            )
        if isinstance(change, Enable) or (isinstance(change, Disable) and is_enabled(live)):
            await self.set_enabled(change.kind, live.id, isinstance(change, Enable))
        elif isinstance(change, Disable) and not (change.retire_as or change.rename_to):
            await self.set_enabled(change.kind, live.id, False)  # disabled to be sure

    async def enable_created(self, run: _Run, change: Change) -> None:
        """Enable (or disable) a sequence this run created: the manifest's last word."""
        if self.left_to_racer(change):
            run.note = "left to the apply that created the sequence"
            return
        await self.set_enabled(change.kind, self.created_id(change), isinstance(change, Enable))

    async def switch_versions(self, run: _Run, change: Replace) -> None:
        """A replace's last step: the new version runs, then the old one gets its outcome."""
        if self.left_to_racer(change):
            return
        if change.enable_new:
            await self.set_enabled("Sequence", run.created, True)
        old, outcome = change.live, change.outcome
        if outcome is None:
            raise ProviderError(f"{change}: the plan did not say what becomes of the old version")
        await self.relabel(old, outcome.owner, outcome.name)
        if outcome.enabled != is_enabled(old):
            await self.set_enabled("Sequence", old.id, outcome.enabled)

    async def relabel(self, live: LiveObject, owner: str, name: str | None) -> None:
        """Rewrite the ownership tag and, when given, the display name (user tags kept)."""
        spec = spec_of(live)
        minimal = Sequence(
            apiVersion="seqops/v1",
            kind="Sequence",
            metadata=Metadata(name=owner),
            # sequenceType has a default: say the live one, or it would be "changed" to interval
            spec=SequenceSpec(
                displayName=name or spec.displayName,
                sequenceType=spec.sequenceType,
                tags=spec.tags,
            ),
        )
        await self.provider.update_sequence(live, minimal, self.ids, owner)
        self.written.add(("Sequence", live.id))

    async def retag_template(self, live: LiveObject, owner: str | None) -> None:
        if owner is None:
            raise ProviderError("a template can only be retired by re-tagging it")
        spec = live.resource
        assert isinstance(spec, Template)
        minimal = Template(
            apiVersion="seqops/v1",
            kind="Template",
            metadata=Metadata(name=owner),
            spec=TemplateSpec(displayName=spec.spec.displayName, tags=spec.spec.tags),
        )
        await self.provider.update_template(live, minimal, owner)
        self.written.add(("Template", live.id))

    async def delete(self, change: Delete) -> None:
        id = change.live.id
        if change.kind == "Sequence":
            impact = (await self.provider.impact([id]))[id]
            if impact.enrolled:
                pending = f", {impact.pending} pending" if impact.pending else ""
                raise ProviderError(
                    f"refused: {impact.active} active{pending} and {impact.paused} paused "
                    "prospects are in it (a sequence with prospects is never deleted)"
                )
        await self.provider.delete(change.kind, id)

    def created_id(self, change: Change) -> int:
        for run in self.by_key.get((change.kind, change.name), []):
            if isinstance(run.change, Create) and run.new_id is not None:
                return run.new_id
        raise ProviderError(f"{change}: no id (its sequence was not created)")


def _dependencies(change: Change) -> set[tuple[str, str]]:
    """The (kind, name) of the changes this one needs done first."""
    if change.action in ("enable", "disable") or isinstance(change, Retag):
        return {(change.kind, change.name)}
    desired = change.desired
    if not isinstance(desired, Sequence):
        return set()
    needed = {("Template", t) for s in desired.spec.steps for t in s.variants}
    return needed | ({("Ruleset", desired.spec.ruleset)} if desired.spec.ruleset else set())


def _partial(
    run: _Run, desired: Sequence, done: int, total: int, exc: ProviderError
) -> ProviderError:
    """The error of a sequence left with some of its steps: names the live object, so the
    report says what exists (the next plan completes it, never duplicates it)."""
    partial = type(exc)(
        f"{desired.display_name!r} (id {run.new_id}) was created with {done} of {total} steps, "
        f"then: {exc}; the next apply completes it"
    )
    partial.field = exc.field  # a 422 still points at the manifest field it refused
    return partial


def _raced_note(id: int, more: str = "") -> str:
    return f"another apply created it first (id {id}): kept that one{more}"


async def _nothing() -> None:
    return None
