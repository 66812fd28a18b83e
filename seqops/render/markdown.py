"""The plan as a pull-request comment: a summary table and one collapsible section per change.

Issue 8 deepens this (business-term diffs, a Mermaid timeline per changed sequence); the
`section` and `diff_table` methods are the places to extend.
"""

from __future__ import annotations

from seqops.plan.changes import ACTIONS, Change
from seqops.plan.diff import show
from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan

ICON = {
    "create": "🆕",
    "adopt": "🔗",
    "update": "✏️",
    "replace": "♻️",
    "enable": "▶️",
    "disable": "⏸️",
    "delete": "🗑️",
}


def cell(value: object) -> str:
    """A value safe inside a Markdown table cell."""
    text = "—" if value is None else show(value)
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownRenderer:
    markup = False

    def __init__(self, safety: list[UnsafePlan] | None = None):
        self.safety = safety or []

    def render(self, plan: Plan) -> str:
        notes = [f"> ⚠️ {w}" for w in plan.warnings]
        notes += [f"> 🛑 **apply will need `{v.flag}`**: {v}" for v in self.safety]
        blocks = [f"### seqops plan: {plan.target_description or plan.target}", self.summary(plan)]
        blocks += ["\n".join(notes)] if notes else []
        blocks += [self.section(change) for change in plan.changes]
        return "\n\n".join(blocks) + "\n"

    @staticmethod
    def summary(plan: Plan) -> str:
        if plan.empty:
            return "No changes: the target matches the manifests."
        rows = [f"| {ICON[a]} {a} | {plan.summary[a]} |" for a in ACTIONS if plan.summary[a]]
        return "\n".join(["| Action | Count |", "| --- | ---: |", *rows])

    def section(self, change: Change) -> str:
        """One collapsible block per change (issue 8 adds the sequence timeline here)."""
        title = f"{ICON[change.action]} {change.action} <code>{change.kind}/{change.name}</code>"
        parts = [f"<details>\n<summary>{title}</summary>"]
        if change.reason:
            parts.append(f"_{change.reason}_")
        if change.impact is not None:
            impact = change.impact
            parts.append(f"**Impact: {impact.active} active, {impact.paused} paused prospects**")
        if change.warnings:
            parts.append("\n".join(f"- ⚠️ {w}" for w in change.warnings))
        if change.diff:
            parts.append(self.diff_table(change))
        return "\n\n".join([*parts, "</details>"])

    @staticmethod
    def diff_table(change: Change) -> str:
        rows = [f"| `{d.path}` | {cell(d.old)} | {cell(d.new)} |" for d in change.diff]
        return "\n".join(["| Field | Before | After |", "| --- | --- | --- |", *rows])
