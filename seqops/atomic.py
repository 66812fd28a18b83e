"""Files seqops writes (plan, report, export, a rotated OAuth token) are written atomically
(DESIGN §4 "Files seqops writes"): into a temporary file beside the target, flushed to disk,
then renamed over it, and the folder synced so that the rename survives a crash too. A write
that fails (a full disk, a read-only folder) leaves the previous file as it was and raises
`WriteError`, which says what was not saved.

Only the standard library: every layer may write files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A file that was not saved; the previous one, if any, is intact."""

    def __init__(self, path: Path, what: str, reason: str, kept: bool):
        self.path, self.what, self.reason, self.kept = path, what, reason, kept
        left = "the previous file is kept" if kept else "nothing was written there"
        super().__init__(f"{path}: {what} was not saved ({reason}); {left}")


def write_atomic(
    path: Path, data: str | bytes, what: str, *, mode: int | None = None, parents: bool = False
) -> None:
    """Replace `path` with `data` (text is written as UTF-8), or raise `WriteError` naming
    `what` ("the plan", "the apply report") and keeping the previous file. `mode`: the new
    file's permissions; by default the previous file's, else what the umask allows.
    `parents`: create missing folders (else a mistyped folder is an error, not a new one)."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    kept = path.exists()
    try:
        permissions = _permissions(path) if mode is None else mode
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _write_temporary(path, content, permissions)
        try:
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
    except OSError as exc:
        raise WriteError(path, what, _reason(exc), kept) from None


def _write_temporary(path: Path, content: bytes, permissions: int) -> str:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            os.fchmod(stream.fileno(), permissions)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())  # on disk before the rename makes it the file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _permissions(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a folder that cannot be opened (Windows): the rename is done anyway
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file itself is synced
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc) or type(exc).__name__
