"""`seqops sandbox enroll`: put sandbox prospects into a sequence (all logic in
`seqops.providers.outreach.enrolment`)."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging
from seqops.cli.sandbox_target import open_sandbox
from seqops.config import ConfigError
from seqops.providers.base import ProviderError

if TYPE_CHECKING:
    from seqops.providers.outreach import OutreachProvider
    from seqops.providers.outreach.enrolment import Enrolment


class State(StrEnum):
    active = "active"
    paused = "paused"


def enroll(
    sequence: Annotated[
        str, typer.Argument(metavar="SEQUENCE", help="Metadata name, display name or id.")
    ],
    prospects: Annotated[
        int, typer.Option("--prospects", min=1, help="How many prospects to enrol.")
    ] = 5,
    state: Annotated[
        State, typer.Option("--state", help="The state they are left in.")
    ] = State.active,
    target: TargetOption = None,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Enrol sandbox prospects into a sequence, as the seed's enrolment rules allow."""
    setup_logging(verbose)
    console = make_console(no_color)
    try:
        provider = open_sandbox(target, console)
        result = asyncio.run(_run(provider, sequence, prospects, state.value))
    except (ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None
    for line in report(result, prospects):
        console.print(line, markup=False)
    if not result.enrolled:
        raise typer.Exit(1)


async def _run(provider: OutreachProvider, sequence: str, count: int, state: str) -> Enrolment:
    from seqops.providers.outreach.enrolment import enrol

    try:
        return await enrol(provider.client, sequence, count, state)
    finally:
        await provider.aclose()


def report(result: Enrolment, wanted: int) -> list[str]:
    match = result.sequence
    lines = [f"Sequence: {match.name!r} (id {match.id}), matched by {match.by}"]
    state = "pending until the sequence is enabled" if result.pending else result.state
    enrolled = f"Enrolled {len(result.enrolled)} of {wanted} prospects ({state})"
    lines.append(enrolled + (f": {ids(result.enrolled)}" if result.enrolled else "."))
    skipped = sum(len(v) for v in result.skipped.values())
    if skipped:
        lines.append(f"Skipped {skipped} that the enrolment rules refuse:")
        for rule, prospects in result.skipped.items():
            reason = result.reasons[rule].rsplit(f"{rule}: ", 1)[-1]
            lines.append(
                f"  {len(prospects)} by {rule} (prospects {ids(prospects)}), e.g. {reason}"
            )
    if len(result.enrolled) < wanted:
        lines.append("Every other prospect of the sandbox is already in this sequence or refused.")
    return lines


def ids(values: list[int], shown: int = 10) -> str:
    more = f" and {len(values) - shown} more" if len(values) > shown else ""
    return ", ".join(map(str, values[:shown])) + more
