"""The `seqops` command line: thin typer commands over the core.

Each command lives in its own module (`seqops/cli/<cmd>.py`, exposing `NAME` and `command`;
`sandbox` exposes a sub-`app`); the core never imports typer. A command's module, and the core
it pulls in, is imported only when that command runs: `seqops --help` lists the commands from
`COMMANDS` below, and `seqops validate` never imports the planner, the HTTP client or the
sandbox.

Every command gets the same contract for free from `LazyGroup.main` (seqops.cli.exits): exit
codes, one-line errors, `-h`, and the global options `-v`/`--no-color` before the command name.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from seqops.cli import clickcompat as click
from seqops.cli import exits
from seqops.cli.common import NoColor, Verbose
from seqops.cli.globals import hoist_global_options
from seqops.cli.helpfmt import tidy_help


class Entry(NamedTuple):
    module: str
    help: str
    """The command's one-line help, as its docstring says (a test keeps them equal)."""


COMMANDS = {
    "validate": Entry(
        "seqops.cli.validate",
        "Check manifests (YAML, JSON Schema, references, rules) without touching any API.",
    ),
    "lint": Entry(
        "seqops.cli.lint",
        "Check manifest content (merge fields, opt-out, threading, cadence, HTML, links).",
    ),
    "preview": Entry(
        "seqops.cli.preview",
        "Render a template with real prospect data from the target (what a prospect receives).",
    ),
    "plan": Entry(
        "seqops.cli.plan", "Show what apply would change in the target, and what it would disrupt."
    ),
    "apply": Entry("seqops.cli.apply", "Make the target match the manifests (or a saved plan)."),
    "show": Entry("seqops.cli.show", "Render a saved plan again (its checksum verified)."),
    "export": Entry(
        "seqops.cli.export",
        "Write the live sequences, templates and rulesets as manifests that plan adopts.",
    ),
    "status": Entry(
        "seqops.cli.status",
        "Show enrollments per sequence: outcomes and automations (Coefficy), states (Outreach).",
    ),
    "doctor": Entry(
        "seqops.cli.doctor",
        "Check an account read-only before the first plan: access, limits, shapes, surprises.",
    ),
    "sandbox": Entry("seqops.cli.sandbox", "Run the local Outreach API emulator."),
    "completion": Entry(
        "seqops.cli.completion", "Print the shell completion script for bash, zsh or fish."
    ),
}
"""Every command, in the order `--help` lists them."""


def load_command(name: str) -> click.Command:
    """The click command `name` runs: its module imported now, and registered on a group the
    way it would be on `app` itself, for typer to build exactly that command."""
    module = importlib.import_module(COMMANDS[name].module)
    group = typer.Typer(add_completion=False, rich_markup_mode=None)
    group.callback()(_root)
    if hasattr(module, "app"):  # a group of subcommands
        group.add_typer(module.app, name=name)
    else:
        group.command(name=module.NAME)(module.command)
    command = typer.main.get_group(group).commands[name]
    tidy_help(command)
    return command


class _Listed(TyperCommand):
    """A command as `--help` lists it, before its module is imported."""


class LazyGroup(TyperGroup):
    """Knows every command by name and help; imports one only to run it (or its --help)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, entry in COMMANDS.items():
            self.commands.setdefault(name, _Listed(name, help=entry.help))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and isinstance(command, _Listed):
            command = self.commands[name] = load_command(name)
        return name, command, rest

    def named(self, argv: list[str]) -> str:
        """The command `argv` names, as its help calls it (`seqops sandbox serve`)."""
        words: list[str] = ["seqops"]
        command: click.Command = self
        for arg in argv:
            sub = getattr(command, "commands", {}).get(arg)
            if sub is None:
                break
            words.append(arg)
            command = sub
        return " ".join(words)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """click's main, wrapped so every command ends as DESIGN §3 says (seqops.cli.exits)."""
        argv = hoist_global_options(list(sys.argv[1:] if args is None else args))
        code = exits.run(
            lambda: super(LazyGroup, self).main(
                argv,
                prog_name or "seqops",
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            ),
            verbose=any(a in ("-v", "--verbose") for a in argv),
            named=lambda: self.named(argv),
        )
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="seqops",
    cls=LazyGroup,
    help="Sequence-as-code for Outreach: validate, plan and apply YAML manifests.",
    epilog="Global options (-v, --no-color) go before or after the command. "
    "Exit codes: 0 success, 2 changes (plan --detailed-exitcode), 1 any error, "
    "130/143 apply stopped by SIGINT/SIGTERM.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"seqops {version('seqops')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Makes `app` a group: its commands are added by `LazyGroup`, not registered here."""


def main() -> None:
    try:
        app()
    except Exception as exc:  # building the command line itself failed: still one line
        from seqops.cli.common import print_error

        print_error(exits.unexpected_message(exc, verbose=False))
        sys.exit(exits.ERROR)
