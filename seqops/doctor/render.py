"""The doctor's report as text (one line per finding, its objects indented) or JSON."""

from __future__ import annotations

import json

from seqops.doctor.findings import Report

SHOWN_ITEMS = 10
LABELS = {"ok": "ok", "info": "info", "warning": "warning", "blocking": "BLOCKING"}


def text(report: Report) -> list[str]:
    lines = [f"Target: {report.target}"]
    for finding in report.findings:
        lines.append(f"{LABELS[finding.level]:<9} {finding.check}: {finding.message}")
        lines += [f"            {item}" for item in finding.items[:SHOWN_ITEMS]]
        if len(finding.items) > SHOWN_ITEMS:
            lines.append(
                f"            … and {len(finding.items) - SHOWN_ITEMS} more (--format json lists all)"
            )
    lines.append(f"Checked with {report.requests} read-only requests.")
    blocking = len(report.blocking)
    if blocking:
        lines.append(
            f"{blocking} problem(s) block a safe first apply: fix them before `seqops plan`."
        )
    else:
        lines.append(
            "Nothing blocks a first apply. Next: `seqops export`, then `seqops plan` (docs/first-run.md)."
        )
    return lines


def as_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2)
