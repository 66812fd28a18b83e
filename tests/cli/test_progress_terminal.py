"""The apply progress bar on a real terminal (a pseudo-terminal) 80 columns wide: its figures
(`5/12`, elapsed, ETA) stay whole however long the running change's name is."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

SEQOPS = [sys.executable, "-c", "from seqops.cli import main; main()"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LONG = "a-template-whose-name-is-long-enough-to-fill-a-terminal-line-on-its-own"


def read_all(fd: int, process: subprocess.Popen[bytes]) -> str:
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=10)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_bar_keeps_its_figures_at_80_columns(tmp_path: Path, serve):
    served = serve(latency_ms=400)
    (tmp_path / "m").mkdir()
    for i in range(12):
        (tmp_path / "m" / f"t{i:02}.yaml").write_text(
            "apiVersion: seqops/v1\nkind: Template\n"
            f"metadata: {{name: {LONG}-{i:02}}}\nspec: {{subject: Hi, bodyHtml: <p>Hi.</p>}}\n"
        )
    master, slave = pty.openpty()
    env = {**os.environ, "SEQOPS_TOKEN": served.token, "COLUMNS": "80", "LINES": "24"}
    env["TERM"] = "xterm"
    process = subprocess.Popen(
        [*SEQOPS, "apply", "m", "--yes", "--parallelism", "2", "--target", served.url],
        cwd=tmp_path,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    try:
        output = read_all(master, process)
    finally:
        os.close(master)
    assert process.returncode == 0, output
    frames = [ANSI.sub("", line) for line in re.split(r"[\r\n]", output)]
    # the bar's first column, cut or whole (not the plan's budget line, `apply: about N …`)
    bars = [f for f in frames if f.startswith("ap") and not f.startswith("apply: about")]
    assert any("create Template/" in bar for bar in bars), output  # drawn while changes ran
    for bar in bars:
        assert len(bar.rstrip()) <= 80
        assert re.search(r" \d+/12 elapsed \d:\d\d:\d\d ETA (\d:\d\d:\d\d|-:--:--)", bar), bar
