"""`apply --report FILE`, `--parallelism N` and how progress reaches a CI log: one line per
finished change as it happens, and a progress line while changes run."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from seqops.apply.report import DONE, ChangeResult
from seqops.cli import app
from seqops.cli.progress import ApplyProgress
from seqops.config import embedded_target
from seqops.embedded import embedded_provider
from seqops.plan.changes import Create
from seqops.providers.outreach import mapping

ROOT = Path(__file__).resolve().parents[2]
SEQOPS = [sys.executable, "-c", "from seqops.cli import main; main()"]
MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hello</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  enabled: true
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d}
"""
STATUSES = {"done", "failed", "not attempted"}


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def workdir(project) -> Path:
    return project(MANIFESTS)


def test_the_report_lists_every_change_with_status_error_and_duration(workdir: Path):
    result = seqops("apply", "manifests", "--yes", "--report", "report.json")
    assert result.exit_code == 0, result.output
    report = json.loads((workdir / "report.json").read_text())
    assert report["target"] == "sandbox"
    assert [(c["action"], c["kind"], c["name"]) for c in report["changes"]] == [
        ("create", "Template", "intro"),
        ("create", "Sequence", "inbound"),
        ("enable", "Sequence", "inbound"),
    ]
    for change in report["changes"]:
        assert set(change) == {"action", "kind", "name", "id", "status", "error", "duration"}
        assert change["status"] == "done" and change["error"] is None
        assert change["duration"] >= 0
    for change in report["changes"][:2]:
        assert isinstance(change["id"], int)  # a create reports the id it got
    assert report["totals"] == {"done": 3, "failed": 0, "not attempted": 0, "total": 3}
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_the_report_says_what_failed_and_what_was_not_attempted(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    text = MANIFESTS.replace("Quick intro", "Better intro").replace("wait: 2d", "wait: 3d")
    (workdir / "manifests" / "account.yaml").write_text(text)
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    edit_template_in_the_ui(workdir)
    result = seqops("apply", "--plan", "plan.json", "--yes", "--report", "report.json")
    assert result.exit_code == 1
    report = json.loads((workdir / "report.json").read_text())
    by_name = {(c["kind"], c["name"]): c for c in report["changes"]}
    failed = by_name[("Template", "intro")]
    assert failed["status"] == "failed" and "stale" in failed["error"]
    assert failed["duration"] is not None
    blocked = by_name[("Sequence", "inbound")]
    assert blocked["status"] == "not attempted" and "Template/intro" in blocked["error"]
    assert blocked["duration"] is None
    assert {c["status"] for c in report["changes"]} <= STATUSES
    assert report["totals"]["failed"] == 1 and report["totals"]["not attempted"] == 1


def edit_template_in_the_ui(workdir: Path) -> None:
    async def patch():
        provider = embedded_provider(embedded_target(workdir / ".seqops" / "sandbox.db"))
        try:
            [template] = (await provider.read()).of_kind("Template")
            body = mapping.document("template", {"subject": "UI"}, id=template.id)
            await provider.client.patch(f"/templates/{template.id}", body)
        finally:
            await provider.aclose()

    asyncio.run(patch())


def test_the_report_of_an_apply_with_nothing_to_do(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    assert seqops("apply", "manifests", "--yes", "--report", "report.json").exit_code == 0
    report = json.loads((workdir / "report.json").read_text())
    assert report["changes"] == [] and report["totals"]["total"] == 0


def test_an_unwritable_report_is_said_after_the_summary(workdir: Path):
    result = seqops("apply", "manifests", "--yes", "--report", "no-such-dir/report.json")
    assert result.exit_code == 1
    assert "Apply: 3 done, 0 failed, 0 not attempted." in result.stdout
    assert result.stderr == (
        "error: no-such-dir/report.json: the apply report was not saved (no such file or "
        "directory); nothing was written there: the apply itself succeeded (see the summary "
        "above)\n"
    )


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_parallelism_must_be_a_positive_number(workdir: Path, value: str):
    result = seqops("apply", "manifests", "--yes", "--parallelism", value)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: invalid value for '--parallelism'")


def test_parallelism_one_applies_and_converges(workdir: Path):
    result = seqops("apply", "manifests", "--yes", "--parallelism", "1", "--no-color")
    assert result.exit_code == 0, result.output
    assert "Apply: 3 done, 0 failed, 0 not attempted." in result.stdout
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_apply_help_lists_the_new_flags():
    help = seqops("apply", "-h").stdout
    for flag in ("--select KIND/NAME", "--parallelism N", "--report FILE", "-t, --target"):
        assert flag in help


def test_without_a_terminal_each_change_is_printed_as_it_finishes(tmp_path: Path):
    """Through real processes: a served sandbox answering slowly, and apply writing into a
    pipe. The first finished change is in the log while apply is still running."""
    server = subprocess.Popen(
        [*SEQOPS, "sandbox", "serve", "--port", "0", "--latency-ms", "40", "--no-color"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = server.stdout.readline()
        url = first.split("listening on ")[1].strip()
        env = {**os.environ, "SEQOPS_TOKEN": "sandbox-token"}
        env.pop("FORCE_COLOR", None)
        apply = subprocess.Popen(
            [*SEQOPS, "apply", str(ROOT / "examples"), "-t", url, "--yes", "--parallelism", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        lines = []
        for line in apply.stdout:
            lines.append(line)
            if line.startswith("done: "):
                assert apply.poll() is None, "the line came only at the end"
                break
        rest = apply.stdout.read()
        assert apply.wait(timeout=120) == 0, "".join(lines) + rest
        assert rest.count("done: ") >= 5  # the others followed, one per line
        assert "Apply: " in rest
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_without_a_terminal_a_progress_line_comes_while_changes_run():
    out = io.StringIO()
    progress = ApplyProgress(Console(file=out, color_system=None, width=200), heartbeat=0.01)
    change = Create(kind="Sequence", name="slow", desired=None)
    progress.start(2)
    progress.started(change)
    deadline = time.monotonic() + 30
    while "progress: 0/2 changes" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    progress.done(ChangeResult(change, DONE))
    progress.stop()
    text = out.getvalue()
    assert re.search(
        r"^progress: 0/2 changes, elapsed \d+:\d\d:\d\d, running: create Sequence/slow$",
        text,
        re.MULTILINE,
    )
    assert "done: create Sequence/slow\n" in text


def refused_report(workdir: Path, *args: str) -> dict:
    result = seqops("apply", *args, "--report", "report.json")
    assert result.exit_code == 1, result.output
    report = json.loads((workdir / "report.json").read_text())
    error = result.stderr.strip().removeprefix("error: ")
    assert report["ok"] is False and report["error"] == error
    assert report["changes"], "a refused apply still lists what it would have done"
    for change in report["changes"]:
        assert change["status"] == "not attempted" and change["error"] == error
        assert change["duration"] is None
    assert report["totals"]["not attempted"] == report["totals"]["total"]
    return report


def test_an_apply_refused_without_a_terminal_still_writes_the_report(workdir: Path):
    report = refused_report(workdir, "manifests")  # CliRunner's stdin is not a terminal
    assert "--yes" in report["error"]
    assert len(report["changes"]) == 3
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 2  # nothing written


def test_an_apply_refused_by_a_safety_rule_still_writes_the_report(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    assert seqops("sandbox", "enroll", "inbound", "--prospects", "2").exit_code == 0
    text = MANIFESTS.replace("wait: 2d", "wait: 3d")
    (workdir / "manifests" / "account.yaml").write_text(text)
    report = refused_report(workdir, "manifests", "--yes")
    assert "--allow-disruption" in report["error"]
    assert [(c["kind"], c["name"]) for c in report["changes"]] == [("Sequence", "inbound")]
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 2


def test_a_saved_plan_for_another_target_still_writes_the_report(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
):
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    saved = json.loads((workdir / "plan.json").read_text())
    (workdir / "seqops.yaml").write_text(
        "targets:\n  other:\n    provider: outreach\n    url: http://127.0.0.1:9\n"
        "    token: env:OTHER_TOKEN\n"
    )
    monkeypatch.setenv("OTHER_TOKEN", "t")
    report = refused_report(workdir, "--plan", "plan.json", "--yes", "-t", "other")
    assert "apply it with the same --target" in report["error"]
    assert len(report["changes"]) == len(saved["changes"])


def test_an_apply_refused_for_lint_errors_still_writes_the_report(workdir: Path):
    typo = MANIFESTS.replace("bodyHtml: <p>Hello</p>", "bodyHtml: '<p>Hello {{first_nmae}}</p>'")
    (workdir / "manifests" / "account.yaml").write_text(typo)
    report = refused_report(workdir, "manifests", "--yes")
    assert "lint error" in report["error"]
    assert len(report["changes"]) == 3
