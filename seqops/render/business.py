"""A change in the terms a sales-ops reviewer thinks in: subject lines, email bodies as a
diff, steps with their day, wait and type, side by side before and after."""

from __future__ import annotations

import difflib
import re
from typing import Any

from seqops.manifest.models import Sequence, Step
from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff, display, show, variants_change
from seqops.render.mdtext import cell, change, fenced, plain, table
from seqops.render.timeline import Firing, firings

STEP_DETAILS = ("isReply", "priority", "note", "autoskipAfter")
_BLOCK_END = re.compile(r"(</(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote)>|<br\s*/?>)", re.I)


def settings(diffs: list[FieldDiff]) -> str | None:
    """The changed settings other than steps and bodies, subject line first."""
    rows = [d for d in diffs if not d.path.startswith("steps") and d.path != "bodyHtml"]
    rows.sort(key=lambda d: d.path != "subject")
    if not rows:
        return None
    return table(
        ["Setting", "Before", "After"],
        [[_label(d.path), cell(d.old), cell(d.new)] for d in rows],
    )


def _label(path: str) -> str:
    return "**Subject line**" if path == "subject" else f"`{path}`"


def body_diff(diffs: list[FieldDiff]) -> str | None:
    """The email body as a unified diff (HTML split after block tags so lines stay readable)."""
    body = next((d for d in diffs if d.path == "bodyHtml"), None)
    if body is None:
        return None
    lines = difflib.unified_diff(
        html_lines(body.old), html_lines(body.new), "before", "after", lineterm="", n=2
    )
    return "**Email body**\n\n" + fenced("\n".join(lines), "diff")


def html_lines(text: Any) -> list[str]:
    if not text:
        return []
    return [line for line in _BLOCK_END.sub(r"\1\n", str(text)).splitlines() if line.strip()]


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
    """Every step before and after, by order: day, timing, type, template, what changed."""
    old = firings(before) if before else []
    new = firings(after) if after else []
    if not old and not new:
        return None
    dates = (after or before).spec.sequenceType == "date"  # type: ignore[union-attr]
    header = ["Step", "Date" if dates else "Day", "Type", "Template", "Details", "Change"]
    if not dates:
        header.insert(2, "Wait")
    rows = [
        _row(i + 1, _at(old, i), _at(new, i), titles, dates) for i in range(max(len(old), len(new)))
    ]
    return table(header, rows)


def _at(items: list[Firing], i: int) -> Firing | None:
    return items[i] if i < len(items) else None


def _row(
    order: int, old: Firing | None, new: Firing | None, titles: dict[str, str], dates: bool
) -> list[str]:
    if old is None or new is None:
        only = old or new
        mark = "🆕 added" if old is None else "🗑️ removed"
        cells = _cells(only, only, titles, dates)  # type: ignore[arg-type]
        if new is None:
            cells = [f"~~{c}~~" if c and c != "—" else c for c in cells]
        return [str(order), *cells, mark]
    cells = _cells(old, new, titles, dates)
    same = _comparable(old.step) == _comparable(new.step) and old.when == new.when
    return [str(order), *cells, "" if same else "✏️ changed"]


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


def _comparable(step: Step) -> Step:
    """`template: x` and `templates: [x]` are one step; variants compare as a set."""
    return step.model_copy(update={"template": None, "templates": list(step.variants)})


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
        parts.append(f"{name}: {change(before, after)}")
    return "<br>".join(parts)
