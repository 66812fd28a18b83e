"""A change's lint findings (`change.lint`, see `seqops.lint.inplan`) as the renderers show
them: `FILE:LINE:COL: RULE-ID severity: message`, errors first."""

from __future__ import annotations

from seqops.plan.changes import Change
from seqops.plan.plan import Plan

STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}  # noqa: RUF001 - emoji, not letters


def findings(change: Change) -> list[tuple[str, str]]:
    """(severity, line) of each finding, errors first, then in file order."""
    ordered = sorted(change.lint, key=lambda f: (f.get("severity") != "error", f["line"]))
    return [(f["severity"], _line(f)) for f in ordered]


def _line(finding: dict) -> str:
    where = f"{finding['file']}:{finding['line']}:{finding['column']}"
    return f"{where}: {finding['rule']} {finding['severity']}: {finding['message']}"


def summary(plan: Plan) -> str | None:
    """One line when the plan carries lint errors: apply will refuse it (by default)."""
    errors = sum(f.get("severity") == "error" for c in plan.changes for f in c.lint)
    if not errors:
        return None
    return (
        f"{errors} lint error{'s' if errors != 1 else ''}: apply refuses this plan "
        "unless seqops.yaml says lint: {blockApply: false}"
    )
