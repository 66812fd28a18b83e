"""Cadence rules: how often and when a sequence emails people.

Times are measured from enrolment: an interval sequence adds up its steps' `wait`s, a date
sequence uses each step's `date`.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.manifest.durations import format_duration
from seqops.manifest.errors import Path
from seqops.manifest.models import Sequence
from seqops.manifest.models.sequence import Step

DAY = 86_400
_MENTIONS_EMAIL = re.compile(r"\b(?:e-?mails?|inbox|thread)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Timed:
    index: int
    step: Step
    at: int
    """Seconds after enrolment (interval) or since the epoch day (date sequences)."""

    @property
    def when(self) -> Path:
        """The path that says when the step runs (its wait or date), or the step itself."""
        field = "date" if self.step.date is not None else "wait"
        here: Path = ("spec", "steps", self.index)
        return (*here, field) if getattr(self.step, field) is not None else here


def timeline(sequence: Sequence) -> list[Timed]:
    timed, elapsed = [], 0
    for index, step in enumerate(sequence.spec.steps):
        if sequence.spec.sequenceType == "date":
            if step.date is None:
                continue
            timed.append(Timed(index, step, step.date.toordinal() * DAY))
        else:
            elapsed += step.wait or 0
            timed.append(Timed(index, step, elapsed))
    return timed


def _days(seconds: float) -> str:
    if seconds < DAY:
        hours = round(seconds / 3600, 1)
        return f"{hours:g} hour{'s' if hours != 1 else ''}"
    days = round(seconds / DAY, 1)
    return f"{days:g} day{'s' if days != 1 else ''}"


class TooManyEmails(Rule):
    """More than `maxEmails` emails (default 2) within `days` days (default 3) of each other.

    Three emails in three days is how a sequence ends up in the spam folder and a prospect on
    the do-not-contact list. Reported once per sequence, at the first email over the limit."""

    id = "cadence/too-many-emails"
    severity = Severity.warning
    params = {"maxEmails": 2, "days": 3}

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        limit, window = int(params["maxEmails"]), float(params["days"]) * DAY
        for sequence in context.sequences:
            emails = [t for t in timeline(sequence) if t.step.is_email]
            for i in range(limit, len(emails)):
                first = emails[i - limit]
                if emails[i].at - first.at < window:
                    message = (
                        f"step {emails[i].index + 1} is email {limit + 1} within "
                        f"{_days(emails[i].at - first.at)} (most {limit} within {params['days']} days)"
                    )
                    yield Hit(sequence, emails[i].when, message)
                    break


class SimultaneousEmails(Rule):
    """An email step that goes out at the same time as the email before it (wait 0 between
    them, or the same date).

    Two emails at once read as a mistake, and the second is usually a duplicate. Waits of call
    and task steps between them count; the first email of a sequence at `wait: 0` is fine."""

    id = "cadence/simultaneous-emails"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            emails = [t for t in timeline(sequence) if t.step.is_email]
            for previous, current in itertools.pairwise(emails):
                if current.at == previous.at:
                    message = (
                        f"step {current.index + 1} emails at the same time as step "
                        f"{previous.index + 1}"
                    )
                    yield Hit(sequence, current.when, message)


class TaskBeforeEmail(Rule):
    """A call or task whose note refers to an email, placed before any email step.

    "Reference the intro email" on a call that runs before the intro goes out sends the rep in
    unprepared. Reported when the note mentions an email, inbox or thread and no email step
    comes earlier in the sequence."""

    id = "cadence/task-before-email"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            for index, step in enumerate(sequence.spec.steps):
                if step.is_email:
                    break
                if step.note and _MENTIONS_EMAIL.search(step.note):
                    message = f"step {index + 1} ({step.type}) refers to an email that has not been sent yet"
                    yield Hit(sequence, ("spec", "steps", index, "note"), message)


class DateInPast(Rule):
    """A date step whose date has passed.

    Outreach skips it, or the sequence refuses enrolments: a webinar follow-up dated last week
    never goes out. Compared with today's date where lint runs."""

    id = "cadence/date-past"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            for index, step in enumerate(sequence.spec.steps):
                if step.date is not None and step.date < context.today:
                    message = f"step {index + 1} is dated {step.date.isoformat()}, in the past"
                    yield Hit(sequence, ("spec", "steps", index, "date"), message)


