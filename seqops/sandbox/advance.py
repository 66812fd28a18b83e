"""Time passes in the sandbox: `seqops sandbox advance DURATION` (DESIGN §5).

The sandbox's clock moves ahead by DURATION (`Clock.offset`, kept in the database), and every
*active* prospect of an *enabled* sequence goes through the steps that fall due meanwhile, as
Outreach runs them: an interval step `wait` after the previous one (the first after the prospect
started), a date step on its day. Each step fired is recorded on the counters Outreach exposes
(sequenceStep, sequenceTemplate, template, sequence and the prospect's sequenceState):
deliveries for email steps, and opens and replies drawn from a model seeded by the sandbox's
seed and the ids involved, so a run is the same every time. After its last step a prospect is
`finished`. Paused and pending prospects, and everyone in a disabled sequence, stay where they
are. Timestamps written are the moments steps fell due, so `createdAt`/`updatedAt` and date
sequences agree with the clock.

A state's `sequenceStep` is the step it waits to receive; the moment it reached it is its
`updatedAt` (set when it started, was resumed, or received the previous step).
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from seqops.sandbox.handlers import API_PREFIX, require_media_type
from seqops.sandbox.jsonapi import bad_request, respond
from seqops.sandbox.resources import (
    SEQUENCE,
    SEQUENCE_STATE,
    SEQUENCE_STEP,
    SEQUENCE_TEMPLATE,
    TEMPLATE,
)
from seqops.sandbox.store import CLOCK_OFFSET, Row, Store, format_time

if TYPE_CHECKING:
    from seqops.sandbox.sandbox import Sandbox

PATH = f"{API_PREFIX}/sandbox/advance"
"""The sandbox-only endpoint (never an Outreach path): POST `{"meta": {"seconds": N}}`."""
EMAIL_STEPS = ("auto_email", "manual_email")
OPEN_RATE, REPLY_RATE = 0.45, 0.08
"""The seeded model: the chance that a delivered email is opened, and that it is replied to."""
MAX_SECONDS = 10 * 365 * 86_400


@dataclass
class Advanced:
    """What an advance did (the endpoint's `meta`)."""

    seconds: int
    now: str = ""
    steps_fired: int = 0
    delivered: int = 0
    opened: int = 0
    replied: int = 0
    finished: int = 0


def advance(store: Store, seconds: int, seed: int = 0) -> Advanced:
    """Move the sandbox's time `seconds` ahead and run what falls due (one transaction)."""
    result = Advanced(seconds)
    with store.transaction():
        until = store.clock.moment() + timedelta(seconds=seconds)
        for sequence in store.query(SEQUENCE, "json_extract(attrs, '$.enabled') = 1"):
            _Run(store, sequence, until, seed, result).all_states()
        offset = store.clock.offset + timedelta(seconds=seconds)
        store.set_meta(CLOCK_OFFSET, str(offset.total_seconds()))
        store.clock.offset = offset
        result.now = format_time(store.clock.moment())
    return result


class _Run:
    """The due steps of one enabled sequence, for each of its active prospects."""

    def __init__(
        self, store: Store, sequence: Row, until: datetime, seed: int, result: Advanced
    ) -> None:
        self.store, self.sequence, self.until = store, sequence, until
        self.seed, self.result = seed, result
        self.steps = store.query(
            SEQUENCE_STEP,
            '"sequence_id" = ?',
            [sequence.id],
            "ORDER BY json_extract(attrs, '$.order')",
        )
        self.dated = sequence.attributes.get("sequenceType") == "date"
        self.touched: dict[tuple[str, int], Row] = {}

    def all_states(self) -> None:
        where = "\"sequence_id\" = ? AND json_extract(attrs, '$.state') = 'active'"
        for state in self.store.query(SEQUENCE_STATE, where, [self.sequence.id], "ORDER BY id"):
            self.go_through(state)
            self.store.update(state)
        for row in self.touched.values():
            self.store.update(row)
        self.store.update(self.sequence)

    def go_through(self, state: Row) -> None:
        index = self._index(state.rels.get("sequenceStep"))
        since = _parse(state.attributes.get("updatedAt"))
        while index < len(self.steps):
            step = self.steps[index]
            due = self._due(step, since)
            if due > self.until:
                return
            self.fire(state, step, due)
            since, index = due, index + 1
            if index < len(self.steps):
                state.rels["sequenceStep"] = self.steps[index].id
                state.attributes["updatedAt"] = format_time(due)
        self._finish(state, since)

    def _index(self, step_id: int | None) -> int:
        ids = [s.id for s in self.steps]
        return ids.index(step_id) if step_id in ids else 0

    def _due(self, step: Row, since: datetime) -> datetime:
        if self.dated and step.attributes.get("date"):
            day = datetime.fromisoformat(step.attributes["date"]).replace(tzinfo=UTC)
            return max(day, since)
        return since + timedelta(seconds=int(step.attributes.get("interval") or 0))

    def fire(self, state: Row, step: Row, due: datetime) -> None:
        self.result.steps_fired += 1
        if step.attributes.get("stepType") not in EMAIL_STEPS:
            return
        draw = random.Random(f"{self.seed}:{state.id}:{step.id}")
        counted = [state, self._held(step), self.sequence, *self._templates_sent(step, draw)]
        _bump(counted, "deliverCount")
        self.result.delivered += 1
        if draw.random() < OPEN_RATE:
            _bump(counted, "openCount")
            self.result.opened += 1
        if draw.random() < REPLY_RATE:
            _bump(counted, "replyCount")
            state.attributes["repliedAt"] = format_time(due)
            self.result.replied += 1

    def _templates_sent(self, step: Row, draw: random.Random) -> list[Row]:
        """One of the step's variants (sequenceTemplate) and its template, drawn."""
        bound = self.store.query(
            SEQUENCE_TEMPLATE, '"sequenceStep_id" = ?', [step.id], "ORDER BY id"
        )
        if not bound:
            return []
        binding = self._held(bound[draw.randrange(len(bound))])
        template = self.store.get(TEMPLATE, binding.rels["template"] or 0)
        return [binding, self._held(template)] if template is not None else [binding]

    def _held(self, row: Row) -> Row:
        """One Row per object for the whole run, so counters add up before it is written."""
        return self.touched.setdefault((row.type, row.id), row)

    def _finish(self, state: Row, at: datetime) -> None:
        stamp = format_time(at)
        state.attributes.update(state="finished", stateChangedAt=stamp, updatedAt=stamp)
        self.result.finished += 1


def _bump(rows: list[Row], counter: str) -> None:
    for row in rows:
        row.attributes[counter] = int(row.attributes.get(counter) or 0) + 1


def _parse(stamp: str | None) -> datetime:
    if not stamp:
        return datetime.now(UTC)
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def route(sandbox: Sandbox) -> Route:
    async def endpoint(request: Request) -> Response:
        require_media_type(request)
        seconds = _seconds(await request.body())
        done = advance(sandbox.store, seconds, sandbox.seed)
        return respond({"meta": asdict(done)})

    return Route(PATH, endpoint, methods=["POST"])


def _seconds(body: bytes) -> int:
    try:
        value: Any = json.loads(body or b"{}").get("meta", {}).get("seconds")
    except (ValueError, AttributeError):
        value = None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_SECONDS:
        raise bad_request(
            f"meta.seconds must be a whole number of seconds from 1 to {MAX_SECONDS}.",
            "meta.seconds",
        )
    return value
