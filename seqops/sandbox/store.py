"""SQLite storage: one table per resource type.

Each table holds the integer id, the attributes as one JSON document, and one indexed column per
to-one relationship (`<name>_id`), so relationship filters, includes and keyset pagination are
index lookups while attribute filters use `json_extract`. One connection is shared by every
thread behind `lock`; SQLite work is short, so handlers run it inline.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from seqops.sandbox.resources import TYPES, ResourceType
from seqops.sandbox.storage import check_path, explain, verify


@dataclass
class Row:
    """One stored resource: attributes plus to-one relationship ids (None when unset)."""

    type: str
    id: int
    attributes: dict[str, Any]
    rels: dict[str, int | None] = field(default_factory=dict)

    def ref(self, name: str) -> int:
        """The id a required to-one relationship points at (writes guarantee it is set)."""
        rid = self.rels.get(name)
        if rid is None:
            raise LookupError(f"{self.type} {self.id} has no {name}")
        return rid


def column(rel_name: str) -> str:
    return f'"{rel_name}_id"'


def format_time(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and 'Z', as Outreach writes timestamps."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


CLOCK_OFFSET = "clock_offset_seconds"
"""The meta key of the clock's offset (see `Clock`)."""


class Clock:
    """Strictly increasing millisecond timestamps: every write gets a distinct updatedAt.

    `offset` is how far `seqops sandbox advance` moved the sandbox's time ahead of the
    machine's (kept in the database, so every process serving it agrees)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._last = datetime.min.replace(tzinfo=UTC)
        self.offset = offset

    def moment(self) -> datetime:
        """The sandbox's current time (not reserved: `now` hands out distinct stamps)."""
        now = datetime.now(UTC) + self.offset
        return max(now.replace(microsecond=now.microsecond // 1000 * 1000), self._last)

    def now(self) -> str:
        self._last = max(self.moment(), self._last + timedelta(milliseconds=1))
        return format_time(self._last)


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self.clock = Clock()
        check_path(path)
        try:
            self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            if path != ":memory:":
                verify(self.conn)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self._create_schema()
            self.clock.offset = timedelta(seconds=float(self.get_meta(CLOCK_OFFSET) or 0))
        except sqlite3.Error as exc:
            raise explain(path, exc) from None

    # -- schema and bookkeeping -------------------------------------------------------------

    def _create_schema(self) -> None:
        with self.transaction():
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            for rtype in TYPES.values():
                self._create_table(rtype)

    def _create_table(self, rtype: ResourceType) -> None:
        rel_columns = "".join(f", {column(r.name)} INTEGER" for r in rtype.to_one)
        self.conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{rtype.table}" '
            f"(id INTEGER PRIMARY KEY AUTOINCREMENT, attrs TEXT NOT NULL{rel_columns})"
        )
        for rel in rtype.to_one:
            self.conn.execute(
                f'CREATE INDEX IF NOT EXISTS "{rtype.table}_{rel.name}" '
                f'ON "{rtype.table}" ({column(rel.name)})'
            )

    def get_meta(self, key: str) -> str | None:
        found = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Serialise writers and commit atomically (re-entrant: nested blocks join the outer one)."""
        with self.lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # -- rows -------------------------------------------------------------------------------

    def _select_sql(self, rtype: ResourceType) -> str:
        rels = "".join(f", {column(r.name)}" for r in rtype.to_one)
        return f'SELECT id, attrs{rels} FROM "{rtype.table}"'

    def to_row(self, rtype: ResourceType, record: Sequence[Any]) -> Row:
        rels = {r.name: record[2 + i] for i, r in enumerate(rtype.to_one)}
        return Row(rtype.name, record[0], json.loads(record[1]), rels)

    def get(self, rtype: ResourceType, rid: int) -> Row | None:
        with self.lock:
            record = self.conn.execute(f"{self._select_sql(rtype)} WHERE id = ?", (rid,)).fetchone()
        return self.to_row(rtype, record) if record else None

    def must(self, rtype: ResourceType, rid: int) -> Row:
        """The row, which the caller knows exists (a relationship a write checked)."""
        row = self.get(rtype, rid)
        if row is None:
            raise LookupError(f"{rtype.name} {rid} does not exist")
        return row

    def get_many(self, rtype: ResourceType, ids: Iterable[int]) -> list[Row]:
        ids = sorted(set(ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self.lock:
            records = self.conn.execute(
                f"{self._select_sql(rtype)} WHERE id IN ({marks}) ORDER BY id", ids
            ).fetchall()
        return [self.to_row(rtype, r) for r in records]

    def existing_ids(self, rtype: ResourceType, ids: Iterable[int]) -> set[int]:
        ids = list(set(ids))
        marks = ",".join("?" * len(ids))
        with self.lock:
            found = self.conn.execute(
                f'SELECT id FROM "{rtype.table}" WHERE id IN ({marks})', ids
            ).fetchall()
        return {r[0] for r in found}

    def query(
        self, rtype: ResourceType, where: str = "", params: Sequence[Any] = (), tail: str = ""
    ) -> list[Row]:
        """Rows matching a SQL condition (built by query.py) with an ORDER/LIMIT tail."""
        sql = f"{self._select_sql(rtype)} {'WHERE ' + where if where else ''} {tail}"
        with self.lock:
            records = self.conn.execute(sql, params).fetchall()
        return [self.to_row(rtype, r) for r in records]

    def count(self, rtype: ResourceType, where: str = "", params: Sequence[Any] = ()) -> int:
        sql = f'SELECT count(*) FROM "{rtype.table}" {"WHERE " + where if where else ""}'
        with self.lock:
            return self.conn.execute(sql, params).fetchone()[0]

    def children(
        self, rtype: ResourceType, fk: str, parent_ids: Iterable[int]
    ) -> dict[int, list[int]]:
        """Ids of `rtype` rows pointing at each parent through to-one `fk`, in id order."""
        parent_ids = list(set(parent_ids))
        result: dict[int, list[int]] = {p: [] for p in parent_ids}
        if not parent_ids:
            return result
        marks = ",".join("?" * len(parent_ids))
        sql = (
            f'SELECT {column(fk)}, id FROM "{rtype.table}" '
            f"WHERE {column(fk)} IN ({marks}) ORDER BY id"
        )
        with self.lock:
            for parent, child in self.conn.execute(sql, parent_ids):
                result[parent].append(child)
        return result

    # -- writes (callers hold a transaction) ------------------------------------------------

    def insert(
        self, rtype: ResourceType, attrs: dict[str, Any], rels: dict[str, int | None]
    ) -> int:
        names = ["attrs", *(f"{r.name}_id" for r in rtype.to_one)]
        values = [json.dumps(attrs, sort_keys=True), *(rels.get(r.name) for r in rtype.to_one)]
        quoted = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" * len(values))
        with self.transaction() as conn:
            cursor = conn.execute(
                f'INSERT INTO "{rtype.table}" ({quoted}) VALUES ({marks})', values
            )
        assert cursor.lastrowid is not None  # an INSERT always has one
        return cursor.lastrowid

    def insert_many(
        self, rtype: ResourceType, rows: list[tuple[dict[str, Any], dict[str, int | None]]]
    ) -> list[int]:
        """Bulk insert; returns the new ids in order (ids are consecutive inside one transaction)."""
        with self.transaction() as conn:
            first = self._next_id(rtype)
            names = ["id", "attrs", *(f"{r.name}_id" for r in rtype.to_one)]
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" * len(names))
            values = [
                (
                    first + i,
                    json.dumps(attrs, sort_keys=True),
                    *(rels.get(r.name) for r in rtype.to_one),
                )
                for i, (attrs, rels) in enumerate(rows)
            ]
            conn.executemany(f'INSERT INTO "{rtype.table}" ({quoted}) VALUES ({marks})', values)
        return list(range(first, first + len(rows)))

    def _next_id(self, rtype: ResourceType) -> int:
        seq = self.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (rtype.table,)
        ).fetchone()
        return (seq[0] if seq else 0) + 1

    def update(self, row: Row) -> None:
        rtype = TYPES[row.type]
        sets = ", ".join(["attrs = ?", *(f"{column(r.name)} = ?" for r in rtype.to_one)])
        values = [
            json.dumps(row.attributes, sort_keys=True),
            *(row.rels.get(r.name) for r in rtype.to_one),
            row.id,
        ]
        with self.transaction() as conn:
            conn.execute(f'UPDATE "{rtype.table}" SET {sets} WHERE id = ?', values)

    def delete(self, rtype: ResourceType, ids: Iterable[int]) -> None:
        ids = list(ids)
        marks = ",".join("?" * len(ids))
        with self.transaction() as conn:
            conn.execute(f'DELETE FROM "{rtype.table}" WHERE id IN ({marks})', ids)
