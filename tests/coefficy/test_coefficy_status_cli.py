"""`seqops status` against a Coefficy target served by the sandbox over HTTP (uvicorn thread)."""

import json

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.sandbox.coefficy import OUTCOMES, generate_coefficy_actions, minutes_ago, update_action

TOKEN_ENV = "COEFFICY_STATUS_TOKEN"


@pytest.fixture
def project(tmp_path, monkeypatch, served_sandbox):
    """A project whose seqops.yaml names the served sandbox's Coefficy endpoint."""
    url, box = served_sandbox
    (tmp_path / "seqops.yaml").write_text(
        "targets:\n"
        "  coefficy-target:\n"
        "    provider: coefficy\n"
        f"    url: {url}\n"
        f"    token: env:{TOKEN_ENV}\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(TOKEN_ENV, "coefficy-token")
    return box


def status(*args):
    return CliRunner().invoke(app, ["status", "--target", "coefficy-target", *args])


@pytest.fixture
def sequence(project):
    """Sequence 777: ten actions, two of each outcome, every automation family on."""
    return generate_coefficy_actions(project.sandbox, 777, 10, outcomes=OUTCOMES)


def test_json_counts_outcomes_and_executed_automations(sequence):
    result = status("--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["provider"] == "coefficy" and "coefficy-target" in report["target"]
    (row,) = [s for s in report["sequences"] if s["sequence_id"] == 777]
    # succeeded, failed, ended-without-success and stopped all end the action
    assert [row[k] for k in ("started", "succeeded", "failed", "ended", "stopped_by_user")] == [
        10,
        2,
        2,
        8,
        2,
    ]
    # 2 successes run 4 success families; 2 failures run 7 failure families and the
    # unsubscribe link; 2 no-success endings run the 4 no-success families.
    assert row["automations_executed"] == {
        "relaunch": 2 + 2 * 3 + 2,
        "sequence": 2 + 2 + 2,
        "campaign": 2 + 2 * 3 + 2,
        "opportunity": 2,
        "unsubscribe": 2 + 2,
    }
    assert row["automations_executed_by_family"]["onFailure.relaunchEnrichContact"] == 2


def test_text_names_the_target_and_shows_a_table(sequence):
    result = status("--no-color")
    assert result.exit_code == 0, result.output
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("Target: coefficy-target (coefficy http://127.0.0.1:")
    for header in (
        "Started",
        "Succeeded",
        "Failed",
        "Ended",
        "Stopped by user",
        "Relaunch",
        "Opportunity",
    ):
        assert header in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()[1:]) <= 80
    outcomes, automations = [
        [int(n) for n in line.replace("│", " ").split()]
        for line in result.stdout.splitlines()
        if " 777 " in line
    ]
    assert outcomes == [777, 10, 2, 2, 8, 2]
    assert automations == [777, 10, 6, 10, 2, 4]


def test_since_uses_polling_success(project, sequence):
    succeeded = [a for a in sequence if a["success"]]
    update_action(project.sandbox, succeeded[0]["idSequenceAction"], successDate=minutes_ago(3))
    result = status("--since", "15m", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["since_minutes"] == 15
    assert [(s["sequence_id"], s["started"], s["succeeded"]) for s in report["sequences"]] == [
        (777, 1, 1)
    ]


@pytest.mark.parametrize(
    ("since", "hint"),
    [("5m", "at least 15 minutes"), ("15", "with a unit"), ("90s", "whole minutes")],
)
def test_a_window_coefficy_cannot_poll_is_a_clear_error(project, since, hint):
    result = status("--since", since)
    assert result.exit_code == 1
    assert hint in result.stderr
    assert "Traceback" not in result.output


def test_a_rejected_token_is_one_line_without_the_token(project, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "not-the-right-coefficy-token")
    result = status("-v")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "HTTP 401" in errors[0] and "x-access-token" in errors[0]
    assert "GET http://127.0.0.1:" in result.stderr  # -v logs the request
    assert "not-the-right-coefficy-token" not in result.output


def test_a_missing_token_variable_is_a_clear_error(project, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV)
    result = status()
    assert result.exit_code == 1
    assert TOKEN_ENV in result.stderr
