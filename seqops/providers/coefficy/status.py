"""Enrollment status of Coefficy sequences: outcomes and executed automations, per sequence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from seqops.manifest.durations import parse_duration
from seqops.providers.coefficy.mapping import FAMILIES, KINDS, Action
from seqops.providers.coefficy.provider import MIN_POLLING_MINUTES, CoefficyProvider

OUTCOME_FLAGS = {
    "succeeded": "success",
    "failed": "failure",
    "ended": "isEnded",
    "stopped_by_user": "userStopped",
}


@dataclass
class SequenceStatus:
    """Counts over the actions of one Coefficy sequence."""

    sequence_id: int
    started: int = 0
    succeeded: int = 0
    failed: int = 0
    ended: int = 0
    stopped_by_user: int = 0
    executed: dict[str, int] = field(default_factory=lambda: {f.path: 0 for f in FAMILIES})
    """Executed automations per family path (`onFailure.relaunchPersona`, `unsubscribe`, ...)."""

    def add(self, action: Action) -> None:
        self.started += 1
        for counter, flag in OUTCOME_FLAGS.items():
            if action.get(flag):
                setattr(self, counter, getattr(self, counter) + 1)
        for family in FAMILIES:
            self.executed[family.path] += family.executed(action)

    @property
    def automations_executed(self) -> dict[str, int]:
        """Executed automations per kind: relaunch, sequence, campaign, opportunity, unsubscribe."""
        totals = dict.fromkeys(KINDS, 0)
        for family in FAMILIES:
            totals[family.kind] += self.executed[family.path]
        return totals

    def to_json(self) -> dict[str, Any]:
        return {
            "sequence_id": self.sequence_id,
            "started": self.started,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "ended": self.ended,
            "stopped_by_user": self.stopped_by_user,
            "automations_executed": self.automations_executed,
            "automations_executed_by_family": dict(self.executed),
        }


def sequence_statuses(actions: Iterable[Action]) -> list[SequenceStatus]:
    """One status per sequence that has actions, by sequence id."""
    statuses: dict[int, SequenceStatus] = {}
    for action in actions:
        sequence_id = action["idSequence"]
        statuses.setdefault(sequence_id, SequenceStatus(sequence_id)).add(action)
    return [statuses[k] for k in sorted(statuses)]


async def read_status(
    provider: CoefficyProvider, since_minutes: int | None = None
) -> list[SequenceStatus]:
    """Every action of the account, or those that succeeded in the last `since_minutes`."""
    return sequence_statuses(await provider.sequence_actions(polling_minutes=since_minutes))


def parse_since(text: str) -> int:
    """`--since 15m` -> 15 minutes (pollingSuccess). Raises ValueError with what to write."""
    if not text.strip() or text.strip()[-1] not in "smhdw":
        raise ValueError(f"--since {text!r}: write a duration with a unit, like 15m, 2h or 1d")
    seconds = parse_duration(text)
    if seconds % 60:
        raise ValueError(f"--since {text!r}: Coefficy counts whole minutes; write e.g. 15m")
    if seconds // 60 < MIN_POLLING_MINUTES:
        raise ValueError(
            f"--since {text!r}: Coefficy's pollingSuccess window is at least "
            f"{MIN_POLLING_MINUTES} minutes; use --since 15m or more"
        )
    return seconds // 60
