"""A located problem in a manifest: what every validation layer reports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_$@-]+$")

Path = tuple[str | int, ...]
"""Where a value sits inside a document: keys and list indexes from the root."""


def format_path(path: Sequence[str | int]) -> str:
    """`('spec', 'steps', 2, 'wait')` -> `spec.steps[2].wait`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _PLAIN_KEY.match(part):
            text += f"[{part!r}]"
        else:
            text += f".{part}" if text else part
    return text


def one_line(text: str) -> str:
    """`text` as it is, or escaped when it holds line breaks or other control characters."""
    return text if text.isprintable() else repr(text)[1:-1]


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
        """One line, whatever the document held: one error, one line, for grep and CI logs."""
        where = f"{one_line(self.file)}:{self.line}:{self.column}:"
        who = f" {one_line(self.kind)}/{one_line(self.name or '?')}:" if self.kind else ""
        what = one_line(self.message)
        return (
            f"{where}{who} {one_line(self.path)}: {what}" if self.path else f"{where}{who} {what}"
        )

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
