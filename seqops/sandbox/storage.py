"""Opening the sandbox's SQLite file, with one printable line for every way it can be wrong.

A missing directory, a directory or FIFO where the file should be, a file that is not SQLite
(or is damaged), a read-only file or directory: each is a `StorageError` naming the path and
what to do, raised before the sandbox serves a single request.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

MEMORY = ":memory:"


class StorageError(Exception):
    """The sandbox's data file cannot be used; the message is one line for a person."""


def check_path(path: str) -> None:
    """Refuse what SQLite would misreport (or hang on, for a FIFO) before opening `path`."""
    if path == MEMORY:
        return
    file = Path(path)
    parent = file.parent
    if parent.exists() and not parent.is_dir():
        raise StorageError(
            f"{parent} is a file, but the sandbox keeps its data in {file}: move that file away"
        )
    if not parent.exists():
        raise StorageError(f"{file}: directory {parent} does not exist: create it first")
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"{file}: cannot read it: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise StorageError(f"{file} is a directory, not a SQLite file: move it away")
    if not stat.S_ISREG(mode):
        raise StorageError(f"{file} is not a regular file: the sandbox needs a SQLite file there")


def verify(conn: sqlite3.Connection) -> None:
    """A damaged file fails here, on opening, rather than on some later query (SQLite reads
    pages lazily): `quick_check` reads every page once, milliseconds for a sandbox."""
    if conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
        raise sqlite3.DatabaseError("database disk image is malformed")


def explain(path: str, exc: sqlite3.Error) -> StorageError:
    """An SQLite error on opening `path`, as one line that says what to do."""
    text = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return StorageError(
            f"{path} is not a usable SQLite database ({text}): move it away (the sandbox "
            "then starts empty)"
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(f"{path}: read-only ({text}): make it and its directory writable")
    if "unable to open" in text:
        return StorageError(
            f"{path}: cannot open or create it ({text}): check the directory exists and is writable"
        )
    return StorageError(f"{path}: SQLite error: {text}")
