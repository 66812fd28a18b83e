"""A located problem in a manifest: what every validation layer reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

Path = tuple[str | int, ...]
"""Where a value sits inside a document: keys and list indexes from the root."""


def format_path(path: Sequence[str | int]) -> str:
    """`('spec', 'steps', 2, 'wait')` -> `spec.steps[2].wait`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True, kw_only=True)
class ManifestError:
    """One problem, at FILE:LINE:COL (1-based). `kind`/`name` when the document says them."""

    file: str
    line: int
    column: int
    path: str = ""
    kind: str | None = None
    name: str | None = None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}:"
        who = f" {self.kind}/{self.name or '?'}:" if self.kind else ""
        what = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}{who} {what}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def sort_key(self) -> tuple[str, int, int]:
        return (self.file, self.line, self.column)


@dataclass(frozen=True)
class Finding:
    """A problem found in one document, before it is located in its file."""

    path: Path
    message: str
    at_key: bool = False
    """Point at the key (`stpes:`) rather than its value: for unknown or misplaced keys."""
