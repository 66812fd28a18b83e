"""Where seqops is published, as its packaging metadata says: `[project.urls]` in
pyproject.toml is the one place that names it (SARIF output links each lint rule to its
documentation there), so whoever publishes the project changes one line."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
"""Read only in a checkout that was never installed (no metadata to ask)."""


@cache
def urls() -> dict[str, str]:
    """`[project.urls]` by label, from the installed package's metadata."""
    try:
        entries = metadata("seqops").get_all("Project-URL") or []
    except PackageNotFoundError:
        return _declared()
    return dict(entry.split(", ", 1) for entry in entries if ", " in entry) or _declared()


def _declared() -> dict[str, str]:
    try:
        project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return {}
    return dict(project.get("urls", {}))


def documentation(page: str) -> str:
    """The address of a page of `docs/` (`lint.md#merge-fieldunknown`): the Documentation
    URL, or the Homepage's, with the page appended."""
    found = urls()
    base = found.get("Documentation") or found.get("Homepage", "")
    return f"{base.rstrip('/')}/{page}"
