"""The API budget of a plan: about how many requests its apply will make, against what the
API says is left of its rate limit (DESIGN §4, issue 28).

    apply: about 1,240 requests; 9,870 of 10,000 left this hour

The estimate follows what the executor sends for each kind of change: the writes themselves
(one per object, step and template binding; a replace creates the whole new version and then
relabels and switches the old one), the `updatedAt` check before the first write to an
existing object, the prospect count apply takes again before a change that may reach
prospects, and the listing per phase that settles races. It is an estimate, not a promise:
retries, recovered lost answers and racing applies add to it.

An apply larger than what is left of the window is not refused: the client paces itself
(it waits for the window to reset, saying so) and the plan says when it should be done.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from seqops.manifest.models import Sequence
from seqops.plan.changes import (
    Change,
    Create,
    OldVersionWrites,
    Replace,
    RuleDrift,
    Update,
)
from seqops.providers.base import RateBudget

WINDOW = 3600.0
"""Outreach's rate-limit window: an hour."""
SETTLE_PHASES = (("Template", "Ruleset"), ("Sequence",))
"""Phases whose creates are settled with one listing each (`providers/outreach/races`)."""


@dataclass(frozen=True)
class ApiBudget:
    requests: int
    """About how many requests the apply sends (its reads of the account not counted)."""
    limit: int | None = None
    remaining: int | None = None
    resets_in: float | None = None
    """Seconds until the window resets, when the plan was made."""

    @property
    def known(self) -> bool:
        return self.limit is not None and self.remaining is not None

    @property
    def windows_after(self) -> int:
        """Windows beyond this one the apply needs (0: it fits in what is left)."""
        if self.limit is None or self.remaining is None or self.requests <= self.remaining:
            return 0
        return math.ceil((self.requests - self.remaining) / max(self.limit, 1))

    @property
    def eta(self) -> float | None:
        """Seconds until a paced apply should be done (None: it is not paced)."""
        if not self.windows_after:
            return None
        return (self.resets_in or 0.0) + (self.windows_after - 1) * WINDOW

    def __str__(self) -> str:
        text = f"apply: about {self.requests:,} request{'s' if self.requests != 1 else ''}"
        if not self.known:
            return text
        text += f"; {self.remaining:,} of {self.limit:,} left this hour"
        if self.eta is not None:
            text += (
                f"; more than is left: apply paces itself across {self.windows_after + 1} "
                f"windows and should be done in about {duration(self.eta)}"
            )
        return text

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["resets_in"] = None if self.resets_in is None else round(self.resets_in)
        return {**data, "eta_seconds": None if self.eta is None else round(self.eta)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ApiBudget | None:
        if not data:
            return None
        return cls(
            data["requests"], data.get("limit"), data.get("remaining"), data.get("resets_in")
        )


def estimate(
    changes: list[Change], budget: RateBudget | None, *, recounted: bool = True
) -> ApiBudget:
    """The budget of an apply of `changes` against `budget` (None: the API reports none).
    `recounted`: apply counts prospects again before changes that may reach them (not when
    the plan needs --allow-disruption: that flag lifts the rule, and the count with it)."""
    requests = sum(requests_of(c, recounted) for c in changes) + settle_listings(changes)
    if budget is None:
        return ApiBudget(requests)
    return ApiBudget(requests, budget.limit, budget.remaining, budget.resets_in)


def requests_of(change: Change, recounted: bool = True) -> int:
    """About how many requests the executor sends for `change`: its `updatedAt` check, the
    prospects counted again (one count per sequence), then its writes."""
    if isinstance(change, RuleDrift):
        return 0  # never executed: Coefficy is read-only
    checks = int(change.existing is not None)
    if recounted and change.impact is not None:
        checks += max(len(change.carriers), 1)
    return checks + _writes(change)


def _writes(change: Change) -> int:
    if isinstance(change, Replace):
        old_state = change.outcome is not None and change.outcome.enabled != _enabled(change)
        return _created(change.sequence) + change.enable_new + 1 + old_state
    if isinstance(change, Create):
        return _created(change.manifest) if change.kind == "Sequence" else 1
    if isinstance(change, Update):
        steps = sum(_step_write(change, w.order, w.live is None) for w in change.steps)
        return change.write_attributes + steps
    if isinstance(change, OldVersionWrites):
        return bool(change.retire_as or change.rename_to) + 1
    return 1


def _enabled(change: Change) -> bool:
    resource = change.existing.resource if change.existing else None
    return isinstance(resource, Sequence) and bool(resource.spec.enabled)


def settle_listings(changes: list[Change]) -> int:
    """One listing per phase that creates objects (`providers/outreach/races`)."""
    creating = {c.kind for c in changes if isinstance(c, Create | Replace)}
    return sum(bool(creating & set(kinds)) for kinds in SETTLE_PHASES)


def _created(resource: object) -> int:
    """A new sequence: itself, each step, each template bound to a step."""
    if not isinstance(resource, Sequence):
        return 1
    return 1 + sum(1 + len(step.variants) for step in resource.spec.steps)


def _step_write(change: Update, order: int, new: bool) -> int:
    """A step written in place: created (and bound), or checked, patched and its bindings
    kept (patched) or made."""
    desired = change.desired
    variants = 0
    if isinstance(desired, Sequence) and 0 < order <= len(desired.spec.steps):
        variants = len(desired.spec.steps[order - 1].variants)
    return 1 + variants if new else 2 + variants


def duration(seconds: float) -> str:
    """`47 min`, `2 h 5 min`, `less than a minute`."""
    if seconds < 60:
        return "less than a minute"
    minutes = math.ceil(seconds / 60)
    if minutes == 1:
        return "a minute"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
