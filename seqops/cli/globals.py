"""Global options before the command name: `seqops -v plan` means `seqops plan -v`.

Every command declares `-v/--verbose` and `--no-color` itself (so `seqops plan -h` lists them);
written before the command they are moved after it, where that command parses them.
"""

from __future__ import annotations

GLOBAL_OPTIONS = ("-v", "--verbose", "--no-color")


def hoist_global_options(args: list[str]) -> list[str]:
    """`args` with leading global options moved after the command's name, before its first
    option: never after an option that takes a value (`seqops -v plan --target` must not
    read `-v` as the target), nor after a `--`, after which everything is an argument."""
    leading: list[str] = []
    rest = list(args)
    while rest and rest[0] in GLOBAL_OPTIONS:
        leading.append(rest.pop(0))
    if not leading or not rest or rest[0].startswith("-"):
        return list(args)  # nothing to move, or options of seqops itself (--version, -h)
    end = rest.index("--") if "--" in rest else len(rest)
    at = next((i for i, arg in enumerate(rest[:end]) if arg.startswith("-")), end)
    return [*rest[:at], *leading, *rest[at:]]
