"""Which files hold manifests, and reading them as text without trusting their size or bytes."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 10_000_000
"""Manifest files must be under 10 MB: a bigger one is a mistake, and parsing it would crawl."""
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    """A file to load. `display` is how errors name it: relative, as the user gave it."""

    path: Path
    display: str
    explicit: bool
    """Named on the command line, rather than found by walking a directory."""


class SourceError(Exception):
    """A file that cannot be read as manifest text; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def discover(paths: Iterable[Path | str]) -> tuple[list[Source], list[str]]:
    """The files under `paths`, in a stable order, each once; and the paths that do not exist."""
    sources: list[Source] = []
    missing: list[str] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        if not given.exists():
            missing.append(str(given))
            continue
        for source in _expand(given):
            key = source.path.resolve()
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources, missing


def _expand(given: Path) -> Iterator[Source]:
    if not given.is_dir():
        yield Source(given, str(given), explicit=True)
        return
    for found in sorted(_walk(given)):
        yield Source(found, str(found), explicit=False)


def _walk(root: Path) -> Iterator[Path]:
    """YAML files below `root`; hidden directories (.git, .seqops, .github) are not manifests."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(SUFFIXES) and not name.startswith("."):
                path = Path(folder, name)
                if path.is_file():
                    yield path


def read_text(path: Path) -> str:
    """The file's text. Refuses big files before reading them, and anything but UTF-8."""
    try:
        with path.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size >= MAX_FILE_BYTES:
                raise _too_big()
            data = stream.read(MAX_FILE_BYTES)
            if len(data) == MAX_FILE_BYTES:  # a file that grew, or a device that never ends
                raise _too_big()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}") from None
    return decode(data)


def _too_big() -> SourceError:
    return SourceError("file is 10 MB or more; manifest files must be smaller: split it up")


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise SourceError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
            line,
            column,
        ) from None
