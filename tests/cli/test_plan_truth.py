"""The plan tells the truth, through the real CLI against the embedded sandbox: steps named by
content when removed, inserted or reordered (text, Markdown, JSON), long text diffs that show
a one-word edit (also in apply's confirmation), and user strings that cannot drive a terminal
or a PR comment. Every scenario applies and re-plans to zero changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app

BODY = (
    "<p>Hi {{first_name}},</p><p>Teams like yours ship faster with us.</p>"
    "<p>Worth a chat next week?</p><p>Best, Sam</p>"
)
TEMPLATES = f"""\
apiVersion: seqops/v1
kind: Template
metadata: {{name: intro}}
spec: {{displayName: Intro email, subject: Quick intro, bodyHtml: "{BODY}"}}
---
apiVersion: seqops/v1
kind: Template
metadata: {{name: follow-up}}
spec: {{subject: Following up, bodyHtml: <p>Any thoughts?</p>}}
---
apiVersion: seqops/v1
kind: Template
metadata: {{name: breakup}}
spec: {{subject: Closing the loop, bodyHtml: <p>Last note</p>}}
"""
STEPS = {
    "intro": "{type: auto_email, wait: 0, template: intro}",
    "call": "{type: call, wait: 2d, note: Intro call}",
    "follow": "{type: auto_email, wait: 3d, template: follow-up}",
    "linkedin": "{type: task, wait: 1d, note: Connect on LinkedIn}",
    "breakup": "{type: manual_email, wait: 2d, template: breakup}",
    "last": "{type: call, wait: 2d, note: Breakup call}",
    "video": "{type: task, wait: 1d, note: Send a video}",
}
SIX = ["intro", "call", "follow", "linkedin", "breakup", "last"]


def sequence(steps: list[str]) -> str:
    lines = "\n".join(f"    - {STEPS[s]}" for s in steps)
    return (
        "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: outbound}\n"
        f"spec:\n  displayName: Outbound\n  steps:\n{lines}\n"
    )


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The six-step sequence applied to a fresh embedded sandbox; returns the manifest file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    manifest = tmp_path / "account.yaml"
    manifest.write_text(TEMPLATES + "---\n" + sequence(SIX))
    converge(manifest)
    return manifest


def converge(manifest: Path) -> None:
    """Apply, then a re-plan has nothing left to do."""
    applied = seqops("apply", str(manifest), "--yes", "--no-color")
    assert applied.exit_code == 0, applied.output
    again = seqops("plan", str(manifest), "--detailed-exitcode", "--no-color")
    assert again.exit_code == 0 and "No changes" in again.stdout, again.output


def plans(manifest: Path) -> tuple[str, str, dict]:
    text = seqops("plan", str(manifest), "--no-color")
    markdown = seqops("plan", str(manifest), "--format", "markdown")
    document = seqops("plan", str(manifest), "--format", "json")
    assert text.exit_code == markdown.exit_code == document.exit_code == 0, text.output
    return text.stdout, markdown.stdout, json.loads(document.stdout)


def step_entries(document: dict) -> list[dict]:
    [change] = [c for c in document["changes"] if c["kind"] == "Sequence"]
    return [d for d in change["diff"] if d.get("op")]


def test_removing_step_4_names_the_task_removed_not_the_breakup_call(account: Path):
    account.write_text(
        TEMPLATES + "---\n" + sequence(["intro", "call", "follow", "breakup", "last"])
    )
    text, markdown, document = plans(account)

    removed = "step 4 · Task “Connect on LinkedIn” removed"
    assert f"- {removed} (wait 1d); steps 5–6 move up one (now 4–5)" in text  # noqa: RUF001
    assert "removed: 'Outbound (v2)' replaces 'Outbound'" in text  # the replace says why
    assert "⏩ steps 4–5 fire 1d earlier" in text  # noqa: RUF001 - its wait is gone
    assert "- ⏩ steps 4–5 fire 1d earlier" in markdown  # noqa: RUF001 - the same words
    assert "Breakup call” removed" not in text and "→ Manual email" not in text
    assert f"- 🗑️ {removed} (wait 1d); steps 5–6 move up" in markdown  # noqa: RUF001
    assert "(removed) :done" in markdown  # the timeline greys it out
    [entry] = step_entries(document)
    assert entry["op"] == "removed" and (entry["old_index"], entry["old_step"]) == (3, 4)
    assert entry["old"] == {"type": "task", "wait": "1d", "note": "Connect on LinkedIn"}
    assert entry["new"] is None and entry["path"] == "steps[3]"
    converge(account)


def test_inserting_a_step_names_it_and_the_steps_it_pushes_down(account: Path):
    steps = ["intro", "call", "video", "follow", "linkedin", "breakup", "last"]
    account.write_text(TEMPLATES + "---\n" + sequence(steps))
    text, markdown, document = plans(account)

    inserted = "step 3 · Task “Send a video” inserted"
    assert f"+ {inserted} (wait 1d); steps 3–6 move down one (now 4–7)" in text  # noqa: RUF001
    assert f"- 🆕 {inserted}" in markdown and "(added) :active" in markdown
    [entry] = step_entries(document)
    assert (entry["op"], entry["old_index"], entry["new_index"], entry["new_step"]) == (
        "inserted",
        None,
        2,
        3,
    )
    assert entry["new"]["note"] == "Send a video" and entry["new"]["type"] == "task"
    converge(account)


def test_reordering_shows_a_move_and_explains_the_new_version(account: Path):
    account.write_text(
        TEMPLATES + "---\n" + sequence(["intro", "follow", "call", "linkedin", "breakup", "last"])
    )
    text, markdown, document = plans(account)

    assert "-/+ replace Sequence/outbound" in text
    assert "moved from step" in text and "moved to step" in text  # the entry, and the reason
    assert "↕️" in markdown and "(moved) :crit" in markdown
    [moved] = [e for e in step_entries(document) if e["op"] == "moved"]
    assert {moved["old_index"], moved["new_index"]} == {1, 2}
    assert moved["old"]["type"] == moved["new"]["type"]  # the same step, elsewhere
    converge(account)


def test_a_wait_change_is_a_change_in_place_and_later_steps_shift(account: Path):
    steps = [*SIX]
    account.write_text(TEMPLATES + "---\n" + sequence(steps).replace("wait: 3d", "wait: 4d"))
    text, markdown, document = plans(account)

    assert "~ update Sequence/outbound" in text
    assert "~ step 3 · Automatic email “follow-up”: wait 3d → 4d" in text
    assert "⏩ steps 3–6 fire 1d later" in text  # noqa: RUF001
    assert "- ⏩ steps 3–6 fire 1d later" in markdown  # noqa: RUF001 - the same words
    assert "⏩ fires 1d later" in markdown  # in the table, per step
    [entry] = step_entries(document)
    assert entry == {
        "path": "steps[2].wait",
        "old": "3d",
        "new": "4d",
        "op": "changed",
        "old_index": 2,
        "new_index": 2,
        "old_step": 3,
        "new_step": 3,
    }
    converge(account)


def test_a_one_word_body_edit_is_visible_in_the_plan_and_the_confirmation(account: Path):
    account.write_text(account.read_text().replace("ship faster", "ship much faster"))
    text, markdown, _ = plans(account)

    assert "- <p>Teams like yours ship faster with us.</p>" in text
    assert "+ <p>Teams like yours ship much faster with us.</p>" in text
    assert "  <p>Hi {{first_name}},</p>" in text  # context, unchanged
    assert "+<p>Teams like yours ship much faster with us.</p>" in markdown
    confirm = seqops("apply", str(account), "--no-color")  # no terminal: shows, then refuses
    assert confirm.exit_code == 1
    assert "+ <p>Teams like yours ship much faster with us.</p>" in confirm.output
    converge(account)


def test_pr_comment_text_is_not_markdown_and_pings_nobody(account: Path):
    subject = "`code` **bold** [a link](x) @sales-team #123 <b>"  # short: a table cell
    account.write_text(account.read_text().replace("Quick intro", json.dumps(subject)))
    markdown = seqops("plan", str(account), "--format", "markdown").stdout

    assert "<code>Template/intro</code> “Intro email”" in markdown  # display name beside key
    assert "**bold**" not in markdown and "\\*\\*bold\\*\\*" in markdown
    assert "`code`" not in markdown and "\\[a link\\]" in markdown and "<b>" not in markdown
    assert "| **Subject line** <sub>subject</sub> | Quick intro | \\`code\\` \\*\\*bold" in markdown
    assert "@sales-team" not in markdown and "@\u200dsales-team" in markdown
    assert "#123" not in markdown and "#\u200d123" in markdown
    converge(account)


def test_control_characters_never_reach_the_terminal(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    manifest = tmp_path / "evil.yaml"
    manifest.write_text(
        "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: evil}\nspec:\n"
        '  displayName: "Evil \\e[2J\\e]8;;http://x\\a name"\n'
        '  steps: [{type: task, wait: 0, note: "Clear \\e[2J screen\\x9b31m"}]\n'
    )
    plan = seqops("plan", str(manifest), "--no-color")
    converge(manifest)
    status = seqops("status", "--no-color")
    assert plan.exit_code == status.exit_code == 0
    for output in (plan.output, status.output):
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
    assert "Evil  name" in status.output


def test_error_lines_are_stripped_of_control_characters(capsys: pytest.CaptureFixture[str]):
    from seqops.cli.common import fail

    fail("live sequence 'a\x1b[2Jb\x07' refused: server said \x9b31mno")
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\x9b" not in err
    assert "error: live sequence 'ab' refused: server said no" in err
