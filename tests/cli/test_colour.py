"""Colour and terminals (issue 14 point 3): NO_COLOR and --no-color turn off every style,
FORCE_COLOR / CLICOLOR_FORCE turn ANSI on for CI logs, and output that is not a terminal is
never cut to a terminal's width. The real CLI runs under a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from seqops.cli.common import make_console

ESC = "\x1b["
BAD = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {name: x}
spec: {steps: [{type: bogus}]}
"""


def run_in_pty(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """`seqops ARGS` with stdout and stderr on a pseudo-terminal; everything it printed."""
    controller, terminal = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from seqops.cli import main; main()", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=cwd,
        env={**clean, "TERM": "xterm-256color", **env},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode()


@pytest.fixture
def bad_manifest(tmp_path: Path) -> Path:
    (tmp_path / "bad.yaml").write_text(BAD)
    return tmp_path


def test_a_terminal_gets_colour(bad_manifest):
    assert ESC in run_in_pty(["validate", "bad.yaml"], {}, bad_manifest)


@pytest.mark.parametrize("value", ["1", "true", "anything"])
def test_no_color_under_a_terminal_means_no_escape_at_all(bad_manifest, value):
    output = run_in_pty(["validate", "bad.yaml"], {"NO_COLOR": value}, bad_manifest)
    assert "bogus" in output
    assert ESC not in output


@pytest.mark.parametrize(
    "args", [["--no-color", "validate", "bad.yaml"], ["validate", "bad.yaml", "--no-color"]]
)
def test_the_no_color_flag_under_a_terminal_means_no_escape_at_all(bad_manifest, args):
    output = run_in_pty(args, {}, bad_manifest)
    assert "bogus" in output
    assert ESC not in output


def test_no_color_wins_over_force_color(bad_manifest):
    output = run_in_pty(
        ["validate", "bad.yaml"], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, bad_manifest
    )
    assert ESC not in output


@pytest.mark.parametrize("var", ["FORCE_COLOR", "CLICOLOR_FORCE"])
def test_force_color_puts_ansi_into_a_log(bad_manifest, var):
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-c", "from seqops.cli import main; main()", "validate", "bad.yaml"],
        capture_output=True,
        text=True,
        cwd=bad_manifest,
        env={**clean, var: "1"},
        timeout=60,
    )
    assert ESC in done.stdout


def test_a_pipe_gets_no_colour(bad_manifest):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")
    }
    done = subprocess.run(
        [sys.executable, "-c", "from seqops.cli import main; main()", "validate", "bad.yaml"],
        capture_output=True,
        text=True,
        cwd=bad_manifest,
        env=clean,
        timeout=60,
    )
    assert "bogus" in done.stdout
    assert ESC not in done.stdout + done.stderr


@pytest.mark.parametrize("value", ["0", ""])
def test_force_color_0_or_empty_forces_nothing(monkeypatch, capsys, value):
    """force-color.org says any non-empty value forces colour and rich follows it; "0" (and
    "") asks for no forcing, as CLICOLOR_FORCE=0 does, and a log gets no escape codes."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", value)
    make_console(no_color=False).print("[bold red]b[/bold red]")
    assert capsys.readouterr().out == "b\n"


def test_no_color_also_drops_bold_and_italic(monkeypatch, capsys):
    monkeypatch.setenv("FORCE_COLOR", "1")
    make_console(no_color=True).print("[bold]b[/bold] [italic]i[/italic] [dim]d[/dim]")
    assert capsys.readouterr().out == "b i d\n"


def test_output_that_is_not_a_terminal_is_not_cut_to_80_columns(monkeypatch, capsys):
    from rich.table import Table

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    table = Table()
    table.add_column("Sequence")
    table.add_column("Manifest")
    name = "trial-nurturing-for-enterprise-accounts-in-emea-" * 3
    table.add_row(name, name)
    make_console(no_color=False).print(table)
    assert capsys.readouterr().out.count(name) == 2
