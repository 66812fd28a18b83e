"""A change's lint findings (`change.lint`, see `seqops.lint.inplan`) as the renderers show
them: `FILE:LINE:COL: RULE-ID severity: message`, errors first."""

from __future__ import annotations

from seqops.plan.changes import Change

STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}  # noqa: RUF001 - emoji, not letters


def findings(change: Change) -> list[tuple[str, str]]:
    """(severity, line) of each finding, errors first, then in file order."""
    ordered = sorted(change.lint, key=lambda f: (f.get("severity") != "error", f["line"]))
    return [(f["severity"], _line(f)) for f in ordered]


def _line(finding: dict) -> str:
    where = f"{finding['file']}:{finding['line']}:{finding['column']}"
    return f"{where}: {finding['rule']} {finding['severity']}: {finding['message']}"
