"""`seqops doctor`: a read-only check of an account before the first plan (seqops.doctor)."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging

if TYPE_CHECKING:
    from seqops.config import OAuth
    from seqops.doctor.findings import Report
    from seqops.providers.outreach import OutreachProvider

NAME = "doctor"


class Format(StrEnum):
    text = "text"
    json = "json"


def command(
    target: TargetOption = None,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Check an account read-only before the first plan: access, limits, shapes, surprises."""
    from seqops.config import ConfigError
    from seqops.doctor import render
    from seqops.providers.base import ProviderError
    from seqops.providers.outreach import OutreachProvider
    from seqops.targets import open_target

    setup_logging(verbose)
    try:
        opened = open_target(target)
        if not isinstance(opened.provider, OutreachProvider):
            raise ProviderError(f"doctor checks Outreach accounts; {opened.description} is not one")
        report = asyncio.run(_examine(opened.provider, opened.description, opened.config.oauth))
    except (ConfigError, ProviderError) as exc:
        raise fail(str(exc)) from None
    if format is Format.json:
        print(render.as_json(report))
    else:
        console = make_console(no_color)
        for line in render.text(report):
            console.print(line, markup=False)
    if report.blocking:
        raise typer.Exit(1)


async def _examine(provider: OutreachProvider, description: str, oauth: OAuth | None) -> Report:
    from seqops.doctor import examine

    try:
        return await examine(provider.client, description, oauth)
    finally:
        await provider.aclose()
