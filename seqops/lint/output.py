"""Findings for people (text), programs (JSON) and code scanning (SARIF), picked by name."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.text import Text

from seqops.lint.finding import Finding, Severity

STYLES = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "cyan"}


def summary(findings: list[Finding], files: int) -> str:
    counts = Counter(f.severity for f in findings)
    where = f"{files} file{'s' if files != 1 else ''}"
    if not findings:
        return f"{where}: no lint findings"
    parts = [
        f"{counts[level]} {level}{'s' if counts[level] != 1 else ''}"
        for level in Severity
        if counts[level]
    ]
    return f"{', '.join(parts)} in {where}"


def text(findings: list[Finding], files: int, console: Console) -> None:
    """A line a finding, then the summary, printed at once: rich renders each `print` whole,
    about 80 µs, which a few hundred findings would pay line by line."""
    failed = any(f.is_error for f in findings)
    lines = [Text(str(f), style=STYLES[f.severity]) for f in findings]
    lines.append(Text(summary(findings, files), style="bold red" if failed else "green"))
    console.print(Text("\n").join(lines))


def as_json(findings: list[Finding], files: int, console: Console) -> None:
    counts = Counter(str(f.severity) for f in findings)
    document = {
        "ok": not any(f.is_error for f in findings),
        "files": files,
        "summary": {level.value: counts[level.value] for level in Severity},
        "findings": [f.to_dict() for f in findings],
    }
    console.out(json.dumps(document, indent=2, ensure_ascii=False), highlight=False)


def sarif(findings: list[Finding], files: int, console: Console) -> None:
    from seqops.lint.sarif import to_sarif  # only here: it reads the project's metadata

    document = to_sarif(findings, Path.cwd())
    console.out(json.dumps(document, indent=2, ensure_ascii=False), highlight=False)


FORMATS = {"text": text, "json": as_json, "sarif": sarif}
