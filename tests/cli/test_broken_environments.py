"""No traceback reaches a user (issue 14 point 2): every command that opens a target, run
against a table of broken environments, ends with exit 1 and one `error:` line naming the path;
the sandbox server reports a bad --db or a busy port before it says it listens."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app

MANIFEST = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hi, bodyHtml: <p>Hello</p>}
"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def real_sandbox_db(path: Path) -> None:
    """A sandbox database as the embedded target leaves it (seeded prospects, several pages)."""
    from seqops.sandbox import create_app

    create_app(str(path)).state.sandbox.store.close()


def garbage_db(root: Path) -> None:
    (root / ".seqops").mkdir()
    (root / ".seqops" / "sandbox.db").write_bytes(b"this is not SQLite, just text\n" * 200)


def damaged_db(root: Path) -> None:
    """A real database whose header survived and whose pages did not: SQLite only notices
    on the first query that reads them."""
    (root / ".seqops").mkdir()
    db = root / ".seqops" / "sandbox.db"
    real_sandbox_db(db)
    data = bytearray(db.read_bytes())
    assert len(data) > 3 * 4096
    data[4096 + 100 : 3 * 4096] = b"\xa5" * (2 * 4096 - 100)
    db.write_bytes(bytes(data))


def db_is_a_directory(root: Path) -> None:
    (root / ".seqops" / "sandbox.db").mkdir(parents=True)


def db_is_a_fifo(root: Path) -> None:
    (root / ".seqops").mkdir()
    os.mkfifo(root / ".seqops" / "sandbox.db")


def dot_seqops_is_a_file(root: Path) -> None:
    (root / ".seqops").write_text("not a directory\n")


def config_not_utf8(root: Path) -> None:
    (root / "seqops.yaml").write_bytes(b"\xff\xfetargets: {}\n")


def config_not_yaml(root: Path) -> None:
    (root / "seqops.yaml").write_text("targets: [\n")


def config_is_a_directory(root: Path) -> None:
    (root / "seqops.yaml").mkdir()


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "garbage sandbox.db": (garbage_db, ".seqops/sandbox.db"),
    "damaged sandbox.db": (damaged_db, ".seqops/sandbox.db"),
    "sandbox.db is a directory": (db_is_a_directory, ".seqops/sandbox.db"),
    "sandbox.db is a FIFO": (db_is_a_fifo, ".seqops/sandbox.db"),
    ".seqops is a file": (dot_seqops_is_a_file, ".seqops"),
    "seqops.yaml not UTF-8": (config_not_utf8, "seqops.yaml"),
    "seqops.yaml not YAML": (config_not_yaml, "seqops.yaml"),
    "seqops.yaml is a directory": (config_is_a_directory, "seqops.yaml"),
}

COMMANDS = {
    "plan": ["plan", "manifests"],
    "plan json": ["plan", "manifests", "--format", "json", "--detailed-exitcode"],
    "apply": ["apply", "manifests", "--yes"],
    "export": ["export", "--out", "exported"],
    "status": ["status"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("environment", list(BROKEN))
def test_every_command_reports_a_broken_environment_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, environment: str
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "account.yaml").write_text(MANIFEST)
    breaks, path = BROKEN[environment]
    breaks(tmp_path)

    result = seqops(*COMMANDS[command])

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "unexpected" not in result.stderr  # a real message, not the last-resort handler
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("error: ")
    assert path in line


@pytest.mark.parametrize("command", [["lint", "manifests"], ["validate", "manifests"]])
def test_commands_without_a_target_refuse_a_seqops_yaml_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
):
    """lint reads seqops.yaml's `lint:` section: a directory there is not "no settings"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "account.yaml").write_text(MANIFEST)
    config_is_a_directory(tmp_path)

    result = seqops(*command)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if "seqops.yaml" in line]
    assert errors and "directory" in errors[0]


def test_a_sound_sandbox_db_still_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The checks above refuse only what is broken (the damaged case starts from this one)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".seqops").mkdir()
    real_sandbox_db(tmp_path / ".seqops" / "sandbox.db")
    assert seqops("status", "--no-color").exit_code == 0


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("missing-dir/x.db", "missing-dir does not exist"),
        ("not-sqlite.db", "not a usable SQLite database"),
        ("a-directory", "is a directory"),
    ],
)
def test_sandbox_serve_refuses_a_bad_db_before_listening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: str, expected: str
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "not-sqlite.db").write_text("hello\n" * 100)
    (tmp_path / "a-directory").mkdir()
    result = seqops("sandbox", "serve", "--port", "0", "--db", db)
    assert result.exit_code == 1
    assert "listening" not in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: --db {db}")
    assert expected in line


def test_sandbox_serve_reports_a_busy_port_before_listening():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = seqops("sandbox", "serve", "--port", str(port))
    assert result.exit_code == 1
    assert "listening" not in result.stdout
    assert result.stderr == (
        f"error: 127.0.0.1:{port}: cannot listen: the port is already in use: "
        "stop the other server or pick another --port\n"
    )


def test_sandbox_serve_reports_an_unknown_host():
    result = seqops("sandbox", "serve", "--host", "no-such-host.invalid", "--port", "0")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no-such-host.invalid:0: unknown host")
