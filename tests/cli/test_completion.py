"""Shell completion: `seqops completion bash|zsh|fish` prints a script, and the script's
callback (`_SEQOPS_COMPLETE`) completes commands, options and choices through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from seqops.cli import app

SEQOPS = [sys.executable, "-c", "from seqops.cli import main; main()"]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o"), ("zsh", "#compdef seqops"), ("fish", "complete --command seqops")],
)
def test_the_completion_script_of_each_shell(shell, marker):
    result = CliRunner().invoke(app, ["completion", shell])
    assert result.exit_code == 0
    assert marker in result.stdout
    assert "_SEQOPS_COMPLETE" in result.stdout


def complete(words: str, **env: str) -> list[str]:
    done = subprocess.run(
        SEQOPS,
        env={**os.environ, "_TYPER_COMPLETE_ARGS": words, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def bash(words: str) -> list[str]:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    return complete(words, _SEQOPS_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword)


def test_commands_complete():
    assert "plan" in bash("seqops pl")
    assert "show" in bash("seqops sh")


def test_options_of_a_lazily_loaded_command_complete():
    assert bash("seqops plan --for") == ["--format"]
    assert "--parallelism" in bash("seqops apply --par")


def test_choices_complete():
    assert bash("seqops plan --format ") == ["text", "json", "markdown", "html"]


def test_fish_completes_too():
    words = complete(
        "seqops plan --for",
        _SEQOPS_COMPLETE="complete_fish",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    assert words[0] == "--format"
