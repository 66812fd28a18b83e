"""Old versions of sequences, settled once their prospects are counted (`seqops.plan.retiring`).

Every plan looks at the old versions in the account:

- a *superseded* version (still tagged with its key: a replace stopped before it rewrote the
  old version) gets the fate the replace would have given it: drained, retired, stopped,
  started or held, its tag and name rewritten first; it is written last, and only once every
  other change of its key succeeded, so the new version runs before the old one is touched;
- a *retiring* version (`--retiring`) keeps draining while it holds active or paused
  prospects (the plan lists it in `draining`), is retired (disabled, `--retired`, zero impact,
  no flag) once it holds nobody, and is enabled when it holds pending prospects and the
  manifest wants the sequence enabled;
- a *retired* version (`--retired`) still enabled is always disabled;
- a disabled sequence retired by `state: absent` or by a missing manifest that still holds
  pending prospects is re-tagged retired, naming them (they never start): --allow-disruption.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from seqops.manifest.models import Sequence
from seqops.plan.cadence import Cadence, CadenceStep, cadence_of
from seqops.plan.changes import Change, Disable, Enable, OldVersionWrites, Retag
from seqops.plan.diff import FieldDiff
from seqops.plan.live import is_enabled as enabled
from seqops.plan.live import spec_of
from seqops.plan.retiring import (
    DRAIN,
    HOLD,
    RETIRE,
    START,
    Draining,
    Outcome,
    fate_of,
    iso,
    stopped_words,
)
from seqops.plan.versions import is_retired, is_retiring, retired_owner, version_of
from seqops.providers.base import Impact, LiveObject

W = TypeVar("W", bound=OldVersionWrites)


@dataclass(frozen=True)
class Settled:
    changes: list[Change]
    draining: Draining | None = None


@dataclass(frozen=True)
class OldVersion:
    """An old version of the sequence `key`, to settle once its prospects are counted."""

    key: str
    live: LiveObject
    desired: Sequence | None = None
    current: LiveObject | None = None
    """The current version of the key (None: no manifest, or none live)."""

    @property
    def superseded(self) -> bool:
        return self.live.owner == self.key

    def settle(self, impact: Impact, now: dt.datetime) -> Settled:
        if is_retired(self.live.owner):
            return Settled([self.disable(impact)] if enabled(self.live) else [])
        fate = fate_of(
            impact,
            enabled=enabled(self.live),
            on_replace=self.on_replace if self.superseded else DRAIN,
            want_enabled=self.wants_enabled(),
        )
        if self.superseded:
            return Settled([self.rewrite(fate, impact, now)])
        return self.retiring(fate, impact, now)

    @property
    def on_replace(self) -> str:
        return self.desired.spec.onReplace if self.desired is not None else DRAIN

    def wants_enabled(self) -> bool:
        """Whether the manifest wants the sequence enabled (then pending prospects start)."""
        if self.desired is None:
            return False
        if self.desired.spec.enabled is not None:
            return self.desired.spec.enabled
        return self.current is not None and enabled(self.current)

    def retiring(self, fate: str, impact: Impact, now: dt.datetime) -> Settled:
        if fate == RETIRE:
            return Settled([self.rewrite(fate, impact, now)])
        if fate == START:
            diff = [FieldDiff("enabled", False, True)]
            words = Outcome.of(fate, self.key, self.live.display_name, False, None).says(impact)
            return Settled([self.change(Enable, diff, words)])
        return Settled([], self.draining(impact, now))

    def rewrite(self, fate: str, impact: Impact, now: dt.datetime) -> Change:
        """The old version re-tagged and renamed, then enabled, disabled or left running."""
        was = enabled(self.live)
        outcome = Outcome.of(
            fate, self.key, self.live.display_name, was, finishes_by(self.live, impact, now)
        )
        diff = outcome_diff(self.live, outcome)
        cls: type[OldVersionWrites] = {START: Enable, DRAIN: Retag, HOLD: Retag}.get(fate, Disable)
        words = self.why() + outcome.says(impact)
        return self.change(cls, diff, words, retire_as=outcome.owner, rename_to=outcome.name)

    def why(self) -> str:
        if not self.superseded:
            return "drained: "
        state = "still enabled" if enabled(self.live) else "still owned"
        then = (
            f", settled once v{version_of(self.current.display_name)} runs" if self.current else ""
        )
        return (
            f"resuming replace of Sequence/{self.key}: v{version_of(self.live.display_name)} "
            f"{self.live.display_name!r} left {state} by an interrupted replace{then}: "
        )

    def disable(self, impact: Impact) -> Disable:
        """A version tagged retired that still runs: disabled."""
        words = f"retired version {self.live.display_name!r} still enabled: disabled, " + (
            stopped_words(impact)
        )
        diff = [FieldDiff("enabled", True, False)]
        return self.change(Disable, diff, words)

    def change(
        self,
        cls: type[W],
        diff: list[FieldDiff],
        reason: str,
        retire_as: str | None = None,
        rename_to: str | None = None,
    ) -> W:
        return cls(
            kind="Sequence",
            name=self.key,
            existing=self.live,
            diff=diff,
            reason=reason,
            old_version=True,
            retire_as=retire_as,
            rename_to=rename_to,
        )

    def draining(self, impact: Impact, now: dt.datetime) -> Draining:
        return Draining(
            name=self.key,
            id=self.live.id,
            display_name=self.live.display_name,
            enabled=enabled(self.live),
            active=impact.active,
            paused=impact.paused,
            pending=impact.pending,
            finishes_by=finishes_by(self.live, impact, now),
        )


def outcome_diff(live: LiveObject, outcome: Outcome) -> list[FieldDiff]:
    """What the outcome writes on the old version, as `old_version.*` entries when it goes
    with a replace (see `seqops.plan.disruption`), else as the version's own fields."""
    diff = [FieldDiff("ownership", f"seqops:{live.owner}", f"seqops:{outcome.owner}")]
    if outcome.name != live.display_name:
        diff.append(FieldDiff("displayName", live.display_name, outcome.name))
    if outcome.enabled != outcome.was_enabled:
        diff.append(FieldDiff("enabled", outcome.was_enabled, outcome.enabled))
    return diff


def finishes_by(live: LiveObject, impact: Impact, now: dt.datetime) -> str | None:
    """The day the active prospects of `live` finish at the latest (`seqops.plan.cadence`)."""
    if not impact.active:
        return None
    return iso(cadence(live).finishes_by(now, impact.at_steps or (None,)))


def cadence(live: LiveObject) -> Cadence:
    spec = spec_of(live)
    ids = [s.id for s in live.steps] + [None] * len(spec.steps)
    steps = [CadenceStep(ids[i], s.wait or 0, s.date) for i, s in enumerate(spec.steps)]
    return cadence_of(steps, spec.sequenceType, spec.scheduleIntervalType)


def abandoned(live: LiveObject, name: str, reason: str, impact: Impact) -> list[Change]:
    """A disabled sequence retired (no manifest, `state: absent`) with pending prospects:
    re-tagged retired, saying who never starts; nothing when nobody waits in it."""
    if not impact.pending or enabled(live) or is_retiring(live.owner):
        return []
    diff = [FieldDiff("ownership", f"seqops:{live.owner}", f"seqops:{retired_owner(name)}")]
    return [
        Disable(
            kind="Sequence",
            name=name,
            existing=live,
            diff=diff,
            impact=impact,
            reason=f"{reason}: it stays disabled, {stopped_words(impact)}",
            retire_as=retired_owner(name),
        )
    ]
