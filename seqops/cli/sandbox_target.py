"""The Outreach sandbox a `seqops sandbox enroll|advance` command acts on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from seqops.providers.base import ProviderError

if TYPE_CHECKING:
    from seqops.providers.outreach import OutreachProvider


def open_sandbox(target: str | None, console: Console) -> OutreachProvider:
    """Its provider, its name printed first; ProviderError for a target of another provider,
    ConfigError for one seqops.yaml does not describe."""
    from seqops.providers.outreach import OutreachProvider
    from seqops.targets import open_target

    opened = open_target(target)
    if not isinstance(opened.provider, OutreachProvider):
        raise ProviderError(f"{opened.description} is not an Outreach sandbox")
    console.print(f"Target: {opened.description}", markup=False)
    return opened.provider