class DateOnWeekend(Rule):
    """A date step on a Saturday or a Sunday.

    Business email sent at the weekend is opened less and answered later; calls and tasks on a
    weekend wait for Monday anyway."""

    id = "cadence/date-weekend"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            for index, step in enumerate(sequence.spec.steps):
                if step.date is not None and step.date.weekday() >= 5:
                    day = step.date.strftime("%A")
                    message = f"step {index + 1} is dated {step.date.isoformat()}, a {day}"
                    yield Hit(sequence, ("spec", "steps", index, "date"), message)


class TooLong(Rule):
    """A sequence that runs longer than `maxDays` (default 60) or has more than `maxSteps`
    steps (default 15).

    Long sequences keep prospects locked (exclusivity) and keep mailing people who stopped
    reading weeks ago. Reported at the first step over the limit. A date sequence runs from its
    earliest step still to come: steps dated in the past never run (`cadence/date-past`)."""

    id = "cadence/too-long"
    severity = Severity.warning
    params = {"maxDays": 60, "maxSteps": 15}

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        max_seconds, max_steps = float(params["maxDays"]) * DAY, int(params["maxSteps"])
        for sequence in context.sequences:
            timed = timeline(sequence)
            start = _start(sequence, timed, context.today)
            over = next((t for t in timed if t.at - start > max_seconds), None)
            if over is not None:
                message = (
                    f"step {over.index + 1} runs {_days(over.at - start)} in, longer than "
                    f"{params['maxDays']} days"
                )
                yield Hit(sequence, over.when, message)
            elif len(sequence.spec.steps) > max_steps:
                message = f"{len(sequence.spec.steps)} steps, more than {max_steps}"
                yield Hit(sequence, ("spec", "steps", max_steps), message)


def _start(sequence: Sequence, timed: list[Timed], today: datetime.date) -> int:
    """When the sequence starts running: enrolment (0) for an interval sequence, the earliest
    date not in the past for a date sequence (the latest date when all are past)."""
    if sequence.spec.sequenceType != "date" or not timed:
        return 0
    upcoming = [t.at for t in timed if t.step.date is not None and t.step.date >= today]
    return min(upcoming) if upcoming else max(t.at for t in timed)


_BARE = re.compile(r"""["']?\s*([0-9]+)\s*["']?""")


class BareWait(Rule):
    """A `wait` written as a bare number: `wait: 48` is 48 seconds.

    Durations without a unit are seconds, as in the API; nobody means a follow-up 48 seconds
    after the intro. Write the unit (`48h`, `2d`, `1w`; `30s` if seconds are meant). `wait: 0`
    is fine."""

    id = "cadence/bare-wait"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            for index, step in enumerate(sequence.spec.steps):
                if not step.wait:
                    continue
                path: Path = ("spec", "steps", index, "wait")
                written = context.written(sequence, path)
                bare = _BARE.fullmatch(written or "")
                if bare is not None:
                    yield Hit(sequence, path, _bare_message(int(bare.group(1))))


def _bare_message(seconds: int) -> str:
    said = f"wait: {seconds} is {seconds} second{'s' if seconds != 1 else ''}"
    exact = format_duration(seconds)
    if exact[-1] != "s" and seconds >= 3600:
        return f"{said} ({exact}): write {exact}"
    unit = "d" if seconds <= 14 else "h" if seconds <= 72 else "m"
    return f"{said}: did you mean {seconds}{unit}? (write {seconds}s if seconds are meant)"


RULES = (
    TooManyEmails,
    SimultaneousEmails,
    TaskBeforeEmail,
    DateInPast,
    DateOnWeekend,
    TooLong,
    BareWait,
)
