"""Fixtures: manifest files written from text into a temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from seqops.manifest import LoadResult, load

from .documents import dedent


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("a.yaml", text) -> path; text is dedented, bytes are written as they are."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load_text(write: Callable[..., Path]) -> Callable[[str], LoadResult]:
    """Load one file made of `text`."""

    def load_text(text: str, name: str = "manifests.yaml") -> LoadResult:
        return load([write(name, text)])

    return load_text
