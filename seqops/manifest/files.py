"""Which files hold manifests, and reading them as text without trusting their size, bytes or type.

Only regular files are read: a FIFO would block the reader forever and a device never ends, so
both (and sockets) are refused, whether named on the command line or found by walking.
"""

from __future__ import annotations

import codecs
import os
import stat
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


@dataclass(frozen=True)
class PathProblem:
    """A path that cannot be a manifest file at all: missing, a FIFO, unreadable."""

    path: str
    message: str


class SourceError(Exception):
    """A file that cannot be read as manifest text; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def discover(paths: Iterable[Path | str]) -> tuple[list[Source], list[PathProblem]]:
    """The files under `paths`, in a stable order, each once; and the paths that cannot be."""
    sources: list[Source] = []
    problems: list[PathProblem] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        for found in _expand(given, problems):
            key = found.path.resolve()
            if key not in seen:
                seen.add(key)
                sources.append(found)
    return sources, problems


def _expand(given: Path, problems: list[PathProblem]) -> Iterator[Source]:
    try:
        mode = given.stat().st_mode
    except OSError as exc:
        problems.append(PathProblem(str(given), _os_reason(exc)))
        return
    if stat.S_ISDIR(mode):
        for found in sorted(_walk(given, problems)):
            yield Source(found, str(found), explicit=False)
    elif (why := not_a_file(mode)) is not None:
        problems.append(PathProblem(str(given), why))
    else:
        yield Source(given, str(given), explicit=True)


def _walk(root: Path, problems: list[PathProblem]) -> Iterator[Path]:
    """YAML files below `root`; hidden directories (.git, .seqops, .github) are not manifests."""

    def unreadable(exc: OSError) -> None:
        problems.append(PathProblem(str(exc.filename or root), _os_reason(exc)))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            # `Sequence.YAML` is a manifest too: skipping it would retire what it describes
            if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                path = Path(folder, name)
                try:
                    mode = path.stat().st_mode
                except OSError as exc:
                    problems.append(PathProblem(str(path), _os_reason(exc)))
                    continue
                if (why := not_a_file(mode)) is not None:
                    problems.append(PathProblem(str(path), why))
                elif not stat.S_ISDIR(mode):
                    yield path


def not_a_file(mode: int) -> str | None:
    """Why a path of this `st_mode` is not read (None for a regular file or a directory)."""
    kinds = {
        stat.S_ISFIFO: "a named pipe (FIFO)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    for test, what in kinds.items():
        if test(mode):
            return f"is {what}, not a regular file: give a manifest file or a directory"
    return None


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def read_text(path: Path) -> str:
    """The file's text. Refuses big files before reading them, and anything but UTF-8.
    Opened without blocking and checked after opening, so a FIFO swapped in never hangs it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if (why := not_a_file(info.st_mode)) is not None:
                raise SourceError(why)
            if info.st_size >= MAX_FILE_BYTES:
                raise _too_big()
            data = stream.read(MAX_FILE_BYTES)
            if len(data) == MAX_FILE_BYTES:  # a file that grew while being read
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
