"""By when the prospects of a draining version finish at the latest, from its steps alone.

An interval sequence's steps fire one after the other, each `wait` after the previous one; a
date sequence's on their dates. A prospect at step k (the step it waits to receive, as the
API's sequenceState -> sequenceStep says) finishes at the latest once step k's whole wait and
every later wait have passed. A prospect whose step is not known is counted from step 1: the
whole cadence from now. Waits counted on the sender's schedule (`scheduleIntervalType:
schedule`) are read as working days of a Monday-to-Friday week, so the date stays an upper
bound. Paused prospects have no date: they go on only when resumed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DAY = 86_400


@dataclass(frozen=True)
class CadenceStep:
    id: int | None
    wait: int = 0
    """Seconds after the previous step (interval sequences)."""
    date: dt.date | None = None
    """The day it fires (date sequences)."""


@dataclass(frozen=True)
class Cadence:
    steps: tuple[CadenceStep, ...]
    dated: bool = False
    """A date sequence (steps fire on their dates)."""
    working_days: bool = False
    """Interval waits count the sender's schedule, not calendar days."""

    def index(self, step_id: int | None) -> int:
        """The 0-based position of the step a prospect waits at; 0 when not known."""
        ids = [s.id for s in self.steps]
        return ids.index(step_id) if step_id is not None and step_id in ids else 0

    def finishes_by(self, now: dt.datetime, at_steps: Iterable[int | None]) -> dt.date | None:
        """The day by which every prospect at `at_steps` (one entry per prospect, or per
        position) has received its last step; None when there is nobody."""
        starts = sorted({self.index(step) for step in at_steps})
        if not starts:
            return None
        if not self.steps:
            return now.date()
        first = starts[0]  # the earliest position has the most left to go
        return self._dated(now, first) if self.dated else self._timed(now, first)

    def _timed(self, now: dt.datetime, start: int) -> dt.date:
        seconds = sum(s.wait for s in self.steps[start:])
        if self.working_days:
            seconds = _calendar_seconds(seconds)
        return (now + dt.timedelta(seconds=seconds)).date()

    def _dated(self, now: dt.datetime, start: int) -> dt.date:
        dates = [s.date for s in self.steps[start:] if s.date is not None]
        return max([now.date(), *dates])


def _calendar_seconds(working: int) -> int:
    """Working-day seconds as calendar seconds at the latest: each 5 working days take 7,
    and a wait may start on a Friday evening (2 more days)."""
    days = math.ceil(working / DAY)
    return (days + 2 * math.ceil(days / 5)) * DAY if days else working


def cadence_of(steps: Sequence[CadenceStep], sequence_type: str, schedule: str | None) -> Cadence:
    return Cadence(tuple(steps), sequence_type == "date", schedule == "schedule")
