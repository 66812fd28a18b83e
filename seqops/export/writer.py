"""Write exported files into a directory without ever clobbering someone else's file.

A file already there is overwritten only when it is itself a seqops manifest; anything else
makes the whole write refuse before a single byte is written. Nothing is ever deleted: a seqops
manifest the export no longer produces is reported as stale and left for a human to remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from seqops.atomic import write_atomic
from seqops.export.exporter import DIRECTORIES, ExportResult

_SEQOPS_MANIFEST = re.compile(r"^apiVersion:\s*['\"]?seqops/v1['\"]?\s*$", re.MULTILINE)


class OverwriteError(Exception):
    """The export would replace files that are not seqops manifests."""


@dataclass
class WriteReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    """seqops manifests in the export directories that this export did not produce."""


def write_export(result: ExportResult, out_dir: Path, *, find_stale: bool = True) -> WriteReport:
    report = WriteReport()
    _plan_writes(result, out_dir, report)
    for relative in (*report.created, *report.updated):
        _write_atomically(out_dir / relative, result.files[relative])
    if find_stale:
        report.stale = _stale(out_dir, set(result.files))
    return report


def is_seqops_manifest(path: Path) -> bool:
    try:
        return bool(_SEQOPS_MANIFEST.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def _plan_writes(result: ExportResult, out_dir: Path, report: WriteReport) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OverwriteError(f"{out_dir} is a file, not a directory: give --out a directory")
    foreign = []
    for relative, text in result.files.items():
        target = out_dir / relative
        if not target.exists():
            report.created.append(relative)
        elif target.is_file() and _read(target) == text:
            report.unchanged.append(relative)
        elif target.is_file() and is_seqops_manifest(target):
            report.updated.append(relative)
        else:
            foreign.append(str(target))
    if foreign:
        raise OverwriteError(
            f"refusing to overwrite {len(foreign)} path(s) that are not seqops manifests "
            f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}): "
            "move them away or export into another directory with --out"
        )


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write_atomically(target: Path, text: str) -> None:
    write_atomic(target, text, "the exported manifest", parents=True)


def _stale(out_dir: Path, written: set[str]) -> list[str]:
    found = []
    for directory in sorted(DIRECTORIES.values()):
        for path in sorted((out_dir / directory).glob("*.y*ml")):
            relative = path.relative_to(out_dir).as_posix()
            if relative not in written and is_seqops_manifest(path):
                found.append(relative)
    return found
