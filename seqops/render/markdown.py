"""The plan as a pull-request comment (GitHub-flavoured Markdown).

A summary table by action, then one collapsible section per change: why, the impact on
prospects in bold, the diff in business terms (subject lines, the email body as a diff, steps
with their day, wait and type before and after) and, for each changed sequence, a Mermaid
chart of which step fires on which day. The whole stays under GitHub's comment limit: the
largest sections are folded first, and the comment says so (`seqops.render.fold`).
"""

from __future__ import annotations

from collections import Counter

from seqops.manifest.models import Sequence
from seqops.plan.changes import ACTIONS, Change, RuleDrift
from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan
from seqops.render import business, headline, lintnotes, longtext, refusals, words
from seqops.render.figures import figures
from seqops.render.fold import DEFAULT_BUDGET, Section, fit
from seqops.render.mdtext import cell, code, html_text, inert, own, prose, table
from seqops.render.stepview import StepChange, step_changes, timing
from seqops.render.text import display_name
from seqops.render.timeline import sequence_chart

__all__ = ["ICON", "MarkdownRenderer", "cell"]

ICON = {
    "create": "🆕",
    "adopt": "🔗",
    "update": "✏️",
    "replace": "♻️",
    "enable": "▶️",
    "disable": "⏸️",
    "delete": "🗑️",
}
MEANING = {
    "create": "new in the account",
    "adopt": "existing object taken under seqops' management",
    "update": "changed in place",
    "replace": "a new version of the sequence; what becomes of the old one is said below",
    "enable": "prospects start moving through it",
    "disable": "stops: no step fires for anyone in it",
    "delete": "removed from the account",
}
DRIFT = "drift (read-only: fix in Coefficy)"
"""What an AutomationRule `update` is: live Coefficy automations differ, and seqops cannot write
them (DESIGN §6), so nothing changes in place."""
STEP_ICON = {"removed": "🗑️", "inserted": "🆕", "moved": "↕️", "changed": "✏️"}
CHARTED = {"create", "adopt", "update", "replace", "enable"}
"""Sequence changes that get a timeline (a disabled or deleted sequence fires nothing)."""


