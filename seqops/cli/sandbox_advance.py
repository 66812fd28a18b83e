"""`seqops sandbox advance DURATION`: time passes in the sandbox (all logic in
`seqops.sandbox.advance`, reached through `seqops.providers.outreach.advance`)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging
from seqops.cli.sandbox_target import open_sandbox
from seqops.config import ConfigError
from seqops.manifest.durations import ACCEPTED, parse_duration
from seqops.providers.base import ProviderError

if TYPE_CHECKING:
    from seqops.providers.outreach import OutreachProvider
    from seqops.providers.outreach.advance import Advanced


def advance(
    duration: Annotated[
        str, typer.Argument(metavar="DURATION", help="How long passes: 90m, 3d, 1w...")
    ],
    target: TargetOption = None,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Let time pass: active prospects move through the steps of enabled sequences."""
    setup_logging(verbose)
    console = make_console(no_color)
    seconds = _seconds(duration)
    try:
        provider = open_sandbox(target, console)
        done = asyncio.run(_run(provider, seconds))
    except (ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None
    console.print(
        f"Advanced {duration.strip()}: the sandbox's time is now {done.now}.\n"
        f"{done.steps_fired} steps fired ({done.delivered} emails delivered, {done.opened} "
        f"opened, {done.replied} replied); {done.finished} prospects finished.",
        markup=False,
    )


def _seconds(duration: str) -> int:
    try:
        seconds = parse_duration(duration)
    except ValueError:
        raise fail(f"{duration!r} is not a duration: {ACCEPTED}") from None
    if not seconds:
        raise fail("DURATION must be more than 0: write 90m, 3d or 1w")
    return seconds


async def _run(provider: OutreachProvider, seconds: int) -> Advanced:
    from seqops.providers.outreach.advance import advance as move

    try:
        return await move(provider.client, seconds)
    finally:
        await provider.aclose()
