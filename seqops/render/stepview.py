"""A sequence change's step entries grouped per step, as every renderer shows them.

The plan's diff holds one entry per changed field of a step, plus one per removed, inserted or
moved step, each with its alignment (`seqops.plan.alignment`). Here they become one
`StepChange` per step, named by its content (`step 4 · task 'Connect on LinkedIn'`), with what
happens to the steps after it: `steps 5-6 move up one` (a removal or insertion before them)
or `the steps after it fire 1d later` (a wait that grows).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from seqops.manifest.durations import format_duration, parse_duration
from seqops.manifest.models import Sequence
from seqops.plan.alignment import StepPair, as_dict, shift_runs, shift_text, step_ref
from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff, show
from seqops.plan.steps import step_alignment

OPS = ("removed", "inserted", "moved", "changed")


@dataclass
class StepChange:
    op: str
    old_index: int | None
    new_index: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    fields: list[FieldDiff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What this change does to the steps after it (shifts)."""
    appended: bool = False
    """Inserted after every kept step (an append, made in place)."""

    @property
    def ref(self) -> str:
        """`step 4 · task 'Connect on LinkedIn'`: the step's number where a person finds it
        (its new number, or its old one when removed) and its content."""
        if self.op == "removed":
            return step_ref(self.old_index, self.before)  # type: ignore[arg-type]
        ref = step_ref(self.new_index, self.after or self.before)  # type: ignore[arg-type]
        if self.op != "moved" and self.old_index not in (None, self.new_index):
            ref += f" (was step {self.old_index + 1})"  # type: ignore[operator]
        return ref

    @property
    def action(self) -> str:
        """What happens to the step: `step 4 · task 'Connect on LinkedIn' removed`."""
        return {
            "removed": f"{self.ref} removed",
            "inserted": f"{self.ref} {'added' if self.appended else 'inserted'}",
            "moved": f"{self.ref} moved from step {(self.old_index or 0) + 1}",
            "changed": self.ref,
        }[self.op]

    @property
    def details(self) -> str:
        """A removed, inserted or moved step's settings besides its type and content."""
        if self.op == "changed":
            return ""
        whole = (self.before if self.op == "removed" else self.after) or {}
        skip = {"type", "template", "templates"} | (
            {"note"} if not whole.get("template") else set()
        )
        return ", ".join(f"{k} {show(v)}" for k, v in whole.items() if k not in skip)

    def headline(self, fields: str = "") -> str:
        """One line: what happened to the step and its settings, then to the steps after."""
        what = self.action + (f" ({self.details})" if self.details else "") + fields
        return "; ".join([what, *self.notes])


_WHOLE_STEP = re.compile(r"^steps\[([0-9]+)\]$")


def is_step_entry(diff: FieldDiff) -> bool:
    return (diff.op in OPS or _created(diff) is not None) and diff.path.startswith("steps")


def _created(diff: FieldDiff) -> int | None:
    """The index of a new sequence's step (`steps[2]`, no alignment: nothing to align with)."""
    match = _WHOLE_STEP.match(diff.path)
    return int(match[1]) if match and diff.op is None and diff.old is None else None


def _aligned(diff: FieldDiff) -> FieldDiff:
    index = _created(diff)
    return diff if index is None else dataclasses.replace(diff, op="inserted", new_index=index)


def step_changes(change: Change) -> list[StepChange]:
    """The step entries of `change`'s diff, one per step, in step order, with shift notes."""
    groups: dict[tuple, StepChange] = {}
    for d in change.diff:
        if not is_step_entry(d):
            continue
        d = _aligned(d)
        key = (d.op, d.old_index, d.new_index)
        if key not in groups:
            groups[key] = StepChange(
                d.op, d.old_index, d.new_index, _step(change, "existing", d.old_index), None
            )
            groups[key].after = _step(change, "desired", d.new_index)
        group = groups[key]
        if d.op == "removed":
            group.before = d.old
        elif d.op in ("inserted", "moved"):
            group.before, group.after = (d.old or group.before), d.new
        else:
            group.fields.append(d)
    steps = sorted(groups.values(), key=_order)
    _add_shifts(change, steps)
    return steps


def _order(step: StepChange) -> tuple:
    new = step.new_index if step.new_index is not None else step.old_index
    return (new, step.op != "removed")


def _step(change: Change, side: str, index: int | None) -> dict | None:
    owner = getattr(change, side)
    resource = getattr(owner, "resource", owner)
    if index is None or not isinstance(resource, Sequence) or index >= len(resource.spec.steps):
        return None
    return as_dict(resource.spec.steps[index])


def _add_shifts(change: Change, steps: list[StepChange]) -> None:
    """Say, on the removal or insertion before them, which kept steps change position; on a
    grown or shrunk wait, that the steps after it fire later or earlier."""
    desired = change.desired if isinstance(change.desired, Sequence) else None
    for step in steps:
        step.appended = step.op == "inserted"
        step.notes += _wait_shift(step, desired)
    existing = change.existing.resource if change.existing is not None else None
    if desired is None or not isinstance(existing, Sequence):
        return
    pairs = step_alignment(desired, change.existing)
    for step in steps:
        step.appended = step.op == "inserted" and not any(
            p.old_index is not None and p.new_index > step.new_index  # type: ignore[operator]
            for p in pairs
            if p.new_index is not None
        )
    for first, last, offset in shift_runs(pairs):
        cause = _cause(pairs, first, steps)
        if cause is not None:
            cause.notes.append(shift_text(first, last, offset))


def _cause(pairs: list[StepPair], first: int, steps: list[StepChange]) -> StepChange | None:
    """The removed, inserted or moved step just before the first shifted step `first`."""
    at = next(i for i, p in enumerate(pairs) if p.old_index == first and p.shifted)
    moves = [p for p in reversed(pairs[:at]) if p.op in ("removed", "inserted", "moved")]
    moves += [p for p in pairs if p.op in ("removed", "inserted", "moved")]
    for p in moves:
        found = [
            s for s in steps if (s.op, s.old_index, s.new_index) == (p.op, p.old_index, p.new_index)
        ]
        if found:
            return found[0]
    return None


def _wait_shift(step: StepChange, desired: Sequence | None) -> list[str]:
    wait = next((d for d in step.fields if d.path.endswith(".wait")), None)
    if wait is None or step.new_index is None or desired is None:
        return []
    if step.new_index + 1 >= len(desired.spec.steps):
        return []  # the last step: nothing fires after it
    delta = _seconds(wait.new) - _seconds(wait.old)
    if not delta:
        return []
    way = "later" if delta > 0 else "earlier"
    return [f"the steps after it fire {format_duration(abs(delta))} {way}"]


def _seconds(value: Any) -> int:
    if value is None:
        return 0
    return value if isinstance(value, int) else parse_duration(str(value))
