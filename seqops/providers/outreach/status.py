"""Enrollments per Outreach sequence, for `seqops status`: enabled, steps, prospects by state.

Sequences come from one listing (`sequenceStepCount` is server-computed). Prospects are counted
whichever way costs fewer requests on this account, decided by one `meta.count`:

- list the sequence states once, only their state and sequence (`fields[sequenceState]`), at
  `page[size]` 1000, and count in memory: ceil(S / 1000) requests for S states;
- or one `meta.count` per sequence and state: 3 requests per sequence.

A young account with a few thousand enrollments costs a handful of pages; an old one with
millions of finished prospects costs three counts per sequence instead of thousands of pages.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import asdict, dataclass

from seqops.providers.outreach.client import JsonApiClient
from seqops.providers.outreach.mapping import attributes, owner_key

STATES = ("active", "paused", "finished")
SEQUENCE_FIELDS = "name,enabled,sequenceStepCount,tags"


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
    finished: int = 0

    def to_json(self) -> dict:
        return asdict(self)


async def read_status(client: JsonApiClient) -> list[SequenceStatus]:
    """Every sequence of the account with its prospects by state, sorted by name."""
    sequences = await client.list_all("/sequences", {"fields[sequence]": SEQUENCE_FIELDS})
    ids = [int(s["id"]) for s in sequences]
    counts = await count_states(client, ids)
    statuses = [_status(s, counts) for s in sequences]
    return sorted(statuses, key=lambda s: (s.name.casefold(), s.id))


async def count_states(client: JsonApiClient, ids: list[int]) -> Counter[tuple[int, str]]:
    """(sequence id, state) -> prospects, by listing or by counting, whichever is cheaper."""
    if not ids:
        return Counter()
    total = await client.count("/sequenceStates", {"filter[state]": ",".join(STATES)})
    if math.ceil(total / client.page_size) <= len(STATES) * len(ids):
        return await _by_listing(client)
    return await _by_counting(client, ids)


async def _by_listing(client: JsonApiClient) -> Counter[tuple[int, str]]:
    params = {"filter[state]": ",".join(STATES), "fields[sequenceState]": "state,sequence"}
    counts: Counter[tuple[int, str]] = Counter()
    for row in await client.list_all("/sequenceStates", params):
        sequence = ((row.get("relationships") or {}).get("sequence") or {}).get("data") or {}
        if "id" in sequence:
            counts[(int(sequence["id"]), attributes(row).get("state"))] += 1
    return counts


async def _by_counting(client: JsonApiClient, ids: list[int]) -> Counter[tuple[int, str]]:
    keys = [(id, state) for id in ids for state in STATES]
    values = await asyncio.gather(
        *(
            client.count("/sequenceStates", {"filter[sequence][id]": id, "filter[state]": state})
            for id, state in keys
        )
    )
    return Counter(dict(zip(keys, values, strict=True)))


def _status(resource: dict, counts: Counter[tuple[int, str]]) -> SequenceStatus:
    attrs = attributes(resource)
    id = int(resource["id"])
    return SequenceStatus(
        id=id,
        name=attrs.get("name") or "",
        key=owner_key(attrs.get("tags")),
        enabled=bool(attrs.get("enabled")),
        steps=int(attrs.get("sequenceStepCount") or 0),
        **{state: counts[(id, state)] for state in STATES},
    )
