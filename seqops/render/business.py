"""A change in the terms a sales-ops reviewer thinks in: subject lines, email bodies as a
diff, steps with their day, wait and type, side by side before and after."""

from __future__ import annotations

from typing import Any

from seqops.manifest.models import Sequence, Step
from seqops.plan.alignment import StepPair
from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff, display, show, variants_change
from seqops.plan.steps import align_sequences
from seqops.render import longtext
from seqops.render.mdtext import cell, change, fenced, plain, table
from seqops.render.stepview import is_step_entry
from seqops.render.timeline import Firing, firings

STEP_DETAILS = ("isReply", "priority", "note", "autoskipAfter")


LONG_TEXT_TITLES = {"bodyHtml": "**Email body**", "subject": "**Subject line**"}


def settings(diffs: list[FieldDiff]) -> str | None:
    """The changed settings other than steps and long text, subject line first."""
    rows = [d for d in diffs if not is_step_entry(d) and not d.path.startswith("steps")]
    rows = [d for d in rows if not longtext.is_long(d.old, d.new)]
    rows.sort(key=lambda d: d.path != "subject")
    if not rows:
        return None
    return table(
        ["Setting", "Before", "After"],
        [[_label(d.path), cell(d.old), cell(d.new)] for d in rows],
    )


def _label(path: str) -> str:
    return "**Subject line**" if path == "subject" else f"`{path}`"


def long_texts(diffs: list[FieldDiff]) -> list[str]:
    """Every long text change (bodies, long subjects, descriptions, step notes) in full, as a
    ```diff block: never two identical truncated strings."""
    out = []
    for d in diffs:
        if longtext.is_long(d.old, d.new) and not d.path.startswith("steps"):
            title = LONG_TEXT_TITLES.get(d.path, f"`{d.path}`")
            out.append(f"{title}\n\n" + fenced(longtext.unified(d.old, d.new), "diff"))
        elif d.op == "changed" and longtext.is_long(d.old, d.new):
            field = d.path.rsplit(".", 1)[-1]
            title = f"**Step {(d.new_index or 0) + 1} {field}**"
            out.append(f"{title}\n\n" + fenced(longtext.unified(d.old, d.new), "diff"))
        elif d.op in ("removed", "inserted"):
            out += _whole_step_note(d)
    return out


def _whole_step_note(d: FieldDiff) -> list[str]:
    """The full note of a removed or inserted step, when the table can only show its start."""
    step = d.old if d.op == "removed" else d.new
    note = (step or {}).get("note")
    if not note or not longtext.is_long(note, None):
        return []
    index = d.old_index if d.op == "removed" else d.new_index
    old, new = (note, None) if d.op == "removed" else (None, note)
    title = f"**Step {(index or 0) + 1} note** ({d.op})"
    return [f"{title}\n\n" + fenced(longtext.unified(old, new), "diff")]


def body_diff(diffs: list[FieldDiff]) -> str | None:
    """The email body as a diff (HTML split after block tags so lines stay readable)."""
    body = [d for d in diffs if d.path == "bodyHtml"]
    return "\n\n".join(long_texts(body)) or None


def html_lines(text: Any) -> list[str]:
    return longtext.lines(text)


def subjects(changes: list[Change]) -> dict[str, str]:
    """Template name -> subject line, as the plan will leave it (for the steps table)."""
    out: dict[str, str] = {}
    for c in changes:
        resource = c.desired or (c.existing.resource if c.existing else None)
        subject = getattr(getattr(resource, "spec", None), "subject", None)
        if c.kind == "Template" and subject:
            out[c.name] = subject
    return out


def steps(before: Sequence | None, after: Sequence | None, titles: dict[str, str]) -> str | None:
    """Every step before and after, aligned by content: day, timing, type, template, details
    and what happens to it (removed, inserted, moved, changed, or only shifted)."""
    old = firings(before) if before else []
    new = firings(after) if after else []
    if not old and not new:
        return None
    dates = (after or before).spec.sequenceType == "date"  # type: ignore[union-attr]
    header = ["Step", "Date" if dates else "Day", "Type", "Template", "Details", "Change"]
    if not dates:
        header.insert(2, "Wait")
    pairs = _pairs(before, after)
    rows = [
        _row(p, _at(old, p.old_index), _at(new, p.new_index), titles, dates, _appended(pairs, k))
        for k, p in enumerate(pairs)
    ]
    return table(header, rows)


