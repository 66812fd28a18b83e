"""What becomes of an old version of a sequence, and the plain words the plan says about it.

Outreach sends nothing to anyone in a disabled sequence: its active prospects stop where they
are, its pending ones never start. So an old version left by a replace is, by its prospects:

- `drain`: it holds active or paused prospects: it stays enabled, re-tagged
  `seqops:<name>--retiring` and renamed `<displayName> (vM, retiring)` so nobody adds people
  to it; they keep their cadence until they finish, and a later plan disables it once empty;
- `retire`: it holds nobody: re-tagged `--retired`, renamed `(vM, retired)`, disabled;
- `stop` (`spec.onReplace: stop`): retired at once, whoever is in it: its prospects get no
  further steps (needs --allow-disruption);
- `start`: disabled with pending prospects, and the manifest wants the sequence enabled: it
  is enabled too and drains, so they start the cadence they were enrolled into
  (--allow-disruption);
- `hold`: disabled with pending prospects, and the sequence stays disabled: it is re-tagged
  retiring and they stay pending, never started (named in the plan, --allow-disruption).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from seqops.plan.versions import (
    RETIRED,
    RETIRING,
    old_version_name,
    retired_owner,
    retiring_owner,
    version_of,
)
from seqops.providers.base import Impact

DRAIN, RETIRE, STOP, START, HOLD = "drain", "retire", "stop", "start", "hold"
ON_REPLACE = (DRAIN, STOP)


def fate_of(impact: Impact, *, enabled: bool, on_replace: str, want_enabled: bool) -> str:
    """What becomes of an old version with `impact` prospects in it (see the module)."""
    if not impact.enrolled:
        return RETIRE
    if on_replace == STOP:
        return STOP
    if enabled:
        return DRAIN
    return START if want_enabled else HOLD


@dataclass(frozen=True)
class Outcome:
    """The writes that make an old version what its fate says, and the words for them."""

    fate: str
    version: int
    """Its version number (1 for a name without suffix)."""
    owner: str
    """The ownership key it gets (`<name>--retiring` or `<name>--retired`)."""
    name: str
    """The display name it gets (`Demo (v1, retiring)`)."""
    was_enabled: bool
    finishes_by: str | None = None
    """Draining: the day (ISO) by which its active prospects finish at the latest."""

    @classmethod
    def of(
        cls, fate: str, key: str, display_name: str, was_enabled: bool, finishes_by: str | None
    ) -> Outcome:
        retiring = fate in (DRAIN, START, HOLD)
        return cls(
            fate=fate,
            version=version_of(display_name),
            owner=retiring_owner(key) if retiring else retired_owner(key),
            name=old_version_name(display_name, RETIRING if retiring else RETIRED),
            was_enabled=was_enabled,
            finishes_by=finishes_by if fate == DRAIN else None,
        )

    @property
    def enabled(self) -> bool:
        """Whether it is enabled once the outcome is written."""
        if self.fate in (RETIRE, STOP):
            return False
        return self.was_enabled or self.fate == START

    def reaches(self, impact: Impact) -> bool:
        """Stopping, starting or stranding prospects reaches them; draining does not."""
        return self.fate in (STOP, START, HOLD) and impact.enrolled > 0

    def says(self, impact: Impact) -> str:
        """What happens to the people in it, in plain words."""
        v = f"v{self.version}"
        if self.fate == DRAIN:
            return f"{_drain_words(impact, v, self.finishes_by)}; {v} is renamed {self.name!r} " + (
                "so nobody adds people to it, and a later plan disables it once it holds nobody"
            )
        if self.fate == RETIRE:
            off = "disabled (no step fires for anyone in it) and " if self.was_enabled else ""
            return f"{v} holds nobody: it is {off}renamed {self.name!r}"
        if self.fate == STOP:
            return f"onReplace: stop: {v} is disabled now, no step fires for anyone in it: " + (
                stopped_words(impact) + f"; renamed {self.name!r}"
            )
        if self.fate == START:
            return (
                f"{_waiting(impact, 'start', 'resume')} {v}'s cadence: {v} is enabled too and "
                f"drains (renamed {self.name!r})"
            )
        return (
            f"{_waiting(impact, 'stay', 'stay')} in {v}, which stays disabled: nothing is sent "
            f"to them unless it is enabled (renamed {self.name!r})"
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        return cls(**data)


def stopped_words(impact: Impact) -> str:
    """`7 active prospects get no further steps, 2 paused ones never resume, 1 pending one
    never starts`: what disabling does to the people in a sequence."""
    parts = []
    if impact.active:
        parts.append(
            f"{_people(impact.active, 'active')} {_verb(impact.active, 'get')} no further steps"
        )
    if impact.paused:
        parts.append(f"{_people(impact.paused, 'paused')} never {_verb(impact.paused, 'resume')}")
    if impact.pending:
        parts.append(f"{_people(impact.pending, 'pending')} never {_verb(impact.pending, 'start')}")
    return ", ".join(parts) or "nobody is in it"


def started_words(impact: Impact) -> str:
    """`12 pending prospects start its cadence`: what enabling does."""
    if not impact.pending:
        return ""
    return f"{_pending(impact)} {_verb(impact.pending, 'start')} its cadence"


def _drain_words(impact: Impact, version: str, finishes_by: str | None) -> str:
    parts = []
    if impact.active:
        by = f", at the latest on {finishes_by}" if finishes_by else ""
        parts.append(
            f"{_people(impact.active, 'active')} {_verb(impact.active, 'keep')} their cadence "
            f"in {version} until they finish{by}"
        )
    if impact.paused:
        parts.append(
            f"{_people(impact.paused, 'paused')} {_verb(impact.paused, 'go', 'goes')} on in "
            f"{version} when resumed"
        )
    return "; ".join(parts)


def _waiting(impact: Impact, pending_verb: str, stopped_verb: str) -> str:
    """Who waits in a disabled sequence: `12 pending prospects start` and, for those it
    stopped when it was disabled, `3 stopped prospects resume`."""
    parts = []
    if impact.pending:
        parts.append(f"{_pending(impact)} {_verb(impact.pending, pending_verb)}")
    if impact.total:
        stopped = _people(impact.total, "stopped")
        parts.append(f"{stopped} {_verb(impact.total, stopped_verb)}")
    return " and ".join(parts)


def _pending(impact: Impact) -> str:
    return _people(impact.pending, "pending")


def _people(n: int, state: str) -> str:
    return f"{n} {state} prospect{'s' if n != 1 else ''}"


def _verb(n: int, plural: str, singular: str | None = None) -> str:
    """The verb agreeing with `n` prospects: `1 prospect starts`, `2 prospects start`."""
    return plural if n != 1 else singular or f"{plural}s"


@dataclass(frozen=True)
class Draining:
    """A retiring version still holding people: shown by every plan until it is empty."""

    name: str
    """The key of its sequence."""
    id: int
    display_name: str
    enabled: bool
    active: int = 0
    paused: int = 0
    pending: int = 0
    finishes_by: str | None = None

    def __str__(self) -> str:
        head = f"Sequence/{self.name} {self.display_name!r} (id {self.id})"
        if not self.enabled:
            waiting = _waiting(Impact(self.active, self.paused, self.pending), "wait", "wait")
            return f"{head} is disabled: {waiting} in it, sent nothing unless it is enabled"
        impact = Impact(self.active, self.paused)
        return f"{head} drains: {_drain_words(impact, 'it', self.finishes_by)}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draining:
        return cls(**data)


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
