"""`seqops status`: enrollments per sequence of the target.

Dispatches on the target's provider: each provider has one function that reads and prints.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import replace
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging
from seqops.config import ConfigError, TargetConfig, resolve_target
from seqops.plan.cadence import CadenceStep, cadence_of
from seqops.providers.base import ProviderError
from seqops.providers.coefficy.provider import CoefficyProvider
from seqops.providers.coefficy.status import SequenceStatus, parse_since, read_status
from seqops.providers.outreach import OutreachProvider
from seqops.providers.outreach.provider import server_time
from seqops.providers.outreach.status import STATES, Drain, read_drains
from seqops.providers.outreach.status import SequenceStatus as OutreachStatus
from seqops.providers.outreach.status import read_status as read_outreach_status
from seqops.sanitize import terminal
from seqops.targets import build_provider

NAME = "status"


class Format(StrEnum):
    text = "text"
    json = "json"


Since = Annotated[
    str | None,
    typer.Option(help="Coefficy: only actions that succeeded in this window (15m or more)."),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def command(
    target: TargetOption = None,
    since: Since = None,
    format: FormatOption = Format.text,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Show enrollments per sequence: outcomes and automations (Coefficy), states (Outreach)."""
    setup_logging(verbose)
    try:
        config = resolve_target(target)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    console = make_console(no_color)
    show = coefficy_status if config.provider == "coefficy" else outreach_status
    show(config, console, since=since, format=format)


