"""Files seqops writes are written atomically (DESIGN §4): a write that fails (here: a real
`seqops` process whose file-size limit is below what it writes, as a full disk would refuse it)
says what was not saved, keeps the previous file and leaves no temporary file behind. A report
that cannot be saved never hides the apply's summary."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SEQOPS = [sys.executable, "-c", "from seqops.cli import main; main()"]
LIMIT = 600
"""Bytes a process may write into one file: less than any plan, report or export here."""
PREVIOUS = '{"previous": true}\n'
TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {{name: t{i}}}
spec: {{subject: Hello {i}, bodyHtml: "<p>{body}</p>"}}
"""
BODY = "A body long enough to make every file bigger than the limit. " * 12


def limited() -> None:
    """In the child: writes past LIMIT fail with EFBIG instead of killing it (SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def seqops(served, *args: str, limit: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEQOPS_TOKEN": served.token, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [*SEQOPS, *args, "--target", served.url, "--no-color"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited if limit else None,
    )


@pytest.fixture
def project(tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m").mkdir()
    for i in range(3):
        (tmp_path / "m" / f"t{i}.yaml").write_text(TEMPLATE.format(i=i, body=BODY))
    return serve()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


def test_a_plan_that_cannot_be_saved_keeps_the_previous_plan_file(project, tmp_path: Path):
    (tmp_path / "plan.json").write_text(PREVIOUS)
    result = seqops(project, "plan", "m", "--out", "plan.json")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: plan.json: the plan was not saved (file too large); the previous file is kept"
    )
    assert (tmp_path / "plan.json").read_text() == PREVIOUS
    assert leftovers(tmp_path) == []
    saved = seqops(project, "plan", "m", "--out", "plan.json", limit=False)
    assert saved.returncode == 0 and json.loads((tmp_path / "plan.json").read_text())["changes"]


def test_a_report_that_cannot_be_saved_comes_after_the_summary(project, tmp_path: Path):
    (tmp_path / "report.json").write_text(PREVIOUS)
    result = seqops(project, "apply", "m", "--yes", "--report", "report.json")
    assert result.returncode == 1
    assert "Apply: 3 done, 0 failed, 0 not attempted." in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "error: report.json: the apply report was not saved (file too large); the previous "
        "file is kept: the apply itself succeeded (see the summary above)"
    )
    assert (tmp_path / "report.json").read_text() == PREVIOUS
    assert leftovers(tmp_path) == []
    assert seqops(project, "plan", "m", "--detailed-exitcode", limit=False).returncode == 0


def test_an_export_that_cannot_be_saved_says_which_file(project, tmp_path: Path):
    assert seqops(project, "apply", "m", "--yes", limit=False).returncode == 0
    result = seqops(project, "export", "--out", "out")
    assert result.returncode == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error.startswith("error: out/templates/")
    assert error.endswith(
        ".yaml: the exported manifest was not saved (file too large); nothing was written "
        "there: the export stopped there"
    )
    assert "None" not in error
    assert leftovers(tmp_path) == []


def test_a_rotated_token_that_cannot_be_saved_stops_the_run_and_says_so(serve, tmp_path: Path):
    """The token endpoint rotates the refresh token; the process cannot save the new one."""
    served = serve()
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "t0.yaml").write_text(TEMPLATE.format(i=0, body=BODY))
    (tmp_path / "refresh").write_text("sandbox-refresh\n")
    (tmp_path / "seqops.yaml").write_text(
        f"targets:\n  sb:\n    url: {served.url}\n    oauth:\n      clientId: env:CID\n"
        "      clientSecret: env:CSECRET\n      refreshToken: file:refresh\n"
    )
    env = {**os.environ, "CID": "seqops-sandbox", "CSECRET": "sandbox-secret"}
    result = subprocess.run(
        [*SEQOPS, "plan", "m", "--target", "sb", "--no-color"],
        cwd=tmp_path,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: (
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN),
            resource.setrlimit(resource.RLIMIT_FSIZE, (8, 8)),
        ),
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: refresh: the rotated token was not saved (file too large); the "
        "previous file is kept, and the token it holds may be spent now: fix the disk, then put "
        "a new refresh token there before the next run"
    )
    assert (tmp_path / "refresh").read_text() == "sandbox-refresh\n"
    assert leftovers(tmp_path) == []
    assert "sandbox-refresh" not in result.stderr + result.stdout
