"""A located problem in a manifest: what every validation layer reports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_$@-]+$")

Path = tuple[str | int, ...]
"""Where a value sits inside a document: keys and list indexes from the root."""


def format_path(path: Sequence[str | int]) -> str:
    """`('spec', 'steps', 2, 'wait')` -> `spec.steps[3].wait`: list positions are 1-based in
    everything a person reads, as step numbers are (`spec.steps[1]` is step 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
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
    """One problem, at FILE:LINE:COL (1-based). `kind`/`name` when the document says them.
    Without a line it is about a path as a whole (`error: PATH: message`), or, without a file
    either, about the whole set (`error: no manifests under PATH`)."""

    file: str
    line: int | None
    column: int | None
    path: str = ""
    kind: str | None = None
    name: str | None = None
    message: str

    def __str__(self) -> str:
        """One line, whatever the document held: one error, one line, for grep and CI logs."""
        if self.line is None:
            about = f"{one_line(self.file)}: " if self.file else ""
            return f"error: {about}{one_line(self.message)}"
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
        return (self.file, self.line or 0, self.column or 0)


@dataclass(frozen=True, kw_only=True)
class Note:
    """Something skipped on purpose (YAML that is no seqops manifest): worth a line, not an error."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{one_line(self.file)}:{self.line}:{self.column}: note: {one_line(self.message)}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """A problem found in one document, before it is located in its file."""

    path: Path
    message: str
    at_key: bool = False
    """Point at the key (`stpes:`) rather than its value: for unknown or misplaced keys."""
    value: str | None = None
    """The text that is not a valid name, where a reference may be one written another way
    (a file name, a display name): the loader then suggests the key it meant."""
