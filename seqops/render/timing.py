"""When each kept step fires before and after a change, and what that shift is: one truth that
the text, Markdown and HTML plans all state the same way.

In an interval sequence a step fires the sum of the waits up to it after enrolment; a wait that
grows by a day and a later one that shrinks by two leave the steps after both firing a day
*earlier*. So the shift is measured per step (new elapsed time minus old), never inferred from
one wait, and consecutive steps with the same shift are told together.
"""

from __future__ import annotations

from dataclasses import dataclass

from seqops.manifest.models import Sequence
from seqops.plan.alignment import StepPair
from seqops.render.words import duration


@dataclass(frozen=True)
class Shift:
    """Steps `first`..`last` (1-based, new numbering) fire `seconds` later (< 0: earlier)."""

    first: int
    last: int
    seconds: int

    @property
    def amount(self) -> str:
        """`1d later`, `2h earlier`."""
        way = "later" if self.seconds > 0 else "earlier"
        return f"{duration(abs(self.seconds))} {way}"

    def __str__(self) -> str:
        if self.first == self.last:
            return f"step {self.first} fires {self.amount}"
        return f"steps {self.first}\u2013{self.last} fire {self.amount}"


def elapsed(sequence: Sequence) -> list[int]:
    """Seconds from enrolment to each step of an interval sequence."""
    total, out = 0, []
    for step in sequence.spec.steps:
        total += step.wait or 0
        out.append(total)
    return out


def step_shifts(before: Sequence, after: Sequence, pairs: list[StepPair]) -> dict[int, int]:
    """New step index -> seconds it fires later (< 0 earlier), for every step kept (same,
    changed or moved) whose firing time moves. Date sequences: none (their dates are shown)."""
    if "date" in (before.spec.sequenceType, after.spec.sequenceType):
        return {}
    old, new = elapsed(before), elapsed(after)
    return {
        p.new_index: new[p.new_index] - old[p.old_index]
        for p in pairs
        if p.old_index is not None
        and p.new_index is not None
        and new[p.new_index] != old[p.old_index]
    }


def shifts(before: Sequence, after: Sequence, pairs: list[StepPair]) -> list[Shift]:
    """The moved firing times as runs of consecutive steps with the same shift."""
    runs: list[Shift] = []
    for index, seconds in sorted(step_shifts(before, after, pairs).items()):
        number = index + 1
        last = runs[-1] if runs else None
        if last and last.last == number - 1 and last.seconds == seconds:
            runs[-1] = Shift(last.first, number, seconds)
        else:
            runs.append(Shift(number, number, seconds))
    return runs
