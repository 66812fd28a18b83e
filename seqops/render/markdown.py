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
        parts = [f"### seqops plan: {plan.target_description or plan.target}", ""]
        parts += self.summary(plan)
        parts += [f"> ⚠️ {w}" for w in plan.warnings]
        parts += [f"> 🛑 **apply will need `{v.flag}`**: {v}" for v in self.safety]
        for change in plan.changes:
            parts += ["", *self.section(change)]
        return "\n".join(parts) + "\n"

    @staticmethod
    def summary(plan: Plan) -> list[str]:
        if plan.empty:
            return ["No changes: the target matches the manifests.", ""]
        rows = [f"| {ICON[a]} {a} | {plan.summary[a]} |" for a in ACTIONS if plan.summary[a]]
        return ["| Action | Count |", "| --- | ---: |", *rows, ""]

    def section(self, change: Change) -> list[str]:
        title = f"{ICON[change.action]} {change.action} <code>{change.kind}/{change.name}</code>"
        lines = ["<details>", f"<summary>{title}</summary>", ""]
        if change.reason:
            lines += [f"_{change.reason}_", ""]
        if change.impact is not None:
            lines += [
                f"**Impact: {change.impact.active} active, {change.impact.paused} paused prospects**",
                "",
            ]
        lines += [f"- ⚠️ {w}" for w in change.warnings]
        lines += self.diff_table(change)
        return [*lines, "", "</details>"]

    @staticmethod
    def diff_table(change: Change) -> list[str]:
        if not change.diff:
            return []
        rows = [f"| `{d.path}` | {cell(d.old)} | {cell(d.new)} |" for d in change.diff]
        return ["", "| Field | Before | After |", "| --- | --- | --- |", *rows]
