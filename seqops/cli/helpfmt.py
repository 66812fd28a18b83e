"""Help text like a well-kept CLI's: plain text, flags as flags, `--target TARGET`,
`--format [text|json]`, `[PATH]...`.

typer labels every value with its Python type (`<bool>` even on flags, `<list[Path]>`) inside
rich boxes; `tidy_help` turns a command (and its subcommands) to plain click help and gives each
parameter without a metavar of its own a readable one, so commands added later get the same help
without thinking about it.
"""

from __future__ import annotations

from typing import Any

from seqops.cli import clickcompat as click

PATH_ARGUMENTS = {"paths": "PATH", "path": "PATH"}


def tidy_help(command: click.Command) -> None:
    if hasattr(command, "rich_markup_mode"):
        command.rich_markup_mode = None
    for param in command.params:
        if param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = metavar_of(param)
        if param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
            # typer appends `<list[Path]>` to an argument's name: the metavar says it all
            param.display_type_rich = lambda ctx: None
    for sub in getattr(command, "commands", {}).values():  # a group's commands
        tidy_help(sub)


def metavar_of(param: click.Parameter) -> str:
    name = param.name or "value"
    if param.param_type_name == "argument":
        return PATH_ARGUMENTS.get(name, name.upper())
    choices = _choices(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    if _annotation(param) is int:
        return "N"
    if name.endswith("_file"):
        return "FILE"
    return name.upper()


def _choices(param: click.Parameter) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        values = descriptor.choices if descriptor.is_choice else None
    else:
        values = getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(v, "value", v)) for v in values or ()]


def _annotation(param: click.Parameter) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        return descriptor.annotation
    kind = getattr(param, "type", None)
    return int if getattr(kind, "name", None) == "integer" else None
