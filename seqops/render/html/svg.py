"""A sequence's cadence drawn as an inline SVG timeline for the HTML review: one row per
version (Before, After), each step a marker on a shared day axis, coloured by its type,
outlined by what happens to it (removed, added, moved or changed), with a tooltip (`<title>`)
naming it. Values only: the Jinja template writes the elements (escaping every text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seqops.manifest.models import Sequence
from seqops.plan.steps import align_sequences
from seqops.render import words
from seqops.render.timeline import Firing, firings, marks

WIDTH, LEFT, RIGHT, ROW = 760, 70, 24, 46
KIND = {"auto_email": "auto", "manual_email": "manual", "call": "call", "task": "task"}


@dataclass(frozen=True)
class Marker:
    x: float
    number: int
    kind: str
    """CSS class of the step type: auto, manual, call or task."""
    mark: str
    """removed, added, moved, changed or "" (CSS class of the outline)."""
    tip: str


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    markers: list[Marker]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[Row]
    ticks: list[Tick]
    axis: str
    """What the axis counts: days after enrolment, or dates."""


def chart(before: Sequence | None, after: Sequence | None, names: words.Names) -> Chart | None:
    """The timeline of a changed sequence: Before and After when its steps differ."""
    shown = after or before
    if shown is None or not shown.spec.steps:
        return None
    versions: list[tuple[str, Sequence]] = [("After", shown)]
    if before and after and before.spec.sequenceType == after.spec.sequenceType:
        versions = [("Before", before), ("After", after)]
    tagged = _tags(before, after)
    sections = [(label, firings(seq)) for label, seq in versions]
    scale = _Scale([f for _, steps in sections for f in steps])
    rows = [
        Row(label, 22 + i * ROW, [_marker(f, label, tagged, scale, names) for f in steps])
        for i, (label, steps) in enumerate(sections)
    ]
    height = 22 + len(rows) * ROW + 26
    return Chart(WIDTH, height, rows, scale.ticks(), scale.axis)


def _tags(before: Sequence | None, after: Sequence | None) -> dict[tuple[str, int], str]:
    if before is None or after is None or before.spec.sequenceType != after.spec.sequenceType:
        return {}
    return marks(align_sequences(before, after))


def _marker(
    firing: Firing,
    label: str,
    tagged: dict[tuple[str, int], str],
    scale: _Scale,
    names: words.Names,
) -> Marker:
    mark = tagged.get((label, firing.order), "")
    tip = firing.named(names) + (f" ({mark})" if mark else "")
    return Marker(scale.x(firing), firing.order, KIND.get(firing.step.type, "task"), mark, tip)


class _Scale:
    """Days (interval sequences) or dates (date sequences) onto the chart's width."""

    def __init__(self, steps: list[Firing]):
        self.dates = any(f.date for f in steps)
        values = [self._value(f) for f in steps]
        self.low, self.high = min(values, default=0), max(values, default=0)
        self.axis = "date" if self.dates else "day after enrolment (day 1 = enrolment)"

    def _value(self, firing: Firing) -> int:
        if self.dates:
            return date.fromisoformat(firing.date).toordinal() if firing.date else 0
        return firing.day or 1

    def position(self, value: int) -> float:
        span = max(1, self.high - self.low)
        return round(LEFT + (value - self.low) * (WIDTH - LEFT - RIGHT) / span, 1)

    def x(self, firing: Firing) -> float:
        return self.position(self._value(firing))

    def ticks(self) -> list[Tick]:
        span = self.high - self.low
        step = max(1, span // 8 or 1)
        values = list(range(self.low, self.high + 1, step))
        return [Tick(self.position(v), self._label(v)) for v in values]

    def _label(self, value: int) -> str:
        if self.dates:
            return date.fromordinal(value).strftime("%b %d")
        return f"day {value}"