def outreach_status(
    target: TargetConfig, console: Console, *, since: str | None, format: Format
) -> None:
    """Per Outreach sequence: owned by which manifest, enabled, steps, prospects by state."""
    if since is not None:
        raise fail("--since is for Coefficy targets; Outreach status counts every enrollment")
    try:
        statuses = asyncio.run(_read_outreach(target))
    except (ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None
    if format is Format.json:
        document = {"target": target.description, "provider": "outreach"}
        print(json.dumps({**document, "sequences": [s.to_json() for s in statuses]}, indent=2))
    else:
        _print_outreach(console, target, statuses)


async def _read_outreach(target: TargetConfig) -> list[OutreachStatus]:
    provider = build_provider(target)
    try:
        if not isinstance(provider, OutreachProvider):
            raise ProviderError(f"{target.provider} targets have no Outreach status")
        statuses = await read_outreach_status(provider.client)
        drains = await read_drains(provider.client, statuses)
        now = server_time(provider.client.last_headers) or dt.datetime.now(dt.UTC)
        return finishing_days(statuses, drains, now)
    finally:
        await provider.aclose()


def finishing_days(
    statuses: list[OutreachStatus], drains: list[Drain], now: dt.datetime
) -> list[OutreachStatus]:
    """`statuses` with `finishes_by` set for each draining version (`seqops.plan.cadence`)."""
    days = {d.id: _drain_day(d, now) for d in drains}
    return [replace(s, finishes_by=days[s.id]) if s.id in days else s for s in statuses]


def _drain_day(drain: Drain, now: dt.datetime) -> str | None:
    steps = [
        CadenceStep(id, wait, dt.date.fromisoformat(date) if date else None)
        for id, wait, date in drain.steps
    ]
    day = cadence_of(steps, drain.sequence_type, drain.schedule).finishes_by(now, drain.at_steps)
    return None if day is None else day.isoformat()


OUTREACH_COLUMNS = ("Steps", "Active", "Paused", "Pending", "Finished")
RETIRING_COLUMNS = ("Active", "Paused", "Pending", "Finishes by")


def _print_outreach(console: Console, target: TargetConfig, statuses: list[OutreachStatus]) -> None:
    console.print(f"Target: {terminal(target.description, one_line=True)}", markup=False)
    if not statuses:
        console.print("No sequences.")
        return
    table = Table(title="Prospects per sequence", title_justify="left")
    # Names wrap on a narrow terminal, never cut to `trial-nurtur…`
    table.add_column("Sequence", overflow="fold")
    table.add_column("Manifest", overflow="fold")
    table.add_column("Enabled")
    for name in OUTREACH_COLUMNS:
        table.add_column(name, justify="right")
    for s in statuses:
        counts = _cells(s.steps) + [_count(s, state) for state in STATES]
        name, key = terminal(s.name, one_line=True), terminal(s.key or "—", one_line=True)
        table.add_row(escape(name), escape(key), "yes" if s.enabled else "no", *counts)
    console.print(table)
    retiring = [s for s in statuses if s.retiring]
    if retiring:
        console.print(_retiring_table(retiring))


def _retiring_table(statuses: list[OutreachStatus]) -> Table:
    """Old versions draining: nobody new joins them; their prospects finish by a day."""
    table = Table(title="Retiring versions (draining)", title_justify="left")
    table.add_column("Sequence", overflow="fold")
    table.add_column("Enabled")
    for name in RETIRING_COLUMNS:
        table.add_column(name, justify="right")
    for s in statuses:
        by = s.finishes_by or ("never started" if s.pending and not s.enabled else "—")
        cells = _cells(s.active, s.paused, s.pending)
        name = escape(terminal(s.name, one_line=True))
        table.add_row(name, "yes" if s.enabled else "no", *cells, by)
    return table


def coefficy_status(
    target: TargetConfig, console: Console, *, since: str | None, format: Format
) -> None:
    """Per Coefficy sequence: started, succeeded, failed, ended, stopped, automations executed."""
    try:
        minutes = parse_since(since) if since else None
        statuses = asyncio.run(_read_coefficy(target, minutes))
    except (ValueError, ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None
    if format is Format.json:
        print(json.dumps(_json(target, minutes, statuses), indent=2))
    else:
        _print_text(console, target, minutes, statuses)


async def _read_coefficy(target: TargetConfig, minutes: int | None) -> list[SequenceStatus]:
    async with CoefficyProvider.from_target(target) as provider:
        return await read_status(provider, minutes)


def _json(target: TargetConfig, minutes: int | None, statuses: list[SequenceStatus]) -> dict:
    return {
        "target": target.description,
        "provider": "coefficy",
        "since_minutes": minutes,
        "sequences": [s.to_json() for s in statuses],
    }


OUTCOME_COLUMNS = ("Started", "Succeeded", "Failed", "Ended", "Stopped by user")
AUTOMATION_COLUMNS = ("Relaunch", "Start seq.", "Campaign", "Opportunity", "Unsubscribe")


def _print_text(
    console: Console, target: TargetConfig, minutes: int | None, statuses: list[SequenceStatus]
) -> None:
    console.print(f"Target: {terminal(target.description, one_line=True)}", markup=False)
    window = f", succeeded in the last {minutes} min" if minutes else ""
    if not statuses:
        console.print(f"No Coefficy sequence actions{window}.")
        return
    # Two tables rather than one of eleven columns, so both fit an 80-column terminal.
    outcomes = _table(f"Coefficy sequence actions{window}", OUTCOME_COLUMNS)
    automations = _table("Automations executed (success, failure, no success)", AUTOMATION_COLUMNS)
    for status in statuses:
        counts = (status.started, status.succeeded, status.failed, status.ended)
        outcomes.add_row(*_cells(status.sequence_id, *counts, status.stopped_by_user))
        executed = status.automations_executed.values()
        automations.add_row(*_cells(status.sequence_id, *executed))
    console.print(outcomes)
    console.print(automations)


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("Sequence")
    for name in columns:
        table.add_column(name, justify="right")
    return table


def _cells(*values: int) -> list[str]:
    return [str(value) for value in values]


def _count(status: OutreachStatus, state: str) -> str:
    """`12`, or `at least 10000` when the API capped the count."""
    value = getattr(status, state)
    return f"at least {value}" if state in status.at_least else str(value)
