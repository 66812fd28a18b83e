"""A change in the terms a sales manager thinks in, as Markdown: settings in plain words, the
email body as the words a prospect reads with the changed ones marked (the HTML source diff
folded below), steps with their day, wait, type and results, before and after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seqops.manifest.models import Sequence, Step
from seqops.plan.alignment import StepPair, as_dict
from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff, variants_change
from seqops.plan.steps import align_sequences
from seqops.providers.base import LiveObject, Results
from seqops.render import bodytext, longtext, words
from seqops.render.figures import figures
from seqops.render.mdtext import fenced, html_text, inert, table
from seqops.render.stepview import is_step_entry
from seqops.render.timeline import Firing, firings
from seqops.render.timing import step_shifts

STEP_DETAILS = ("isReply", "priority", "note", "autoskipAfter")
BODY = "bodyHtml"


def value(path: str, raw: Any) -> str:
    """A value in a table cell: plain words, inert, `—` when unset."""
    shown = words.value(path, raw)
    return "—" if shown is None else inert(shown)


def delta(old: str, new: str) -> str:
    """`old → **new**` when they differ, the value alone when not, struck through when gone."""
    if old == new or old == "—":
        return new
    if new == "—":
        return f"~~{old}~~"
    return f"{old} → **{new}**"


def labelled(path: str) -> str:
    """A field in plain words with its manifest key in small print: `Wait <sub>wait</sub>`."""
    return f"**{inert(words.label(path))}** <sub>{html_text(path)}</sub>"


def settings(diffs: list[FieldDiff]) -> str | None:
    """The changed settings other than steps and long text, subject line first."""
    rows = [d for d in diffs if not is_step_entry(d) and not d.path.startswith("steps")]
    rows = [d for d in rows if not longtext.is_long(d.old, d.new)]
    rows.sort(key=lambda d: d.path != "subject")
    if not rows:
        return None
    return table(
        ["Setting", "Before", "After"],
        [[labelled(d.path), value(d.path, d.old), value(d.path, d.new)] for d in rows],
    )


def long_texts(diffs: list[FieldDiff]) -> list[str]:
    """Every long text change: an email body as readable text with the changed words marked;
    subjects, descriptions and step notes as a ```diff block (never cut)."""
    out = []
    for d in diffs:
        if d.path == BODY:
            out.append(body(d.old, d.new))
        elif longtext.is_long(d.old, d.new) and not d.path.startswith("steps"):
            out.append(f"{labelled(d.path)}\n\n" + fenced(longtext.unified(d.old, d.new), "diff"))
        elif d.op == "changed" and longtext.is_long(d.old, d.new):
            title = f"**Step {(d.new_index or 0) + 1}: {inert(words.label(d.path).lower())}**"
            out.append(f"{title}\n\n" + fenced(longtext.unified(d.old, d.new), "diff"))
        elif d.op in ("removed", "inserted"):
            out += _whole_step_note(d)
    return out


def body(old: str | None, new: str | None) -> str:
    """The body as a prospect reads it, changed words marked with `<del>`/`<ins>`, then the
    HTML source diff folded below it."""
    created = old is None
    title = "**Email body**: what the prospect reads" + (
        "" if created else ", changed words marked"
    )
    if not created and not bodytext.changed(old, new):
        title = "**Email body**: the words are the same, only the HTML changes"
    paragraphs = bodytext.marked(old, new)
    quoted = "\n>\n".join(f"> {_paragraph(p, created)}" for p in paragraphs) or "> (empty)"
    source = fenced(longtext.unified(old, new), "diff")
    fold = f"<details>\n<summary>HTML source</summary>\n\n{source}\n\n</details>"
    return f"{title}\n\n{quoted}\n\n{fold}"


def _paragraph(paragraph: bodytext.Paragraph | None, plain: bool) -> str:
    if paragraph is None:
        return "…"
    marks = {"del": "<del>{}</del>", "ins": "<ins>{}</ins>", "same": "{}"}
    return "".join(
        (marks["same"] if plain else marks[run.kind]).format(inert(run.text))
        for run in paragraph
        if not (plain and run.kind == "del")
    )


def _whole_step_note(d: FieldDiff) -> list[str]:
    """The full note of a removed or inserted step, when the table can only show its start."""
    step = d.old if d.op == "removed" else d.new
    note = (step or {}).get("note")
    if not note or not longtext.is_long(note, None):
        return []
    index = d.old_index if d.op == "removed" else d.new_index
    old, new = (note, None) if d.op == "removed" else (None, note)
    title = f"**Step {(index or 0) + 1}: note** ({d.op})"
    return [f"{title}\n\n" + fenced(longtext.unified(old, new), "diff")]


def template_results(change: Change) -> str | None:
    """`**Results so far**: 1,240 delivered, ...` of a live template that changes."""
    if change.kind != "Template" or change.existing is None:
        return None
    found = figures(change.existing.results)
    return f"📊 **Results so far**: {found}" if found else None


def steps(change: Change, names: words.Names) -> str | None:
    """Every step before and after, aligned by content: day, wait, type, template, details,
    the results the live step has, and what happens to it."""
    before, after = _sequences(change)
    old = firings(before) if before else []
    new = firings(after) if after else []
    if not old and not new:
        return None
    shown = after or before
    dates = shown is not None and shown.spec.sequenceType == "date"
    pairs = _pairs(before, after)
    shifts = step_shifts(before, after, pairs) if before and after else {}
    rows = [
        _Row(p, _at(old, p.old_index), _at(new, p.new_index), names, dates).cells(
            _appended(pairs, k), shifts, _results(change.existing, p.old_index)
        )
        for k, p in enumerate(pairs)
    ]
    header = ["Step", "Date" if dates else "Day", "Wait", "Type", "Template", "Details"]
    header += ["Results so far", "Change"]
    if dates:
        header.remove("Wait")
    if not any(row[-2] for row in rows):
        header.remove("Results so far")
        rows = [row[:-2] + row[-1:] for row in rows]
    return table(header, rows)


def _sequences(change: Change) -> tuple[Sequence | None, Sequence | None]:
    before = change.existing.resource if change.existing else None
    return (
        before if isinstance(before, Sequence) else None,
        change.desired if isinstance(change.desired, Sequence) else None,
    )


def _results(live: LiveObject | None, index: int | None) -> Results | None:
    if live is None or index is None or index >= len(live.steps):
        return None
    return live.steps[index].results


def _appended(pairs: list[StepPair], k: int) -> bool:
    """An insertion after every kept step (an append) rather than before some of them."""
    return all(q.old_index is None for q in pairs[k + 1 :])


def _pairs(before: Sequence | None, after: Sequence | None) -> list[StepPair]:
    if before is None and after is not None:
        return [StepPair("inserted", None, i) for i in range(len(after.spec.steps))]
    if after is None and before is not None:
        return [StepPair("same", i, i) for i in range(len(before.spec.steps))]
    if before is None or after is None:
        return []
    return align_sequences(before, after)


def _at(items: list[Firing], i: int | None) -> Firing | None:
    return items[i] if i is not None and i < len(items) else None


class _Row:
    """One row of the steps table: the same step before (`old`) and after (`new`)."""

    def __init__(
        self,
        pair: StepPair,
        old: Firing | None,
        new: Firing | None,
        names: words.Names,
        dates: bool,
    ):
        self.pair, self.names, self.dates = pair, names, dates
        only = old or new
        assert only is not None  # an aligned pair has at least one side
        self.old, self.new = old or only, new or only
        self.gone = new is None

    def cells(self, appended: bool, shifts: dict[int, int], results: Results | None) -> list[str]:
        old, new = self.old, self.new
        number = str(new.order) if old.order == new.order else delta(str(old.order), str(new.order))
        cells = [self._when(), self._wait(), *self._what()]
        if self.dates:
            cells.remove(cells[1])
        if self.gone:
            cells = [f"~~{c}~~" if c and c != "—" else c for c in cells]
            number = str(old.order)
        return [number, *cells, inert(figures(results) or ""), self._mark(appended, shifts)]

    def _when(self) -> str:
        if self.dates:
            return delta(self.old.date or "—", self.new.date or "—")
        return delta(str(self.old.day), str(self.new.day))

    def _wait(self) -> str:
        return delta(value("wait", self.old.step.wait or 0), value("wait", self.new.step.wait or 0))

    def _what(self) -> list[str]:
        old, new = self.old.step, self.new.step
        kind = delta(inert(words.step_type(old.type)), inert(words.step_type(new.type)))
        return [kind, self._templates(old, new), _details(old, new)]

    def _templates(self, old: Step, new: Step) -> str:
        """The template a step sends, or its A/B variants with what the change adds or removes."""
        name: Callable[[str], str] = lambda key: _template(key, self.names)  # noqa: E731
        if len(old.variants) <= 1 and len(new.variants) <= 1:
            before, after = [name(s.variants[0]) if s.variants else "" for s in (old, new)]
            return delta(before or "—", after or "—").replace("—", "") if before or after else ""
        shown = "<br>".join(name(n) for n in new.variants or old.variants)
        if old.variants == new.variants:
            return shown
        return (
            f"{shown}<br>variants: {inert(variants_change(list(old.variants), list(new.variants)))}"
        )

    def _mark(self, appended: bool, shifts: dict[int, int]) -> str:
        """What happens to the step: removed, inserted, moved, changed, moved up or down a
        place, or only fired at another time (an earlier wait changed)."""
        pair = self.pair
        if pair.op == "removed":
            return "🗑️ removed"
        if pair.op == "inserted":
            return "🆕 added" if appended else "🆕 inserted"
        marks = []
        if pair.op == "moved":
            marks.append(f"↕️ moved from step {(pair.old_index or 0) + 1}")
        if pair.op == "changed":
            marks.append("✏️ changed")
        if pair.shifted:
            offset = (pair.new_index or 0) - (pair.old_index or 0)
            marks.append(f"{'⬆️ up' if offset < 0 else '⬇️ down'} {abs(offset)}")
        seconds = shifts.get(pair.new_index or 0) if pair.new_index is not None else None
        if seconds:
            way = "later" if seconds > 0 else "earlier"
            marks.append(f"⏩ fires {words.duration(abs(seconds))} {way}")
        return "<br>".join(marks)


def _template(key: str, names: words.Names) -> str:
    shown = words.template_name(key, names)
    small = f" <sub>{html_text(key)}</sub>" if shown != key else ""
    return inert(shown) + small


def _details(old: Step, new: Step) -> str:
    """The step's other settings in plain words: changed ones as `old → new`."""
    parts = []
    for name in STEP_DETAILS:
        before, after = as_dict(old).get(name), as_dict(new).get(name)
        if not before and not after:
            continue
        if name == "isReply":
            parts.append(_reply(bool(before), bool(after)))
        elif before != after and longtext.is_long(before, after):
            parts.append(f"{inert(words.label(name))}: changed (diff below)")
        else:
            parts.append(
                f"{inert(words.label(name))}: {delta(value(name, before), value(name, after))}"
            )
    return "<br>".join(p for p in parts if p)


def _reply(before: bool, after: bool) -> str:
    if before == after:
        return words.reply({"isReply": after}).capitalize()
    return "**now sent as a reply in the same thread**" if after else "**now a new thread**"
