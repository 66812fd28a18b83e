"""`seqops export`: an existing account as manifests, one file per object, ready to adopt."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from seqops.atomic import WriteError
from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging
from seqops.config import ConfigError
from seqops.export import (
    ExportResult,
    OverwriteError,
    SelectionError,
    WriteReport,
    export,
)
from seqops.export.existing import read_directory
from seqops.export.reexport import write_into
from seqops.providers.base import LiveState, Provider, ProviderError
from seqops.targets import Target, open_target

NAME = "export"

Out = Annotated[
    Path,
    typer.Option(
        "--out",
        "-o",
        metavar="DIR",
        help="Directory to write into. If it already holds manifests that differ from the "
        "account, export refuses and names them (nothing written) unless --update; objects "
        "without a manifest there get new files; files that are not seqops manifests are "
        "never overwritten.",
    ),
]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        "-s",
        help="Export only these (exported or display names; repeat or comma-separate), "
        "with the templates and rulesets they use.",
    ),
]
OwnedOnly = Annotated[
    bool, typer.Option("--owned-only", help="Only objects seqops owns (tagged seqops:<name>).")
]
Update = Annotated[
    bool,
    typer.Option(
        "--update",
        help="Rewrite the manifests already in DIR in place: only the fields that changed in "
        "the account (comments, labels and layout kept), instead of refusing.",
    ),
]


def command(
    target: TargetOption = None,
    out: Out = Path("."),
    select: Select = None,
    owned_only: OwnedOnly = False,
    update: Update = False,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Write the live sequences, templates and rulesets as manifests that plan adopts."""
    setup_logging(verbose)
    console = make_console(no_color)
    opened = _open(target)
    provider = opened.provider
    console.print(f"Target: {provider.description}", markup=False)
    names = select or None
    whole = names is None and not owned_only
    try:
        state, requests = asyncio.run(_read(provider, console))
        directory = read_directory(out, state, opened.overlay)
        result = _export(state, names, owned_only, console, directory.names)
        report, notes = write_into(result, directory, out, update=update, find_stale=whole)
    except (ProviderError, SelectionError, OverwriteError, ConfigError) as exc:
        raise fail(str(exc)) from None
    except WriteError as exc:
        raise fail(f"{exc}: the export stopped there") from None
    except OSError as exc:  # the folder itself: unreadable, not creatable
        where = exc.filename or out
        raise fail(f"{where}: cannot write the export: {exc.strerror or exc}") from None
    result.warnings += notes
    _summary(console, out, result, report, requests)


def _open(name: str | None) -> Target:
    try:
        target = open_target(name)
    except (ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None
    if not isinstance(target.provider, Provider):
        raise fail(
            f"{target.description}: export reads Outreach accounts only "
            "(the Coefficy API is read-only and has no sequences to export)"
        )
    return target


async def _read(provider: Provider, console: Console) -> tuple[LiveState, int]:
    """The whole account, with a spinner counting requests on a terminal."""
    client = getattr(provider, "client", None)
    try:
        with _progress(console) as progress:
            task = progress.add_task("Reading the account", total=None)
            reading = asyncio.ensure_future(provider.read())
            while not reading.done():
                await asyncio.wait([reading], timeout=0.1)
                sent = getattr(client, "request_count", 0)
                progress.update(task, description=f"Reading the account ({sent} requests)")
            return reading.result(), getattr(client, "request_count", 0)
    finally:
        await provider.aclose()


def _export(
    state: LiveState,
    names: list[str] | None,
    owned_only: bool,
    console: Console,
    kept: dict[tuple[str, int], str],
) -> ExportResult:
    with _progress(console) as progress:
        task = progress.add_task("Writing manifests", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return export(state, select=names, owned_only=owned_only, on_progress=advance, names=kept)


def _progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def _summary(
    console: Console, out: Path, result: ExportResult, report: WriteReport, requests: int
) -> None:
    kinds = ", ".join(
        _plural(result.counts.get(kind, 0), word)
        for kind, word in (
            ("Sequence", "sequence"),
            ("Template", "template"),
            ("Ruleset", "ruleset"),
        )
    )
    changes = (
        f"{len(report.created)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )
    console.print(
        f"Exported {kinds} to {out} ({changes}; {_plural(requests, 'request')}).", markup=False
    )
    for path in report.stale:
        result.warnings.append(
            f"{out / path} is no longer in the account: left in place (delete it, or plan "
            "will create it again)"
        )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
