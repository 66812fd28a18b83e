"""Enrollments per Outreach sequence, for `seqops status`: enabled, steps, prospects by state
(pending ones included: they wait for a disabled sequence to be enabled, both those Outreach
calls `pending`, never started, and those it calls `disabled`, stopped mid-cadence when it was
disabled), and for each old
version that drains (tagged `seqops:<name>--retiring`) what the day it finishes by is computed
from (`Drain`: its steps, and the steps its active prospects wait at; two requests each).

Sequences come from one listing (`sequenceStepCount` is server-computed). Prospects are counted
whichever way costs fewer requests on this account, decided by one `meta.count`:

- list the sequence states once, only their state and sequence (`fields[sequenceState]`), at
  `page[size]` 1000, and count in memory: ceil(S / 1000) requests for S states;
- or one `meta.count` per sequence and state shown: 4 requests per sequence.

A young account with a few thousand enrollments costs a handful of pages; an old one with
millions of finished prospects costs three counts per sequence instead of thousands of pages.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import asdict, dataclass

from seqops.providers.outreach.client import Count, JsonApiClient
from seqops.providers.outreach.mapping import attributes, owner_key, related_id

STATES = ("active", "paused", "pending", "finished")
"""The states shown."""
FILTERS = {
    "active": "active",
    "paused": "paused",
    "pending": "pending,disabled",
    "finished": "finished",
}
"""The API's states counted as each state shown."""
SHOWN = {"disabled": "pending"}
SEQUENCE_FIELDS = "name,enabled,sequenceStepCount,tags"
RETIRING = "--retiring"


@dataclass(frozen=True)
class SequenceStatus:
    id: int
    name: str
    """The live display name."""
    key: str | None
    """The manifest's metadata.name when seqops owns it (ownership tag), else None."""
    enabled: bool
    steps: int
    active: int = 0
    paused: int = 0
    pending: int = 0
    finished: int = 0
    at_least: tuple[str, ...] = ()
    """States whose count the API capped (`count_truncated`): lower bounds."""
    retiring: bool = False
    """An old version draining (`seqops:<name>--retiring`): nobody new joins it."""
    finishes_by: str | None = None
    """A retiring version: the day its active prospects finish at the latest (ISO)."""

    def to_json(self) -> dict:
        data = asdict(self)
        if not self.at_least:
            del data["at_least"]
        return data


Counts = Counter[tuple[int, str]]
"""(sequence id, state) -> prospects"""


@dataclass(frozen=True)
class Drain:
    """What the day a retiring version finishes by is computed from."""

    id: int
    sequence_type: str
    schedule: str | None
    steps: tuple[tuple[int, int, str | None], ...]
    """(step id, interval in seconds, date) in order."""
    at_steps: tuple[int | None, ...]
    """The steps its active prospects wait at; None for any not known."""


async def read_status(client: JsonApiClient) -> list[SequenceStatus]:
    """Every sequence of the account with its prospects by state, sorted by name."""
    sequences = await client.list_all("/sequences", {"fields[sequence]": SEQUENCE_FIELDS})
    ids = [int(s["id"]) for s in sequences]
    counts, capped = await count_states(client, ids)
    statuses = [_status(s, counts, capped) for s in sequences]
    return sorted(statuses, key=lambda s: (s.name.casefold(), s.id))


async def count_states(
    client: JsonApiClient, ids: list[int]
) -> tuple[Counts, set[tuple[int, str]]]:
    """The counts by listing or by counting, whichever is cheaper, and which of them the API
    capped (lower bounds). A capped total is past any listing: counted per sequence."""
    if not ids:
        return Counter(), set()
    total = await client.count("/sequenceStates", {"filter[state]": ",".join(FILTERS.values())})
    pages = math.ceil(total.value / client.page_size)
    if not total.truncated and pages <= len(STATES) * len(ids):
        return await _by_listing(client), set()
    return await _by_counting(client, ids)


async def _by_listing(client: JsonApiClient) -> Counts:
    params = {
        "filter[state]": ",".join(FILTERS.values()),
        "fields[sequenceState]": "state,sequence",
    }
    counts: Counter[tuple[int, str]] = Counter()
    for row in await client.list_all("/sequenceStates", params):
        sequence, state = related_id(row, "sequence"), attributes(row).get("state")
        if sequence is not None and isinstance(state, str):
            counts[(sequence, SHOWN.get(state, state))] += 1
    return counts


async def _by_counting(
    client: JsonApiClient, ids: list[int]
) -> tuple[Counts, set[tuple[int, str]]]:
    keys = [(id, state) for id in ids for state in STATES]
    values = await asyncio.gather(
        *(
            client.count(
                "/sequenceStates", {"filter[sequence][id]": id, "filter[state]": FILTERS[state]}
            )
            for id, state in keys
        )
    )
    counts = Counter({key: count.value for key, count in zip(keys, values, strict=True)})
    return counts, {key for key, count in zip(keys, values, strict=True) if count.truncated}


def _status(resource: dict, counts: Counts, capped: set[tuple[int, str]]) -> SequenceStatus:
    attrs = attributes(resource)
    id = int(resource["id"])
    key = owner_key(attrs.get("tags"))
    return SequenceStatus(
        id=id,
        name=attrs.get("name") or "",
        key=key,
        enabled=bool(attrs.get("enabled")),
        steps=int(attrs.get("sequenceStepCount") or 0),
        active=counts[(id, "active")],
        paused=counts[(id, "paused")],
        pending=counts[(id, "pending")],
        finished=counts[(id, "finished")],
        at_least=tuple(state for state in STATES if (id, state) in capped),
        retiring=bool(key and key.endswith(RETIRING)),
    )


async def read_drains(client: JsonApiClient, statuses: list[SequenceStatus]) -> list[Drain]:
    """For each retiring version with active prospects: its steps and where they wait."""
    draining = [s for s in statuses if s.retiring and s.active]
    return list(await asyncio.gather(*(_drain(client, s.id) for s in draining)))


async def _drain(client: JsonApiClient, id: int) -> Drain:
    sequence = attributes((await client.get(f"/sequences/{id}", _FIELDS)).get("data") or {})
    steps = await client.list_all(
        "/sequenceSteps",
        {"filter[sequence][id]": id, "fields[sequenceStep]": "order,interval,date"},
    )
    ordered = sorted(steps, key=lambda s: int(attributes(s).get("order") or 0))
    where = {"filter[sequence][id]": id, "filter[state]": "active"}
    page = await client.get(
        "/sequenceStates",
        {
            **where,
            "fields[sequenceState]": "sequenceStep",
            "page[size]": client.page_sizes.of("sequenceStates"),
        },
    )
    rows = page.get("data") or []
    total = Count.of(page, "GET /sequenceStates")
    complete = total.value <= len(rows) and not total.truncated
    at = [related_id(r, "sequenceStep") for r in rows]
    return Drain(
        id=id,
        sequence_type=sequence.get("sequenceType") or "interval",
        schedule=sequence.get("scheduleIntervalType"),
        steps=tuple(
            (int(s["id"]), int(attributes(s).get("interval") or 0), attributes(s).get("date"))
            for s in ordered
        ),
        at_steps=(
            *sorted({a for a in at if a is not None}),
            *([None] if not complete or None in at else []),
        ),
    )


_FIELDS = {"fields[sequence]": "sequenceType,scheduleIntervalType"}
