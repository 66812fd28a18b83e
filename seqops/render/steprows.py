"""The steps table of a sequence change, as values every renderer formats its own way: one row
per step aligned by content, each cell a (before, after) pair in plain words, what happens to
the step, when it now fires, and what it achieved so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seqops.manifest.models import Sequence, Step
from seqops.plan.alignment import StepPair, as_dict
from seqops.plan.changes import Change
from seqops.plan.diff import variants_change
from seqops.plan.steps import align_sequences
from seqops.providers.base import LiveObject, Results
from seqops.render import longtext, words
from seqops.render.figures import figures
from seqops.render.timeline import Firing, firings
from seqops.render.timing import step_shifts

DETAILS = ("isReply", "priority", "note", "autoskipAfter")
Pair = tuple[str, str]
"""A cell before and after, in plain words ("" when there is nothing to show)."""


@dataclass
class StepRow:
    op: str
    """same, changed, moved, removed or inserted."""
    number: Pair
    when: Pair
    wait: Pair | None
    """None in a date sequence (its steps have dates, not waits)."""
    type: Pair
    templates: tuple[list[str], list[str]]
    """The template keys the step sends before and after (A/B variants: several)."""
    details: list[tuple[str, Pair]] = field(default_factory=list)
    """(label, (before, after)) of the step's other settings; "" when unset."""
    results: str | None = None
    marks: list[str] = field(default_factory=list)
    """What happens to the step, in words: `🗑️ removed`, `⬆️ up 1`, `⏩ fires 1d later`."""

    @property
    def gone(self) -> bool:
        return self.op == "removed"

    @property
    def variants(self) -> str:
        """`+intro-b -intro-c` when the A/B variants change, else ""."""
        old, new = self.templates
        return "" if old == new or len(old) + len(new) <= 2 else variants_change(old, new)


def rows(change: Change) -> list[StepRow]:
    """Every step before and after `change`, aligned by content."""
    before, after = sequences(change)
    old = firings(before) if before else []
    new = firings(after) if after else []
    pairs = _pairs(before, after)
    shifts = step_shifts(before, after, pairs) if before and after else {}
    shown = after or before
    dates = shown is not None and shown.spec.sequenceType == "date"
    in_place = change.action != "replace"  # a replace creates every step from the manifest
    out = []
    for k, pair in enumerate(pairs):
        a, b = _at(old, pair.old_index), _at(new, pair.new_index)
        first = a or b
        if first is None:
            continue
        row = _row(pair, a or first, b or first, dates, in_place)
        row.results = figures(_results(change.existing, pair.old_index))
        row.marks = _marks(pair, _appended(pairs, k), shifts)
        out.append(row)
    return out


def sequences(change: Change) -> tuple[Sequence | None, Sequence | None]:
    before = change.existing.resource if change.existing else None
    return (
        before if isinstance(before, Sequence) else None,
        change.desired if isinstance(change.desired, Sequence) else None,
    )


def _row(pair: StepPair, old: Firing, new: Firing, dates: bool, in_place: bool) -> StepRow:
    when = (old.date or "", new.date or "") if dates else (str(old.day), str(new.day))
    return StepRow(
        op=pair.op,
        number=(str(old.order), str(new.order)),
        when=when,
        wait=None if dates else (_wait(old.step), _wait(new.step)),
        type=(words.step_type(old.step.type), words.step_type(new.step.type)),
        templates=(list(old.step.variants), list(new.step.variants)),
        details=_details(old.step, new.step, in_place),
    )


def _wait(step: Step) -> str:
    return words.duration(step.wait or 0)


def _details(old: Step, new: Step, in_place: bool) -> list[tuple[str, Pair]]:
    """The step's other settings before and after. Written in place, a setting the manifest
    leaves out is not managed: it stays as it is; a replace's new version has only what the
    manifest gives."""
    out = []
    for name in DETAILS:
        before, after = as_dict(old).get(name), as_dict(new).get(name)
        if after is None and in_place:
            after = before
        if not before and not after:
            continue
        if name == "isReply":
            out.append(("", (_reply(before), _reply(after))))
        elif before != after and longtext.is_long(before, after):
            out.append((words.label(name), ("", "changed (the text is shown below)")))
        else:
            out.append((words.label(name), (_plain(name, before), _plain(name, after))))
    return out


def _reply(value: Any) -> str:
    return words.reply({"isReply": value}).capitalize() if value else "A new thread"


def _plain(name: str, value: Any) -> str:
    return words.value(name, value) or ""


def _marks(pair: StepPair, appended: bool, shifts: dict[int, int]) -> list[str]:
    if pair.op == "removed":
        return ["🗑️ removed"]
    if pair.op == "inserted":
        return ["🆕 added" if appended else "🆕 inserted"]
    marks = []
    if pair.op == "moved":
        marks.append(f"↕️ moved from step {(pair.old_index or 0) + 1}")
    if pair.op == "changed":
        marks.append("✏️ changed")
    if pair.shifted:
        offset = (pair.new_index or 0) - (pair.old_index or 0)
        marks.append(f"{'⬆️ up' if offset < 0 else '⬇️ down'} {abs(offset)}")
    seconds = shifts.get(pair.new_index) if pair.new_index is not None else None
    if seconds:
        way = "later" if seconds > 0 else "earlier"
        marks.append(f"⏩ fires {words.duration(abs(seconds))} {way}")
    return marks


def _results(live: LiveObject | None, index: int | None) -> Results | None:
    if live is None or index is None or index >= len(live.steps):
        return None
    return live.steps[index].results


def _appended(pairs: list[StepPair], k: int) -> bool:
    """An insertion after every kept step (an append) rather than before some of them."""
    return all(q.old_index is None for q in pairs[k + 1 :])


def _pairs(before: Sequence | None, after: Sequence | None) -> list[StepPair]:
    if before is not None and after is not None:
        return align_sequences(before, after)
    if after is not None:
        return [StepPair("inserted", None, i) for i in range(len(after.spec.steps))]
    if before is not None:
        return [StepPair("same", i, i) for i in range(len(before.spec.steps))]
    return []


def _at(items: list[Firing], i: int | None) -> Firing | None:
    return items[i] if i is not None and i < len(items) else None
