"""The `seqops` command line: thin typer commands over the core.

Each command lives in its own module (`seqops/cli/<cmd>.py`, exposing `NAME` and `command`;
`sandbox` exposes a sub-`app`); the core never imports typer. A command's module, and the core
it pulls in, is imported only when that command runs: `seqops --help` lists the commands from
`COMMANDS` below, and `seqops validate` never imports the planner, the HTTP client or the
sandbox.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import click
import typer
from typer.core import TyperGroup


class Entry(NamedTuple):
    module: str
    help: str
    """The command's one-line help, as its docstring says (a test keeps them equal)."""


COMMANDS = {
    "validate": Entry(
        "seqops.cli.validate",
        "Check manifests (YAML, JSON Schema, references, rules) without touching any API.",
    ),
    "plan": Entry(
        "seqops.cli.plan", "Show what apply would change in the target, and what it would disrupt."
    ),
    "apply": Entry("seqops.cli.apply", "Make the target match the manifests (or a saved plan)."),
    "export": Entry(
        "seqops.cli.export",
        "Write the live sequences, templates and rulesets as manifests that plan adopts.",
    ),
    "status": Entry(
        "seqops.cli.status",
        "Show enrollments per sequence: outcomes and automations (Coefficy), states (Outreach).",
    ),
    "sandbox": Entry("seqops.cli.sandbox", "Run the local Outreach API emulator."),
}
"""Every command, in the order `--help` lists them."""


def load_command(name: str) -> click.Command:
    """The click command `name` runs: its module imported now, and registered on a group the
    way it would be on `app` itself, for typer to build exactly that command."""
    module = importlib.import_module(COMMANDS[name].module)
    group = typer.Typer(add_completion=False)
    group.callback()(_root)
    if hasattr(module, "app"):  # a group of subcommands
        group.add_typer(module.app, name=name)
    else:
        group.command(name=module.NAME)(module.command)
    return typer.main.get_group(group).commands[name]


class _Listed(click.Command):
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


app = typer.Typer(
    name="seqops",
    cls=LazyGroup,
    help="Sequence-as-code for Outreach: validate, plan and apply YAML manifests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Makes `app` a group: its commands are added by `LazyGroup`, not registered here."""


def main() -> None:
    app()
