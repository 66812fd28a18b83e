"""How every command ends (DESIGN §3): exit 0 on success, 2 only for "changes" under
`--detailed-exitcode`, 1 for every error, usage errors included, each as one `error:` line;
130 and 143 when SIGINT or SIGTERM stopped an apply (`seqops.cli.interrupt`).

click exits 2 on a usage error and prints a box; an unexpected exception prints a traceback.
`run` sits between the entry point and click for every command, present and future, so no
command can reach a user with either.
"""

from __future__ import annotations

import difflib
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from seqops.cli import clickcompat as click
from seqops.cli.common import print_error

NO_SUCH_COMMAND = re.compile(r"No such command '([^']*)'")
OK, ERROR, CHANGES, INTERRUPTED, TERMINATED = 0, 1, 2, 130, 143
PASSED_THROUGH = {OK, ERROR, CHANGES, INTERRUPTED, TERMINATED}


def run(invoke: Callable[[], Any], *, verbose: bool, named: Callable[[], str] | None = None) -> int:
    """Call `invoke` (click in non-standalone mode) and turn whatever happens into an exit code,
    printing one line for any error. `named` says which command the command line names
    (`seqops plan`), for the usage errors click's parser raises without their context."""
    try:
        return exit_code(invoke())
    except click.ClickException as exc:
        if isinstance(exc, click.NoArgsIsHelpError):
            print(exc.format_message(), file=sys.stderr)  # the help itself
        else:
            print_error(usage_message(exc, named() if named else None))
    except click.Abort:
        print_error("aborted: nothing was changed after this point")
    except KeyboardInterrupt:
        print_error("interrupted")
        return INTERRUPTED
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print_error(exc.code)
            return ERROR
        return exit_code(exc.code)
    except Exception as exc:
        print_error(unexpected_message(exc, verbose=verbose))
        if verbose:
            from seqops.config import redact

            print(redact(traceback.format_exc()), file=sys.stderr, end="")
    return ERROR


def exit_code(value: Any) -> int:
    """A command's result as an exit code: None/0 is success; any other code an error is 1."""
    if value is None or value is False:
        return OK
    if isinstance(value, int) and value in PASSED_THROUGH:
        return value
    return ERROR


def unexpected_message(exc: BaseException, *, verbose: bool) -> str:
    """The last resort: a bug or an unforeseen environment, in one line (tokens redacted)."""
    from seqops.config import redact

    detail = " ".join(str(exc).split()) or "no details"
    hint = "" if verbose else " (run again with -v for the details)"
    return redact(f"unexpected {type(exc).__name__}: {detail}{hint}")


def usage_message(exc: click.ClickException, command: str | None = None) -> str:
    """click's message, in one line, lower-case, with a suggestion where one exists, and where
    to read the command's help (`command`, when the error does not say)."""
    ctx: click.Context | None = getattr(exc, "ctx", None)
    see = _see_help(ctx.command_path if ctx is not None else command)
    if isinstance(exc, click.NoSuchOption):
        return _no_such("option", exc.option_name, exc.possibilities, ctx, see)
    if isinstance(exc, click.BadParameter):
        return _bad_parameter(exc, see)
    unknown = NO_SUCH_COMMAND.match(exc.format_message())
    if unknown:
        return _no_such("command", unknown[1], None, ctx, see)
    return _one_line(exc.format_message()).rstrip(".") + see


def _no_such(
    what: str,
    name: str,
    possibilities: Sequence[str] | None,
    ctx: click.Context | None,
    see: str,
) -> str:
    message = f"no such {what} {name!r}"
    known = possibilities or _known(what, ctx)
    candidates = difflib.get_close_matches(name, known, n=3, cutoff=0.7)
    if candidates:
        quoted = " or ".join(repr(c) for c in candidates[:3])
        return f"{message} (did you mean {quoted}?)"
    return message + see


def _known(what: str, ctx: click.Context | None) -> list[str]:
    if ctx is None:
        return []
    if what == "command" and hasattr(ctx.command, "list_commands"):
        return list(ctx.command.list_commands(ctx))
    return [o for p in ctx.command.params for o in (*p.opts, *p.secondary_opts)]


def _bad_parameter(exc: click.BadParameter, see: str) -> str:
    message = exc.message
    for noise in ("Value error, ",):  # pydantic-style prefixes some converters add
        message = message.replace(noise, "")
    message = _one_line(message).rstrip(".")
    if isinstance(exc, click.MissingParameter):
        return _one_line(exc.format_message()).rstrip(".") + see
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = _error_hint(exc.param)
    if not isinstance(hint, str | None):
        hint = " / ".join(hint)
    where = f"invalid value for {hint}" if hint else "invalid value"
    return f"{where}: {message}"


def _error_hint(param: click.Parameter) -> str:
    """How typer names a parameter in errors (`'--parallelism'`); its own parameter classes
    say it (`TyperOption.get_error_hint`), click's base class does not."""
    hint = getattr(param, "get_error_hint", None)
    return str(hint()) if callable(hint) else " / ".join(repr(o) for o in param.opts)


def _one_line(message: str) -> str:
    text = " ".join(message.split())
    return text[:1].lower() + text[1:]


def _see_help(command: str | None) -> str:
    """Where to read the help of the command an error is about (`seqops plan`), if known."""
    return f" (see '{command} -h')" if command else ""
