"""A sequence change's step entries grouped per step, as every renderer shows them.

The plan's diff holds one entry per changed field of a step, plus one per removed, inserted or
moved step, each with its alignment (`seqops.plan.alignment`). Here they become one
`StepChange` per step, named by its content in a reviewer's words (`step 4 · Task “Connect on
LinkedIn”`), with what happens to the positions of the steps after it (`steps 5-6 move up one`)
and the results the account already counted for the live step. When steps fire is told once
per change by `seqops.render.timing`, never inferred from one wait.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from seqops.manifest.models import Sequence
from seqops.plan.alignment import StepPair, as_dict, shift_runs, shift_text
from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff
from seqops.plan.steps import align_sequences, step_alignment
from seqops.providers.base import LiveObject, Results
from seqops.render import words
from seqops.render.timing import Shift, shifts

OPS = ("removed", "inserted", "moved", "changed")
SETTINGS_SHOWN_ELSEWHERE = frozenset({"type", "template", "templates"})


@dataclass
class StepChange:
    op: str
    old_index: int | None
    new_index: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    fields: list[FieldDiff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What this change does to the positions of the steps after it."""
    appended: bool = False
    """Inserted after every kept step (an append, made in place)."""
    names: words.Names = field(default_factory=dict)
    results: Results | None = None
    """What the live step has achieved so far (None: a new step, or nothing counted)."""

    @property
    def number(self) -> int:
        """The step's number where a person finds it: its new one, its old one if removed."""
        index = self.old_index if self.op == "removed" else self.new_index
        return (index or 0) + 1

    @property
    def whole(self) -> dict[str, Any]:
        return (self.before if self.op == "removed" else self.after or self.before) or {}

    @property
    def ref(self) -> str:
        """`step 4 · Task “Connect on LinkedIn”`, `(was step 3)` when a kept step moved."""
        ref = words.step_ref(self.number - 1, self.whole, self.names)
        if self.op == "changed" and self.old_index is not None and self.old_index != self.new_index:
            ref += f" (was step {self.old_index + 1})"
        return ref

    @property
    def action(self) -> str:
        """What happens to the step: `step 4 · Task “Connect on LinkedIn” removed`."""
        suffix = {
            "removed": " removed",
            "inserted": " added" if self.appended else " inserted",
            "moved": f" moved from step {(self.old_index or 0) + 1}",
            "changed": "",
        }[self.op]
        return self.ref + suffix

    @property
    def details(self) -> str:
        """A removed, inserted or moved step's settings besides its type and content, in
        plain words (`wait 2d, priority high, sent as a reply in the same thread`)."""
        if self.op == "changed":
            return ""
        whole = self.whole
        skip = SETTINGS_SHOWN_ELSEWHERE | ({"note"} if not whole.get("template") else set())
        return ", ".join(_setting(k, v) for k, v in whole.items() if k not in skip and v)

    def headline(self, fields: str = "") -> str:
        """One line: what happened to the step and its settings, then to the steps after."""
        what = self.action + (f" ({self.details})" if self.details else "") + fields
        return "; ".join([what, *self.notes])


def _setting(key: str, value: Any) -> str:
    return f"{words.inline_name(key)}{words.value(key, value)}"


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


def step_changes(change: Change, names: words.Names | None = None) -> list[StepChange]:
    """The step entries of `change`'s diff, one per step, in step order, with position notes."""
    groups: dict[tuple[str, int | None, int | None], StepChange] = {}
    for entry in change.diff:
        if not is_step_entry(entry):
            continue
        d = _aligned(entry)
        op = d.op or "changed"
        key = (op, d.old_index, d.new_index)
        group = groups.get(key) or groups.setdefault(key, _new_group(change, d, op, names or {}))
        if op == "removed":
            group.before = d.old
        elif op in ("inserted", "moved"):
            group.before, group.after = (d.old or group.before), d.new
        else:
            group.fields.append(d)
    steps = sorted(groups.values(), key=_order)
    _add_positions(change, steps)
    return steps


def _new_group(change: Change, d: FieldDiff, op: str, names: words.Names) -> StepChange:
    return StepChange(
        op,
        d.old_index,
        d.new_index,
        _step(_live_sequence(change), d.old_index),
        _step(_desired_sequence(change), d.new_index),
        names=names,
        results=_results(change.existing, d.old_index),
    )


def _results(live: LiveObject | None, index: int | None) -> Results | None:
    if live is None or index is None or index >= len(live.steps):
        return None
    return live.steps[index].results


def _order(step: StepChange) -> tuple[int, bool]:
    new = step.new_index if step.new_index is not None else step.old_index
    return (new or 0, step.op != "removed")


def _live_sequence(change: Change) -> Sequence | None:
    resource = change.existing.resource if change.existing is not None else None
    return resource if isinstance(resource, Sequence) else None


def _desired_sequence(change: Change) -> Sequence | None:
    return change.desired if isinstance(change.desired, Sequence) else None


def _step(sequence: Sequence | None, index: int | None) -> dict[str, Any] | None:
    if sequence is None or index is None or index >= len(sequence.spec.steps):
        return None
    return as_dict(sequence.spec.steps[index])


def _add_positions(change: Change, steps: list[StepChange]) -> None:
    """Say, on the removal, insertion or move before them, which kept steps change position."""
    for step in steps:
        step.appended = step.op == "inserted"
    desired = _desired_sequence(change)
    if desired is None or _live_sequence(change) is None:
        return
    pairs = step_alignment(desired, change.existing)
    for step in steps:
        step.appended = step.op == "inserted" and not any(
            p.old_index is not None and p.new_index > (step.new_index or 0)
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


def timing(change: Change) -> list[Shift]:
    """When the kept steps of a changed sequence now fire, against the live version."""
    before, after = _live_sequence(change), _desired_sequence(change)
    if before is None or after is None:
        return []
    return shifts(before, after, align_sequences(before, after))
