"""`seqops doctor` on an OAuth target says when the stored refresh token last rotated, dated
before its own first request rotates it, and warns past 10 days (Outreach lets a refresh token
expire after 14)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.config import OAuth, SecretRef
from seqops.doctor.credentials import DAY, check_refresh_token, refresh_token_age
from seqops.doctor.findings import Report
from seqops.sandbox import create_app
from seqops.sandbox.hostile import running


def oauth(tmp_path: Path, scheme: str = "file") -> OAuth:
    (tmp_path / "refresh").write_text("r")
    ref = (
        SecretRef("file", str(tmp_path / "refresh")) if scheme == "file" else SecretRef("env", "R")
    )
    return OAuth("https://x.test/oauth/token", ref, ref, ref)


def finding(config: OAuth | None, age: float | None):
    report = Report("t")
    check_refresh_token(config, age, report)
    return report.findings


@pytest.mark.parametrize(
    ("days", "level", "said"),
    [
        (3.2, "ok", "was last rotated 3 days ago; every run rotates it"),
        (11.5, "warning", "it expires in 2 days unless seqops runs against this target"),
        (16, "warning", "it expired 2 days ago: authorise the app again"),
    ],
)
def test_the_age_of_the_refresh_token_is_said_and_warned_past_ten_days(tmp_path, days, level, said):
    (only,) = finding(oauth(tmp_path), days * DAY)
    assert only.check == "oauth" and only.level == level
    assert said in only.message


def test_a_static_token_says_nothing_and_an_env_reference_cannot_be_dated(tmp_path):
    assert finding(None, None) == []
    config = oauth(tmp_path, "env")
    assert refresh_token_age(config) is None
    (only,) = finding(config, None)
    assert only.level == "info" and "env:R" in only.message


def test_the_age_is_the_files_age_on_disk(tmp_path):
    config = oauth(tmp_path)
    twelve_days_ago = time.time() - 12 * DAY
    os.utime(tmp_path / "refresh", (twelve_days_ago, twelve_days_ago))
    age = refresh_token_age(config)
    assert age is not None and 12 * DAY - 5 < age < 12 * DAY + 5


def test_doctor_dates_the_token_before_rotating_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(refresh_token="sandbox-refresh")
    (tmp_path / "refresh").write_text("sandbox-refresh\n")
    eleven_days_ago = time.time() - 11 * DAY
    os.utime(tmp_path / "refresh", (eleven_days_ago, eleven_days_ago))
    monkeypatch.setenv("CID", "seqops-sandbox")
    monkeypatch.setenv("CSECRET", "sandbox-secret")
    with running(app) as base:
        (tmp_path / "seqops.yaml").write_text(
            f"default: crm\ntargets:\n  crm:\n    url: {base}/api/v2\n"
            "    oauth: {clientId: env:CID, clientSecret: env:CSECRET, refreshToken: file:refresh}\n"
        )
        result = CliRunner().invoke(cli, ["doctor", "--format", "json"])
    report = json.loads(result.stdout)
    (said,) = [f for f in report["findings"] if f["check"] == "oauth"]
    assert said["level"] == "warning" and "last rotated 11 days ago" in said["message"]
    rotated = (tmp_path / "refresh").read_text().strip()
    assert rotated != "sandbox-refresh"  # this run rotated it: the file is new again
    assert time.time() - (tmp_path / "refresh").stat().st_mtime < 60
