"""A change in the terms a sales manager thinks in, as Markdown: settings in plain words, the
email body as the words a prospect reads with the changed ones marked (the HTML source diff
folded below), steps with their day, wait, type and results, before and after."""

from __future__ import annotations

from typing import Any

from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff
from seqops.render import bodytext, longtext, steprows, words
from seqops.render.figures import figures
from seqops.render.mdtext import fenced, html_text, inert, table
from seqops.render.stepview import is_step_entry

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
    the results the live step has, and what happens to it (`seqops.render.steprows`)."""
    found = steprows.rows(change)
    if not found:
        return None
    dates = found[0].wait is None
    header = ["Step", "Date" if dates else "Day", "Wait", "Type", "Template", "Details"]
    header += ["Results so far", "Change"]
    cells = [_cells(row, names) for row in found]
    if dates:
        header.remove("Wait")
    if not any(row.results for row in found):
        header.remove("Results so far")
        cells = [row[:-2] + row[-1:] for row in cells]
    return table(header, cells)


def _cells(row: steprows.StepRow, names: words.Names) -> list[str]:
    what = [_pair(row.when)] + ([_pair(row.wait)] if row.wait else [])
    what += [_pair(row.type), _templates(row, names), _details(row)]
    if row.gone:
        what = [f"~~{c}~~" if c and c != "—" else c for c in what]
        number = inert(row.number[0])
    else:
        number = _pair(row.number)
    return [number, *what, inert(row.results or ""), "<br>".join(row.marks)]


def _pair(pair: steprows.Pair) -> str:
    old, new = (inert(v) if v else "—" for v in pair)
    return delta(old, new)


def _templates(row: steprows.StepRow, names: words.Names) -> str:
    """The template a step sends, or its A/B variants with what the change adds or removes."""
    old, new = row.templates
    if len(old) <= 1 and len(new) <= 1:
        before, after = (_template(keys[0], names) if keys else "—" for keys in (old, new))
        return "" if before == after == "—" else delta(before, after)
    shown = "<br>".join(_template(key, names) for key in new or old)
    return f"{shown}<br>variants: {inert(row.variants)}" if row.variants else shown


def _template(key: str, names: words.Names) -> str:
    shown = words.template_name(key, names)
    small = f" <sub>{html_text(key)}</sub>" if shown != key else ""
    return inert(shown) + small


def _details(row: steprows.StepRow) -> str:
    """The step's other settings in plain words: changed ones as `old → new`."""
    parts = []
    for label, (before, after) in row.details:
        shown = _pair((before, after)) if before or after else ""
        parts.append(f"{inert(label)}: {shown}" if label else shown)
    return "<br>".join(parts)
