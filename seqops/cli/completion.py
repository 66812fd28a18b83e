"""`seqops completion bash|zsh|fish`: the shell completion script, to source or install.

    bash: seqops completion bash > ~/.local/share/bash-completion/completions/seqops
    zsh:  seqops completion zsh > "${fpath[1]}/_seqops"
    fish: seqops completion fish > ~/.config/fish/completions/seqops.fish

The script calls `seqops` back with `_SEQOPS_COMPLETE` set; typer answers with commands,
options and choices (`seqops --install-completion` does the same for the current shell).
"""

from enum import StrEnum
from typing import Annotated

import typer

from seqops.cli.common import NoColor, Verbose

NAME = "completion"
PROG_NAME = "seqops"
COMPLETE_VAR = "_SEQOPS_COMPLETE"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def command(
    shell: Annotated[Shell, typer.Argument(help="The shell to complete in.")],
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Print the shell completion script for bash, zsh or fish."""
    from typer.completion import completion_init, get_completion_script

    completion_init()
    typer.echo(get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell))