def _appended(pairs: list[StepPair], k: int) -> bool:
    """An insertion after every kept step (an append) rather than before some of them."""
    return all(q.old_index is None for q in pairs[k + 1 :])


def _pairs(before: Sequence | None, after: Sequence | None) -> list[StepPair]:
    if before is None:
        return [StepPair("inserted", None, i) for i in range(len(after.spec.steps))]  # type: ignore[union-attr]
    if after is None:
        return [StepPair("same", i, i) for i in range(len(before.spec.steps))]
    return align_sequences(before, after)


def _at(items: list[Firing], i: int | None) -> Firing | None:
    return items[i] if i is not None and i < len(items) else None


def _row(
    pair: StepPair,
    old: Firing | None,
    new: Firing | None,
    titles: dict[str, str],
    dates: bool,
    appended: bool,
) -> list[str]:
    if old is None or new is None:
        only = old or new
        cells = _cells(only, only, titles, dates)  # type: ignore[arg-type]
        if new is None:
            cells = [f"~~{c}~~" if c and c != "—" else c for c in cells]
        number = str(only.order)  # type: ignore[union-attr]
        return [number, *cells, _mark(pair, old, new, appended)]
    number = str(new.order) if old.order == new.order else change(old.order, new.order)
    return [number, *_cells(old, new, titles, dates), _mark(pair, old, new, appended)]


def _mark(pair: StepPair, old: Firing | None, new: Firing | None, appended: bool) -> str:
    """What happens to the step: removed, inserted, moved, changed, moved up or down a place,
    or only fired on another day (an earlier wait changed)."""
    if pair.op == "removed":
        return "🗑️ removed"
    if pair.op == "inserted":
        return "🆕 added" if appended else "🆕 inserted"
    if pair.op == "moved":
        return f"↕️ moved from step {pair.old_index + 1}"  # type: ignore[operator]
    marks = ["✏️ changed"] if pair.op == "changed" else []
    if pair.shifted:
        offset = pair.new_index - pair.old_index  # type: ignore[operator]
        marks.append(f"{'⬆️ up' if offset < 0 else '⬇️ down'} {abs(offset)}")
    if pair.op == "same" and old and new and old.when != new.when:
        marks.append(f"⏩ {_shift(old, new)}")
    return "<br>".join(marks)


def _shift(old: Firing, new: Firing) -> str:
    if old.day is not None and new.day is not None:
        days = new.day - old.day
        unit = "day" if abs(days) == 1 else "days"
        return f"{abs(days)} {unit} {'later' if days > 0 else 'earlier'}"
    return f"now {new.when}"


def _cells(old: Firing, new: Firing, titles: dict[str, str], dates: bool) -> list[str]:
    when = change(old.date, new.date) if dates else change(old.day, new.day)
    cells = [when]
    if not dates:
        cells.append(change(_wait(old.step), _wait(new.step)))
    cells += [
        change(old.step.type, new.step.type),
        _templates(old.step, new.step, titles),
        _details(old.step, new.step),
    ]
    return cells


def _wait(step: Step) -> str:
    return show(display(Step, "wait", step.wait or 0))


def _templates(old: Step, new: Step, titles: dict[str, str]) -> str:
    """The template a step sends, or its A/B variants with what the change adds or removes."""
    if len(old.variants) <= 1 and len(new.variants) <= 1:
        return _template(_one(old), _one(new), titles)
    variants = "<br>".join(_template(n, n, titles) for n in new.variants or old.variants)
    if old.variants == new.variants:
        return variants
    return f"{variants}<br>variants: {variants_change(list(old.variants), list(new.variants))}"


def _one(step: Step) -> str | None:
    return step.variants[0] if step.variants else None


def _template(old: str | None, new: str | None, titles: dict[str, str]) -> str:
    if new is None and old is None:
        return ""
    text = change(old, new)
    subject = titles.get(new or old or "")
    return f"{text} “{plain(subject)}”" if subject else text


def _details(old: Step, new: Step) -> str:
    """The step's other settings: changed ones as `old → new`, set ones as they are."""
    parts = []
    for name in STEP_DETAILS:
        before = display(Step, name, getattr(old, name))
        after = display(Step, name, getattr(new, name))
        if before in (None, False) and after in (None, False):
            continue
        if before != after and longtext.is_long(before, after):
            parts.append(f"{name}: changed (diff below)")
            continue
        parts.append(f"{name}: {change(before, after)}")
    return "<br>".join(parts)
