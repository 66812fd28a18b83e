"""Prospects counted again right before a change's first write (DESIGN §4).

Prospects move without touching `updatedAt`: someone may enrol people into a sequence between
the plan and the apply (a saved plan can wait days for its review). So before the first write
of every change that could reach prospects, apply counts them again (a sequence: its own; a
Template or Ruleset: those of the sequences that use it) and applies the disruption rule to
what it finds, saved plan or not: a change that now reaches prospects without
--allow-disruption fails as refused, naming the counts that matter; the rest of the plan goes
on as its dependencies allow. Creates have nobody to count; with --allow-disruption (or the
rule turned off for the target) nothing needs counting.
"""

from __future__ import annotations

from dataclasses import dataclass

from seqops.plan.changes import (
    Adopt,
    Change,
    Disable,
    Enable,
    Replace,
    Retag,
    RuleDrift,
    Update,
)
from seqops.plan.finishing import carried
from seqops.plan.retiring import stopped_words
from seqops.plan.safety import counts
from seqops.providers.base import Impact, Provider, ProviderError

COUNTED = (Update, Adopt, Replace, Enable, Disable, Retag)


class Refused(ProviderError):
    """The change reaches prospects counted just now, and --allow-disruption was not given."""


@dataclass(frozen=True)
class Recount:
    provider: Provider
    allow_disruption: bool = False
    rule: bool = True
    """The target's disruption rule (seqops.yaml `safety.disruption`)."""

    def counts(self, change: Change) -> bool:
        """Whether `change` is counted again before it writes."""
        if self.allow_disruption or not self.rule or isinstance(change, RuleDrift):
            return False
        if not isinstance(change, COUNTED) or change.existing is None:
            return False
        if isinstance(change, Update) and not isinstance(change, Retag):
            return change.reaches_in_flight()
        return change.kind == "Sequence"

    async def check(self, change: Change) -> None:
        """Raise `Refused` when `change` reaches the prospects in it now."""
        if not self.counts(change):
            return
        now = await self.impact(change)
        if change.reaches(now):
            raise Refused(refusal(change, change.impact or Impact(), now))

    async def impact(self, change: Change) -> Impact:
        if change.kind == "Sequence":
            id = change.live.id
            return (await self.provider.impact([id]))[id]
        ids = [id for id, _ in change.carriers]
        return carried(change.carriers, await self.provider.impact(ids) if ids else {})


def refusal(change: Change, planned: Impact, now: Impact) -> str:
    """`refused by the disruption rule: 3 pending prospects enrolled since the plan would
    start (now 0 active, 0 paused, 3 pending); rerun with --allow-disruption`."""
    return (
        f"refused by the disruption rule: {since(change, planned, now)} (now {counts(now)}); "
        "rerun with --allow-disruption"
    )


def since(change: Change, planned: Impact, now: Impact) -> str:
    """What the new count means for this change, in plain words."""
    new_pending = now.pending - planned.pending
    new_total = now.total - planned.total
    if isinstance(change, Enable | Replace | Retag) and new_pending > 0:
        return f"{new_pending} pending prospect{'s' if new_pending != 1 else ''} enrolled since the plan would start"
    if isinstance(change, Disable):
        return f"disabling it now: {stopped_words(now)}"
    if new_total > 0:
        return f"{new_total} prospect{'s' if new_total != 1 else ''} joined since the plan, and it reaches them"
    return "it reaches the prospects in it"
