"""Tokens and token references are never echoed, whatever their shape, and a token or URL
that cannot be sent is one clear line: no traceback, no retries. A canary token must appear in
no stdout, stderr or file the run wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cli import run

CANARY = "tOkCanary7Qx9Zr2Lm5Np8Vb3"
MANIFEST = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hi, bodyHtml: <p>Hi</p>}
"""
DOWN = "http://127.0.0.1:9/api/v2"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "m.yaml").write_text(MANIFEST)
    return tmp_path


def refused(project: Path, *args: str, **env: str) -> str:
    """Run `seqops plan . ARGS`: exit 1, one line on stderr, no traceback, no retry, no canary
    in any output or file. The error line."""
    done = run(["plan", ".", "--out", "plan.json", *args], project, timeout=60, **env)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "retry" not in done.stderr and "Traceback" not in done.stderr
    files = [p for p in project.rglob("*") if p.is_file() and p.name != "seqops.yaml"]
    written = [p.read_text(errors="replace") for p in files]
    texts = [done.stdout, done.stderr, *written]
    assert not any(CANARY in t or CANARY[:12] in t for t in texts)
    return lines[0]


@pytest.mark.parametrize("scheme", ["env", "file"])
def test_a_token_pasted_as_its_own_reference_is_not_echoed(project: Path, scheme: str):
    (project / "seqops.yaml").write_text(
        f'targets:\n  prod:\n    url: {DOWN}\n    token: "{scheme}:{CANARY}"\n'
    )
    line = refused(project, "--target", "prod")
    assert f"{scheme}:… (value hidden)" in line


def test_a_token_inside_the_target_url_is_refused_without_it(project: Path):
    line = refused(project, "--target", f"https://user:{CANARY}@127.0.0.1:9/api/v2")
    assert "credentials" in line and "SEQOPS_TOKEN" in line


@pytest.mark.parametrize("token", [f"{CANARY}\nmore", f"{CANARY}é", f"{CANARY} x"])
def test_a_token_that_cannot_be_sent_is_one_line(project: Path, token: str):
    line = refused(project, "--target", DOWN, SEQOPS_TOKEN=token)
    assert "cannot be sent" in line


@pytest.mark.parametrize("url", [f"{DOWN}\n/x", "http://127.0.0.1:9/ápi/v2"])
def test_a_url_that_cannot_be_sent_is_one_line(project: Path, url: str):
    line = refused(project, "--target", url, SEQOPS_TOKEN="fine-token")
    assert "refused" in line


def test_references_that_name_things_are_shown(tmp_path: Path):
    from seqops.credentials import shown_reference

    (tmp_path / "Outreach-Token-2024").write_text("x")
    existing = str(tmp_path / "Outreach-Token-2024")
    assert shown_reference("env", "SEQOPS_TOKEN") == "env:SEQOPS_TOKEN"
    assert shown_reference("file", existing) == f"file:{existing}"
    assert shown_reference("file", "/home/me/.config/seqops/token") == (
        "file:/home/me/.config/seqops/token"
    )
    assert shown_reference("env", CANARY) == "env:… (value hidden)"
    assert shown_reference("file", f"/work/{CANARY}") == "file:… (value hidden)"
