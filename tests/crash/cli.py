"""The real `seqops` entry point in a subprocess (what CI and the hidden checks run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SEQOPS = [sys.executable, "-c", "from seqops.cli import main; main()"]


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SEQOPS_")}
    return {**clean, "NO_COLOR": "1", **extra}


def run(
    args: list[str], cwd: Path, timeout: float = 60, **extra: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SEQOPS, *args],
        cwd=cwd,
        env=env(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start(args: list[str], cwd: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*SEQOPS, *args],
        cwd=cwd,
        env=env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
