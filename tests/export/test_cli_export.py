"""`seqops export` end to end against a sandbox served on 127.0.0.1 (a URL target)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.sandbox.app import create_app

PAGE = 1000


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[object, str]]:
    """(app, base URL) of a sandbox served by uvicorn; SEQOPS_TOKEN set for URL targets."""
    app = create_app()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    monkeypatch.setenv("SEQOPS_TOKEN", "sandbox-token")
    yield app, f"http://127.0.0.1:{port}/api/v2"
    server.should_exit = True
    thread.join(timeout=5)


def export(url: str, out: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["export", "--target", url, "--out", str(out), *args], env=env)


def test_request_count_is_the_minimal_list_pages_and_a_progress_bar_shows(served, tmp_path):
    app, url = served
    sandbox = app.state.sandbox
    sandbox.generate_account(126, steps_per_sequence=8, owned=False)  # 1008 steps: two pages
    sandbox.reset_counters()
    result = export(url, tmp_path / "out", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.output
    rows = {"templates": 378, "rulesets": 1, "sequences": 126, "sequenceSteps": 1008,
            "sequenceTemplates": 378, "users": 3, "stages": 8, "taskPriorities": 3}  # fmt: skip
    minimal = sum(max(1, math.ceil(n / PAGE)) for n in rows.values())
    assert sandbox.request_count == minimal == 9
    assert {method for method, _ in sandbox.requests} == {"GET"}
    assert (
        "Writing manifests" in result.output and "505/505" in result.output
    )  # + the default ruleset
    assert f"({minimal} requests)" in result.output
    assert len(list((tmp_path / "out/sequences").iterdir())) == 126


def test_target_is_named_first_and_nothing_else_is_touched(served, tmp_path):
    _, url = served
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/notes.txt").write_text("mine")
    result = export(url, tmp_path, "--no-color")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Target: outreach {url}"
    assert "\x1b[" not in result.output
    assert (tmp_path / "templates/notes.txt").read_text() == "mine"


def test_refuses_to_overwrite_a_file_it_did_not_write(served, tmp_path):
    app, url = served
    app.state.sandbox.generate_account(1, steps_per_sequence=1, owned=False, prefix="solo")
    (tmp_path / "sequences").mkdir()
    (tmp_path / "sequences/solo-0000.yaml").write_text("# my notes\n")
    result = export(url, tmp_path)
    assert result.exit_code == 1
    assert "refusing to overwrite" in result.output and "Traceback" not in result.output
    assert (tmp_path / "sequences/solo-0000.yaml").read_text() == "# my notes\n"


def test_select_and_owned_only(served, tmp_path):
    app, url = served
    app.state.sandbox.generate_account(2, steps_per_sequence=2, owned=True, prefix="mine")
    app.state.sandbox.generate_account(1, steps_per_sequence=2, owned=False, prefix="theirs")
    owned = export(url, tmp_path / "owned", "--owned-only")
    assert owned.exit_code == 0, owned.output
    assert sorted(p.name for p in (tmp_path / "owned/sequences").iterdir()) == [
        "mine-0000.yaml",
        "mine-0001.yaml",
    ]
    picked = export(url, tmp_path / "picked", "--select", "theirs-0000,mine-0001")
    assert picked.exit_code == 0, picked.output
    assert sorted(p.relative_to(tmp_path / "picked").as_posix() for p in (tmp_path / "picked").rglob("*.yaml")) == [
        "sequences/mine-0001.yaml", "sequences/theirs-0000.yaml",
        "templates/mine-0001-s1.yaml", "templates/theirs-0000-s1.yaml",
    ]  # fmt: skip
    unknown = export(url, tmp_path / "none", "--select", "nope")
    assert unknown.exit_code == 1 and "'nope'" in unknown.output


def test_a_missing_token_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    result = export("http://127.0.0.1:9/api/v2", tmp_path)
    assert result.exit_code == 1
    assert "SEQOPS_TOKEN is not set" in result.output


def test_a_coefficy_target_is_refused_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CF_TOKEN", "x")
    config = "targets:\n  cf:\n    provider: coefficy\n    url: http://127.0.0.1:9/c/v1\n"
    (tmp_path / "seqops.yaml").write_text(config + "    token: env:CF_TOKEN\n")
    result = CliRunner().invoke(cli, ["export", "--target", "cf"])
    assert result.exit_code == 1
    assert "export reads Outreach accounts only" in result.output
    assert not (tmp_path / "sequences").exists()


def test_an_unwritable_directory_is_one_clear_line(served, tmp_path):
    app, url = served
    app.state.sandbox.generate_account(1, steps_per_sequence=1, owned=False)
    (tmp_path / "sequences").write_text("a file where the directory goes")
    result = export(url, tmp_path)
    assert result.exit_code == 1, result.output
    [error] = result.stderr.splitlines()
    assert error.startswith(f"error: {tmp_path / 'sequences'}/")
    assert error.endswith(
        ".yaml: the exported manifest was not saved (not a directory); nothing was written "
        "there: the export stopped there"
    )


def test_help_says_what_export_into_an_existing_folder_does():
    result = CliRunner().invoke(cli, ["export", "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    out_help = text.split("--out DIR", 1)[1].split("-s, --select", 1)[0]
    assert "refuses" in out_help and "--update" in out_help
    update_help = text.split("--update", 2)[2].split("-v, --verbose", 1)[0]
    assert "in place" in update_help and "changed" in update_help