class MarkdownRenderer:
    markup = False

    def __init__(self, safety: list[UnsafePlan] | None = None, budget: int = DEFAULT_BUDGET):
        self.safety = safety or []
        self.budget = budget
        """Most characters (UTF-16 units) of the comment; the largest sections fold to fit."""

    def render(self, plan: Plan) -> str:
        names = plan.templates
        head = [f"### seqops plan: {prose(plan.target_description or plan.target)}"]
        head.append(self.summary(plan))
        head += [notes] if (notes := self.notes(plan)) else []
        sections = [Section(self.section(c, names), self.folded(c, names)) for c in plan.changes]
        tail = [f"<sub>plan checksum <code>{plan.checksum}</code></sub>"] if plan.changes else []
        return fit(head, sections, tail, self.budget)

    @staticmethod
    def summary(plan: Plan) -> str:
        if plan.empty:
            return "No changes: the target matches the manifests."
        counts = Counter((c.action, meaning(c)) for c in plan.changes)
        ordered = sorted(counts.items(), key=lambda row: ACTIONS.index(row[0][0]))
        rows = [[f"{ICON[a]} {a}", str(n), own(what)] for (a, what), n in ordered]
        text = table(["Action", "Count", "Meaning"], rows, right=(1,))
        affected = _prospects(plan.changes)
        if affected:
            text += (
                f"\n\n**{affected} active or paused prospects are in sequences this plan changes.**"
            )
        return text

    def notes(self, plan: Plan) -> str:
        notes = [f"> ⏳ draining: {own(str(d))}" for d in plan.draining]
        notes += [f"> ⚠️ {own(w)}" for w in plan.warnings]
        if lint := lintnotes.summary(plan):
            notes.append(f"> ❌ **{own(lint)}**")
        if self.safety:
            flags = " ".join(f"`{f}`" for f in sorted({v.flag for v in self.safety}))
            notes.append(f"> 🛑 **apply will need {flags}**")
            notes += [f"> - {own(refusals.because(v))}" for v in self.safety]
        return "\n>\n".join(notes)

    def section(self, change: Change, names: words.Names) -> str:
        """One collapsible block: why, impact, warnings, business diff, timeline."""
        parts = [
            f"<details>\n<summary>{self.title(change, names)}</summary>",
            f"_{own(meaning(change))}_",
        ]
        if change.reason:
            parts.append(f"_{own(change.reason)}_")
        if change.impact is not None:
            parts.append(f"**Impact: {prose(str(change.impact))}**")
        if change.warnings:
            parts.append("\n".join(f"- ⚠️ {own(w)}" for w in change.warnings))
        if change.lint:
            found = lintnotes.findings(change)
            parts.append("\n".join(f"- {lintnotes.ICON[s]} lint {code(t)}" for s, t in found))
        parts += self.details(change, names)
        return "\n\n".join([*parts, "</details>"])

    def folded(self, change: Change, names: words.Names | None = None) -> str:
        return (
            f"<details>\n<summary>{self.title(change, names or {})}</summary>\n\n"
            "_Folded to fit the comment: see the full plan._\n\n</details>"
        )

    @staticmethod
    def title(change: Change, names: words.Names | None = None) -> str:
        """The collapsed line: what, which object and what changes in it. Raw HTML (GitHub
        reads no Markdown in a `<summary>`), so user text is HTML-escaped, never backslashed."""
        text = f"{ICON[change.action]} {change.action} {code(f'{change.kind}/{change.name}')}"
        if name := display_name(change):
            text += f" “{html_text(name)}”"
        if what := headline.what(change, names or {}):
            text += f": {html_text(what)}"
        if change.impact is not None and change.impact.total:
            text += (
                f" — <b>{change.impact.active} active, {change.impact.paused} paused prospects</b>"
            )
        return text

    def details(self, change: Change, names: words.Names) -> list[str]:
        parts: list[str | None] = [
            business.settings(change.diff),
            business.template_results(change),
        ]
        before, after = _versions(change)
        if change.kind == "Sequence" and change.action not in ("create", "disable", "delete"):
            parts.append(step_list(change, names))
        parts += business.long_texts(change.diff)
        if change.kind == "Sequence" and (before or after):
            if change.action not in ("disable", "delete"):
                parts.append(business.steps(change, names))
            if change.action in CHARTED:
                parts.append(sequence_chart(before, after, names))
        elif any(d.path.startswith("steps") for d in change.diff):
            parts.append(self.diff_table(change))
        return [p for p in parts if p]

    @staticmethod
    def diff_table(change: Change) -> str:
        """Field by field, when the resources themselves are not known."""
        rows = [
            [
                business.labelled(d.path),
                business.value(d.path, d.old),
                business.value(d.path, d.new),
            ]
            for d in change.diff
        ]
        return table(["Field", "Before", "After"], rows)


def step_list(change: Change, names: words.Names) -> str | None:
    """The steps removed, inserted, moved and changed, one line each, as the text plan says
    them (`🗑️ step 4 · Task “Connect on LinkedIn” removed; steps 5-6 move up one`), their
    results so far, then when the kept steps now fire."""
    lines = []
    for step in step_changes(change, names):
        what = prose(step.action + (f" ({step.details})" if step.details else ""))
        notes = "".join(f"; {prose(note)}" for note in step.notes)
        sofar = figures(step.results)
        result = f" — 📊 {prose(sofar)} so far" if sofar else ""
        lines.append(f"- {STEP_ICON[step.op]} {what}{_fields(step)}{notes}{result}")
    lines += [f"- ⏩ {prose(str(shift))}" for shift in timing(change)]
    return "\n".join(lines) or None


def _fields(step: StepChange) -> str:
    shown = [d for d in step.fields if not longtext.is_long(d.old, d.new)]
    parts = [
        inert(words.inline_name(d.path))
        + business.delta(business.value(d.path, d.old), business.value(d.path, d.new))
        for d in shown
    ]
    if len(shown) < len(step.fields):
        parts.append("text changed (diff below)")
    return ": " + ", ".join(parts) if parts else ""


def meaning(change: Change) -> str:
    """What the change does to the account, in a few words."""
    return DRIFT if isinstance(change, RuleDrift) else MEANING[change.action]


def _versions(change: Change) -> tuple[Sequence | None, Sequence | None]:
    before = change.existing.resource if change.existing else None
    after = change.desired
    return (
        before if isinstance(before, Sequence) else None,
        after if isinstance(after, Sequence) else None,
    )


def _prospects(changes: list[Change]) -> int:
    """Prospects in the sequences the plan touches, each sequence counted once."""
    per_sequence = {
        s.id: s.active + s.paused
        for c in changes
        if c.impact is not None
        for s in c.impact.sequences
    }
    per_sequence |= {
        c.id: c.impact.total
        for c in changes
        if c.impact is not None and c.kind == "Sequence" and c.id is not None
    }
    return sum(per_sequence.values())
