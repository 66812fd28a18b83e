"""Where a run finds its seqops.yaml and keeps its embedded sandbox (DESIGN §3).

seqops.yaml is looked up in the current directory and its parents up to the repository root
(the folder holding `.git`), as pre-commit and ruff find their configuration; `.seqops/` (the
embedded sandbox) lives beside the seqops.yaml found, or at the repository root. Run from a
subfolder, seqops plans against the same target as from the root.

Only the standard library: `validate` and `lint` (run on every commit) look seqops.yaml up
without importing `seqops.config`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "seqops.yaml"
SANDBOX_DB = Path(".seqops/sandbox.db")
"""Relative to the folder of the seqops.yaml found, or to the repository root."""


@dataclass(frozen=True)
class Workspace:
    """Where a run started in `start` finds its seqops.yaml and keeps its embedded sandbox."""

    start: Path
    config: Path | None
    """The seqops.yaml found (None: none from `start` up to the repository root)."""
    root: Path | None
    """The repository root: the nearest folder at or above `start` holding `.git`."""

    @classmethod
    def find(cls, start: Path | None = None) -> Workspace:
        """Look in `start` (the current directory) and its parents up to the repository root;
        outside a repository, in `start` only (a stray seqops.yaml in a parent of an unrelated
        folder must not pick the target)."""
        start = (start or Path.cwd()).absolute()
        root = next((d for d in (start, *start.parents) if (d / ".git").exists()), None)
        folders = (start, *start.parents) if root is not None else (start,)
        for folder in folders:
            # exists, not is_file: a seqops.yaml that is a directory is an error, not absent
            candidate = folder / CONFIG_NAME
            if candidate.exists() or candidate.is_symlink():
                return cls(start, candidate, root)
            if folder == root:
                break
        return cls(start, None, root)

    @classmethod
    def of(cls, config: Path) -> Workspace:
        """The workspace of a seqops.yaml named explicitly (tests, tools), there or not."""
        return cls(Path.cwd().absolute(), config, None)

    @property
    def sandbox_db(self) -> Path:
        """`.seqops/sandbox.db` beside the seqops.yaml, else at the repository root, else here."""
        base = self.config.parent if self.config else self.root or self.start
        return shown(base / SANDBOX_DB)

    @property
    def config_shown(self) -> Path | None:
        return shown(self.config) if self.config is not None else None

    def source(self, named: str | None) -> str:
        """Where the target's configuration came from, as the plan's first line says it."""
        if self.config is not None:
            return f"(from {self.config_shown})"
        if named is not None:
            return ""
        where = f"up to the repository root {shown(self.root)}" if self.root else "here"
        return f"(no {CONFIG_NAME} found {where})"


def shown(path: Path) -> Path:
    """`path` as a person in the current directory would write it: relative when it is near
    (`seqops.yaml`, `../.seqops/sandbox.db`, `deep/x`), absolute when it is elsewhere."""
    here = Path.cwd()
    absolute = path if path.is_absolute() else here / path
    relative = Path(os.path.relpath(absolute, here))
    ups = relative.parts.count("..")
    shared = Path(os.path.commonpath([absolute, here]))
    return relative if ups <= NEAR and shared != Path(shared.anchor) else absolute


NEAR = 3
"""How many folders up a path may be and still be shown relative to the current directory."""
