"""Reporters: a `LoadResult` as text for people or JSON for machines, picked by name.

The JSON shape is part of the contract:
`{"valid": bool, "files": N, "resources": M, "errors": [{file, line, column, path, kind, name,
message}], "notes": [{file, line, column, message}]}`. An error about a path as a whole (missing,
a FIFO) or about the whole set (no manifests) has `line` and `column` null.
"""

from __future__ import annotations

import json
from typing import Protocol

from rich.console import Console
from rich.text import Text

from seqops.manifest.loader import LoadResult
from seqops.sanitize import terminal


class Reporter(Protocol):
    def report(self, result: LoadResult) -> None: ...


class TextReporter:
    """One line per note (`FILE:LINE:COL: note: ...`: YAML skipped as no seqops manifest) and per
    error (`FILE:LINE:COL: Kind/name: path: message`), then a summary."""

    def __init__(self, console: Console, verbose: bool = False) -> None:
        self.console, self.verbose = console, verbose

    def report(self, result: LoadResult) -> None:
        for note in result.notes:
            self.console.print(Text(terminal(str(note), one_line=True), style="dim"))
        for error in result.errors:
            self.console.print(Text(terminal(str(error), one_line=True), style="red"))
        self.console.print(summary(result), style="green" if result.ok else "bold red")


def report_skipped(console: Console, result: LoadResult, verbose: bool) -> None:
    """What plan and apply say about skipped YAML: every note with `-v`, else one line, so a
    first run on a repository with CI workflows beside the manifests reads clean (`seqops
    validate` always lists them, one per document)."""
    lines = [str(note) for note in result.notes]
    if not verbose and len(lines) > 1:
        lines = [
            f"note: {len(lines)} YAML documents are not seqops manifests, skipped "
            "(-v or `seqops validate` lists them)"
        ]
    for line in lines:
        console.print(Text(terminal(line, one_line=True), style="dim"))


def summary(result: LoadResult) -> str:
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    if result.ok:
        count = len(result.resources)
        return f"{files}, {count} resource{'s' if count != 1 else ''}: valid"
    count = len(result.errors)
    return f"{count} error{'s' if count != 1 else ''} in {files}"


class JsonReporter:
    def __init__(self, console: Console, verbose: bool = False) -> None:
        self.console = console

    def report(self, result: LoadResult) -> None:
        document = {
            "valid": result.ok,
            "files": result.files,
            "resources": len(result.resources),
            "errors": [error.to_dict() for error in result.errors],
            "notes": [note.to_dict() for note in result.notes],
        }
        self.console.out(json.dumps(document, indent=2), highlight=False)


REPORTERS: dict[str, type[TextReporter] | type[JsonReporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}
