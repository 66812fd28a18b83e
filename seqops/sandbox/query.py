"""List query parameters (filter, sort, page, fields, include) compiled to SQL.

Pagination is keyset-based: the opaque `page[after]` cursor carries the sort key of the last
row served, so every page is an index range scan and pages never lose or repeat rows.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import QueryParams

from seqops.sandbox import limits
from seqops.sandbox.jsonapi import bad_request
from seqops.sandbox.resources import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    TEXT_LIST,
    TYPES,
    Attr,
    ResourceType,
    ToMany,
    ToOne,
)
from seqops.sandbox.store import Row, column

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
FILTER_KEY = re.compile(r"^filter\[(\w+)\](?:\[(\w+)\])?$")
FIELDS_KEY = re.compile(r"^fields\[(\w+)\]$")
ID_ATTR = Attr("id", INTEGER, filterable=True, sortable=True)
RANGE_KINDS = {INTEGER, NUMBER, DATE, DATETIME}
NUMERIC_KINDS = {INTEGER, NUMBER, BOOLEAN}


@dataclass
class SortKey:
    attr: Attr
    descending: bool

    @property
    def sql(self) -> str:
        # NULLs become a sentinel so keyset comparisons stay total.
        if self.attr.name == "id":
            return "id"
        fallback = "-1e300" if self.attr.kind in NUMERIC_KINDS else "''"
        return f"ifnull(json_extract(attrs, '$.{self.attr.name}'), {fallback})"

    def value(self, row: Row) -> Any:
        if self.attr.name == "id":
            return row.id
        raw = row.attributes.get(self.attr.name)
        if raw is None:
            return -1e300 if self.attr.kind in NUMERIC_KINDS else ""
        return int(raw) if isinstance(raw, bool) else raw


@dataclass
class ListQuery:
    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    sort: list[SortKey] = field(default_factory=list)
    sort_text: str = ""
    size: int = DEFAULT_PAGE_SIZE
    after: list[Any] | None = None
    count: bool = True

    @property
    def where(self) -> str:
        return " AND ".join(f"({c})" for c in self.conditions)

    def page_sql(self) -> tuple[str, list[Any], str]:
        """WHERE, params and ORDER/LIMIT tail of the requested page (one extra row to see more)."""
        conditions, params = list(self.conditions), list(self.params)
        if self.after is not None:
            keyset, keyset_params = self._after_condition()
            conditions.append(keyset)
            params += keyset_params
        order = ", ".join(f"{k.sql} {'DESC' if k.descending else 'ASC'}" for k in self.sort)
        where = " AND ".join(f"({c})" for c in conditions)
        return where, params, f"ORDER BY {order} LIMIT {self.size + 1}"

    def _after_condition(self) -> tuple[str, list[Any]]:
        """Rows strictly after the cursor in sort order: (k1 > v1) OR (k1 = v1 AND k2 > v2) ..."""
        alternatives, params = [], []
        after = self.after or []
        for i, key in enumerate(self.sort):
            equal = [f"{k.sql} = ?" for k in self.sort[:i]]
            beyond = f"{key.sql} {'<' if key.descending else '>'} ?"
            alternatives.append(" AND ".join([*equal, beyond]))
            params += [*after[:i], after[i]]
        return " OR ".join(f"({a})" for a in alternatives), params

    def cursor_after(self, row: Row) -> str:
        payload = json.dumps({"s": self.sort_text, "k": [k.value(row) for k in self.sort]})
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def parse_list(rtype: ResourceType, params: QueryParams) -> ListQuery:
    query = ListQuery()
    for key, raw in params.multi_items():
        match = FILTER_KEY.match(key)
        if match:
            condition, values = filter_condition(rtype, match[1], match[2], raw, key)
            query.conditions.append(condition)
            query.params += values
        elif key.startswith("filter"):
            raise bad_request(f"Unsupported filter parameter '{key}'.", key)
    query.sort_text = params.get("sort", "")
    query.sort = parse_sort(rtype, query.sort_text)
    query.size = parse_page_size(params)
    query.after = parse_cursor(params.get("page[after]"), query)
    query.count = params.get("count", "true").lower() != "false"
    return query


# -- filters ---------------------------------------------------------------------------------


def filter_condition(
    rtype: ResourceType, name: str, sub: str | None, raw: str, key: str
) -> tuple[str, list[Any]]:
    if sub is None:
        return attribute_condition(rtype, name, raw, key)
    rel = rtype.rels.get(name)
    if rel is None:
        raise bad_request(f"'{name}' is not a relationship of {rtype.name}.", key)
    target = TYPES[rel.target]
    if isinstance(rel, ToOne) and sub == "id":
        return attribute_condition(target, sub, raw, key, id_column=column(name))
    inner, params = attribute_condition(target, sub, raw, key)
    if isinstance(rel, ToOne):
        return f'{column(name)} IN (SELECT id FROM "{target.table}" WHERE {inner})', params
    return f'id IN (SELECT {column(rel.inverse)} FROM "{target.table}" WHERE {inner})', params


def attribute_condition(
    rtype: ResourceType, name: str, raw: str, key: str, id_column: str = "id"
) -> tuple[str, list[Any]]:
    attr = ID_ATTR if name == "id" else rtype.attrs.get(name)
    if attr is None or not attr.filterable:
        raise bad_request(f"'{name}' is not a filterable attribute of {rtype.name}.", key)
    expr = id_column if name == "id" else f"json_extract(attrs, '$.{name}')"
    if attr.kind in RANGE_KINDS and ".." in raw:
        return range_condition(expr, attr, raw, key)
    values = [coerce(attr, v, key) for v in raw.split(",")]
    marks = ",".join("?" * len(values))
    if attr.kind == TEXT_LIST:
        return (
            f"EXISTS (SELECT 1 FROM json_each(attrs, '$.{name}') WHERE value IN ({marks}))",
            values,
        )
    return f"{expr} IN ({marks})", values


def range_condition(expr: str, attr: Attr, raw: str, key: str) -> tuple[str, list[Any]]:
    """`a..b` with `neginf`/`inf` for open ends, as Outreach filters ranges."""
    low, _, high = raw.partition("..")
    parts, params = [], []
    if low not in ("", "neginf"):
        parts.append(f"{expr} >= ?")
        params.append(coerce(attr, low, key))
    if high not in ("", "inf"):
        parts.append(f"{expr} <= ?")
        params.append(coerce(attr, high, key))
    return " AND ".join(parts) or "1", params


def coerce(attr: Attr, raw: str, key: str) -> Any:
    try:
        if attr.kind == INTEGER:
            value = int(raw)
            if not limits.fits_sql(value):
                raise ValueError(raw)
            return value
        if attr.kind == NUMBER:
            return float(raw)
    except ValueError:
        raise bad_request(f"'{raw}' is not a valid {attr.kind} for {attr.name}.", key) from None
    if attr.kind == BOOLEAN:
        if raw.lower() not in ("true", "false"):
            raise bad_request(f"'{raw}' is not a valid boolean for {attr.name}.", key)
        return int(raw.lower() == "true")
    return raw


# -- sort, page, cursor ----------------------------------------------------------------------


def parse_sort(rtype: ResourceType, text: str) -> list[SortKey]:
    keys: list[SortKey] = []
    for term in filter(None, text.split(",")):
        name = term.lstrip("-")
        attr = ID_ATTR if name == "id" else rtype.attrs.get(name)
        if attr is None or not attr.sortable:
            raise bad_request(f"'{name}' is not a sortable attribute of {rtype.name}.", "sort")
        keys.append(SortKey(attr, term.startswith("-")))
    if not any(k.attr.name == "id" for k in keys):
        keys.append(SortKey(ID_ATTR, False))  # a unique tie-breaker makes the order total
    return keys


def parse_page_size(params: QueryParams) -> int:
    if "page[offset]" in params or "page[number]" in params:
        raise bad_request("Only cursor pagination is supported: follow links.next.", "page[offset]")
    raw = params.get("page[size]", str(DEFAULT_PAGE_SIZE))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise bad_request(f"page[size] must be an integer from 1 to {MAX_PAGE_SIZE}.", "page[size]")
    return int(raw)


def parse_cursor(raw: str | None, query: ListQuery) -> list[Any] | None:
    if raw is None:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        keys = payload["k"]
        valid = payload["s"] == query.sort_text and len(keys) == len(query.sort)
        valid = valid and all(limits.fits_sql(k) for k in keys)
    except (ValueError, KeyError, TypeError, binascii.Error):
        valid = False
    if not valid:
        raise bad_request("page[after] is not a cursor of this listing.", "page[after]")
    return keys


# -- sparse fieldsets and includes -----------------------------------------------------------


def parse_fields(params: QueryParams) -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    for key, raw in params.multi_items():
        match = FIELDS_KEY.match(key)
        if not match:
            continue
        rtype = TYPES.get(match[1])
        if rtype is None:
            raise bad_request(f"Unknown resource type '{match[1]}'.", key)
        names = set(filter(None, raw.split(",")))
        links = {link.name for link in rtype.links_only}
        unknown = names - set(rtype.attrs) - set(rtype.rels) - links
        if unknown:
            raise bad_request(f"Unknown fields of {rtype.name}: {', '.join(sorted(unknown))}.", key)
        fields[rtype.name] = names
    return fields


def parse_include(rtype: ResourceType, params: QueryParams) -> list[list[ToOne | ToMany]]:
    """Each include path as the chain of relationships it walks."""
    paths = []
    for path in filter(None, params.get("include", "").split(",")):
        current, chain = rtype, []
        for name in path.split("."):
            rel = current.rels.get(name)
            if rel is None:
                raise bad_request(f"'{name}' is not a relationship of {current.name}.", "include")
            chain.append(rel)
            current = TYPES[rel.target]
        paths.append(chain)
    return paths
