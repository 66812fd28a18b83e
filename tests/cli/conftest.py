"""The project every CLI test runs in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], Path]:
    """`project(text)`: tmp_path as the working directory, with no seqops.yaml (so the target is
    the embedded sandbox), no SEQOPS_TOKEN, and `text` (if any) in manifests/account.yaml."""

    def make(manifests: str | None = None) -> Path:
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
        (tmp_path / "manifests").mkdir()
        if manifests is not None:
            (tmp_path / "manifests" / "account.yaml").write_text(manifests)
        return tmp_path

    return make
