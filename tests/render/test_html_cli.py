"""`plan --format html` and `show --format html` through the real CLI: one page, the same for a
plan and its saved file (the sample prospect is built in: no request, nothing read)."""

from __future__ import annotations

from pathlib import Path

import html5lib
from typer.testing import CliRunner

from seqops.cli import app

ACCOUNT = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {displayName: Intro email, subject: Quick intro, bodyHtml: "<p>Hi {{first_name}}, we ship fast.</p>"}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: outbound}
spec:
  displayName: Outbound
  steps: [{type: auto_email, wait: 0, template: intro}, {type: call, wait: 2d, note: Ring}]
"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def test_plan_and_show_render_the_same_self_contained_page(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    root = tmp_path
    (root / "manifests").mkdir()
    (root / "manifests" / "account.yaml").write_text(ACCOUNT)
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    manifest = root / "manifests" / "account.yaml"
    manifest.write_text(ACCOUNT.replace("ship fast", "ship faster").replace("2d", "3d"))
    planned = seqops("plan", "manifests", "--format", "html", "--out", "plan.json")
    assert planned.exit_code == 0, planned.output
    shown = seqops("show", "plan.json", "--format", "html")
    assert shown.exit_code == 0 and shown.stdout == planned.stdout
    page = html5lib.parse(planned.stdout, namespaceHTMLElements=False)
    [frame_before, frame_after] = [f.get("srcdoc") for f in page.iter("iframe")]
    assert "<ins>faster</ins>" in frame_after and "<del>fast</del>" in frame_before
    assert "Alex" in frame_after
    assert Path("plan.json").read_text().startswith("{")  # the plan file stays JSON


def test_a_new_sequence_shows_the_emails_it_sends_from_unchanged_templates(
    tmp_path: Path, monkeypatch
):
    """Every prospect of a new sequence gets its emails for the first time: the review shows
    them, filled for the sample prospect, also from a saved plan; a template the plan changes
    is shown once, in its own section."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "account.yaml").write_text(ACCOUNT)
    assert seqops("apply", "m", "--yes").exit_code == 0
    inbound = ACCOUNT.split("---\n")[1].replace("outbound", "inbound").replace("Outbound", "Inb")
    (tmp_path / "m" / "inbound.yaml").write_text(inbound)
    planned = seqops("plan", "m", "--format", "html", "--out", "plan.json")
    assert planned.exit_code == 0, planned.output
    assert seqops("show", "plan.json", "--format", "html").stdout == planned.stdout
    page = html5lib.parse(planned.stdout, namespaceHTMLElements=False)
    [frame] = list(page.iter("iframe"))
    assert frame.get("title") == "Sends “Intro email” (unchanged)"
    assert "we ship fast" in frame.get("srcdoc") and "Alex" in frame.get("srcdoc")
    (tmp_path / "m" / "account.yaml").write_text(ACCOUNT.replace("ship fast", "ship faster"))
    page = html5lib.parse(
        seqops("plan", "m", "--format", "html").stdout, namespaceHTMLElements=False
    )
    assert [f.get("title") for f in page.iter("iframe")] == ["Before", "After"]
