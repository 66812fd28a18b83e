"""A sequence as a Mermaid Gantt chart, day by day: which step fires on which day.

GitHub renders ```mermaid blocks in comments. A Gantt chart puts every step on one shared day
axis, so "before" and "after" sections line up and a changed wait is seen as a moved bar.

- Interval sequences: step N fires after the sum of the waits of steps 1..N (calendar time),
  shown as "day 1" for the day of enrolment. The chart uses `dateFormat x` with one
  *millisecond* per day and `axisFormat %Q`, so the axis reads 1, 2, 3... in every viewer's
  time zone (a date axis would shift by a day west of UTC). Milliseconds rather than seconds
  because Mermaid reads a bare number as milliseconds for both `x` and `X` in a task's start
  (recent versions), but as the format says in its end.
- Steps removed, added, moved or changed are tagged (`done`, `active`, `crit`) and say so in
  their label, so a glance shows what moved.
- Date sequences: each step on its date (`dateFormat YYYY-MM-DD`; parsed and shown in the
  viewer's local time, so the day never shifts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seqops.manifest.models import Sequence, Step
from seqops.plan.alignment import StepPair
from seqops.plan.steps import align_sequences
from seqops.render import words
from seqops.sanitize import terminal

DAY = 86_400
NOTE_LIMIT = 32
MARK_WORD = {"inserted": "added", "moved": "moved", "changed": "changed"}
TAGS = {"removed": "done", "added": "active", "moved": "crit", "changed": "crit"}
_UNSAFE = re.compile(r"[:;#%\"`<>{}\[\]\n\r]+")


@dataclass(frozen=True)
class Firing:
    """When one step fires: `day` (1 = day of enrolment) or its `date`."""

    order: int
    step: Step
    day: int | None = None
    date: str | None = None

    @property
    def when(self) -> str:
        return self.date if self.date is not None else f"day {self.day}"

    @property
    def label(self) -> str:
        return self.named({})

    def named(self, names: words.Names) -> str:
        """`Step 2 · Automatic email Quick intro · day 4` (A/B variants side by side)."""
        sent = " / ".join(words.template_name(t, names) for t in self.step.variants)
        kind = words.step_type(self.step.type)
        what = f"{kind} {sent}" if sent else kind
        if not sent and self.step.note:
            what += " " + words.short(self.step.note, NOTE_LIMIT)
        return f"Step {self.order} · {what} · {self.when}"


def firings(sequence: Sequence) -> list[Firing]:
    """Every step of `sequence` with the day (interval) or date (date sequences) it fires."""
    if sequence.spec.sequenceType == "date":
        return [
            Firing(i, s, date=s.date.isoformat() if s.date else None)
            for i, s in enumerate(sequence.spec.steps, 1)
        ]
    elapsed, out = 0, []
    for i, step in enumerate(sequence.spec.steps, 1):
        elapsed += step.wait or 0
        out.append(Firing(i, step, day=elapsed // DAY + 1))
    return out


def safe(text: str) -> str:
    """Text Mermaid reads as a label: no separators, comments or markup."""
    return _UNSAFE.sub(" ", terminal(text, one_line=True)).strip()


def gantt(
    title: str,
    sections: list[tuple[str, list[Firing]]],
    *,
    dates: bool,
    marks: dict[tuple[str, int], str] | None = None,
    names: words.Names | None = None,
) -> str:
    """A ```mermaid Gantt block: one section per version (e.g. Before / After). `marks` tags
    a step (section name, 1-based order) as removed (`done`, greyed), added (`active`) or
    changed/moved (`crit`), and says so in its label for readers without colours."""
    marks = marks or {}
    head = ["gantt", f"    title {safe(title)}"]
    head += (
        ["    dateFormat YYYY-MM-DD", "    axisFormat %b %d"]
        if dates
        else ["    dateFormat x", "    axisFormat %Q"]
    )
    lines = [*head, "    todayMarker off"]
    for name, steps in sections:
        lines.append(f"    section {safe(name)}")
        lines += [
            _task(f, marks.get((name, f.order)), dates, names or {})
            for f in steps
            if _placed(f, dates)
        ]
    return "```mermaid\n" + "\n".join(lines) + "\n```"


def _task(firing: Firing, mark: str | None, dates: bool, names: words.Names) -> str:
    label = safe(firing.named(names))
    if mark is None:
        return f"    {label} : {_span(firing, dates)}"
    return f"    {label} ({mark}) :{TAGS[mark]}, {_span(firing, dates)}"


def _placed(firing: Firing, dates: bool) -> bool:
    return firing.date is not None if dates else firing.day is not None


def _span(firing: Firing, dates: bool) -> str:
    if dates:
        return f"{firing.date}, 1d"
    day = firing.day or 0
    return f"{day}, {day + 1}"


def sequence_chart(
    before: Sequence | None, after: Sequence | None, names: words.Names | None = None
) -> str | None:
    """The chart of a changed sequence: Before and After when its steps change, else Steps."""
    shown = after or before
    if shown is None or not (shown.spec.steps or (before and before.spec.steps)):
        return None
    dates = shown.spec.sequenceType == "date"
    unit = "dates" if dates else "day after enrolment (day 1 = enrolment)"
    title = f"{shown.display_name} — steps by {unit}"
    if before is None or after is None or _same_steps(before, after):
        return gantt(title, [("Steps", firings(shown))], dates=dates, names=names)
    if before.spec.sequenceType != after.spec.sequenceType:
        # A change of type: interval days and calendar dates share no axis: two charts.
        return "\n\n".join(
            gantt(
                f"{seq.display_name} ({label})",
                [(label, firings(seq))],
                dates=_is_date(seq),
                names=names,
            )
            for label, seq in (("Before", before), ("After", after))
        )
    sections = [("Before", firings(before)), ("After", firings(after))]
    chosen = marks(align_sequences(before, after))
    return gantt(title, sections, dates=dates, marks=chosen, names=names)


def marks(pairs: list[StepPair]) -> dict[tuple[str, int], str]:
    """Which bars to tag: removed steps in Before, added, moved and changed steps in After."""
    out: dict[tuple[str, int], str] = {}
    for p in pairs:
        if p.op == "removed" and p.old_index is not None:
            out[("Before", p.old_index + 1)] = "removed"
        elif p.op in MARK_WORD and p.new_index is not None:
            out[("After", p.new_index + 1)] = MARK_WORD[p.op]
    return out


def _is_date(sequence: Sequence) -> bool:
    return sequence.spec.sequenceType == "date"


def _same_steps(before: Sequence, after: Sequence) -> bool:
    return [f.label for f in firings(before)] == [f.label for f in firings(after)]
