"""What a crash or fault left in the account, read from the raw API (not through seqops)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

RETIRED = "--retired"
RETIRING = "--retiring"
OLD = (RETIRED, RETIRING)


@dataclass
class Account:
    sequences: list[dict]
    steps: list[dict]
    bindings: list[dict]
    active: Counter = field(default_factory=Counter)
    """Prospects in flight per sequence id: active ones, and those Outreach stopped mid-cadence
    (state `disabled`) when their sequence was disabled."""
    pending: Counter = field(default_factory=Counter)
    """Pending prospects per sequence id."""

    def owners(self, kind_rows: list[dict] | None = None) -> Counter:
        """How many live objects carry each (current, not retired) ownership tag."""
        rows = self.sequences if kind_rows is None else kind_rows
        return Counter(
            t for r in rows for t in _tags(r) if t.startswith("seqops:") and not t.endswith(OLD)
        )

    def duplicates(self) -> list[str]:
        """Twins of every kind: two sequences of one key and name (an interrupted replace
        legitimately leaves v1 and v2 both owned), two steps at one order of a sequence, two
        bindings of one template on one step."""
        versions = Counter(
            (t, r["attributes"]["name"])
            for r in self.sequences
            for t in _tags(r)
            if t.startswith("seqops:")
        )
        found = [f"{t} {name!r} x{n}" for (t, name), n in versions.items() if n > 1]
        orders = Counter((_rel(s, "sequence"), s["attributes"]["order"]) for s in self.steps)
        found += [f"sequence {s} order {o} x{n}" for (s, o), n in orders.items() if n > 1]
        pairs = Counter((_rel(b, "sequenceStep"), _rel(b, "template")) for b in self.bindings)
        found += [f"step {s} template {t} x{n}" for (s, t), n in pairs.items() if n > 1]
        return found

    def retired_enabled(self) -> list[str]:
        return [
            r["attributes"]["name"]
            for r in self.sequences
            if r["attributes"].get("enabled") and any(t.endswith(RETIRED) for t in _tags(r))
        ]

    def retired_pending(self) -> list[str]:
        """Versions re-tagged retired (done for good) that still hold pending prospects: they
        would never start, and only a plan that named them may leave them so."""
        return [
            r["attributes"]["name"]
            for r in self.sequences
            if self.pending[int(r["id"])] and any(t.endswith(RETIRED) for t in _tags(r))
        ]

    def stranded(self) -> list[str]:
        """Keys whose every version is disabled while one of them has active prospects."""
        versions: dict[str, list[dict]] = defaultdict(list)
        for r in self.sequences:
            for t in _tags(r):
                if t.startswith("seqops:"):
                    versions[t.removesuffix(RETIRED).removesuffix(RETIRING)].append(r)
        return [
            key
            for key, rows in versions.items()
            if len(rows) > 1
            and not any(r["attributes"].get("enabled") for r in rows)
            and any(self.active[int(r["id"])] for r in rows)
        ]

    def steps_of(self, sequence_id: int) -> int:
        return sum(1 for s in self.steps if _rel(s, "sequence") == sequence_id)


async def read_account(client) -> Account:
    """`client`: a seqops JsonApiClient (used only for raw GETs)."""
    states = await client.list_all("/sequenceStates", {"filter[state]": "active,disabled,pending"})
    by_state = {
        state: Counter(_rel(s, "sequence") for s in states if s["attributes"]["state"] == state)
        for state in ("active", "disabled", "pending")
    }
    return Account(
        await client.list_all("/sequences"),
        await client.list_all("/sequenceSteps"),
        await client.list_all("/sequenceTemplates"),
        by_state["active"] + by_state["disabled"],
        by_state["pending"],
    )


def _tags(row: dict) -> list[str]:
    return row["attributes"].get("tags") or []


def _rel(row: dict, name: str) -> int | None:
    rel = (row.get("relationships") or {}).get(name) or {}
    data = rel.get("data") if isinstance(rel, dict) else None
    return int(data["id"]) if isinstance(data, dict) and data.get("id") is not None else None
