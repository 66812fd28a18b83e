"""Top-level JSON:API documents: primary data, to-many linkage, `included`, list links."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.datastructures import URL, QueryParams

from seqops.sandbox.jsonapi import resource_object
from seqops.sandbox.query import ListQuery, parse_fields, parse_include, parse_list
from seqops.sandbox.resources import TYPES, ResourceType, ToMany, ToOne
from seqops.sandbox.store import Row, Store


class Documents:
    """Serialises rows of one request, honouring its `fields[...]` and `include`."""

    def __init__(self, store: Store, api_base: str, params: QueryParams, rtype: ResourceType):
        self.store = store
        self.api_base = api_base
        self.fields = parse_fields(params)
        self.include = parse_include(rtype, params)
        self.authorization_meta = params.get("provideAuthorizationMeta", "").lower() == "true"

    def objects(self, rtype: ResourceType, rows: list[Row]) -> list[dict[str, Any]]:
        wanted = self.fields.get(rtype.name)
        linked = {
            rel.name: self.store.children(TYPES[rel.target], rel.inverse, [r.id for r in rows])
            for rel in rtype.to_many
            if rel.linkage and (wanted is None or rel.name in wanted)
        }
        objects = [
            resource_object(
                rtype, row, {n: ids[row.id] for n, ids in linked.items()}, self.api_base, wanted
            )
            for row in rows
        ]
        if self.authorization_meta:  # the API user is an admin: it may do all the type allows
            meta = {
                "canWrite": "update" in rtype.operations,
                "canDelete": "delete" in rtype.operations,
            }
            for obj in objects:
                obj["meta"] = dict(meta)
        return objects

    def included(self, rtype: ResourceType, rows: list[Row]) -> list[dict[str, Any]]:
        found: dict[str, dict[int, Row]] = defaultdict(dict)
        primary = {(rtype.name, r.id) for r in rows}
        for chain in self.include:
            current = rows
            for rel in chain:
                current = self._related(rel, current)
                found[rel.target].update({r.id: r for r in current})
        result = []
        for type_name, by_id in found.items():
            fresh = [r for i, r in sorted(by_id.items()) if (type_name, i) not in primary]
            result += self.objects(TYPES[type_name], fresh)
        return result

    def _related(self, rel: ToOne | ToMany, rows: list[Row]) -> list[Row]:
        target = TYPES[rel.target]
        if isinstance(rel, ToOne):
            ids = {rid for r in rows if (rid := r.rels.get(rel.name)) is not None}
        else:
            children = self.store.children(target, rel.inverse, [r.id for r in rows])
            ids = {i for kids in children.values() for i in kids}
        return self.store.get_many(target, ids)

    def single(self, rtype: ResourceType, row: Row) -> dict[str, Any]:
        document: dict[str, Any] = {"data": self.objects(rtype, [row])[0]}
        if self.include:
            document["included"] = self.included(rtype, [row])
        return document


def list_document(
    store: Store, rtype: ResourceType, url: URL, api_base: str, count_cap: int | None = None
) -> dict[str, Any]:
    """One page of a collection: `links.next` when more rows follow, no `links` at all on an
    empty page (as the real API answers), and `meta.count` unless `count=false`, capped at
    `count_cap` with `count_truncated` as the real API's meta says."""
    params = QueryParams(url.query)
    query = parse_list(rtype, params)
    docs = Documents(store, api_base, params, rtype)
    where, values, tail = query.page_sql()
    rows = store.query(rtype, where, values, tail)
    more = len(rows) > query.size
    rows = rows[: query.size]
    document: dict[str, Any] = {"data": docs.objects(rtype, rows)}
    if docs.include:
        document["included"] = docs.included(rtype, rows)
    if rows:
        document["links"] = page_links(url, query, rows, more)
    if query.count:
        document["meta"] = counted(store.count(rtype, query.where, query.params), count_cap)
    return document


def counted(count: int, cap: int | None) -> dict[str, Any]:
    if cap is not None and count > cap:
        return {"count": cap, "count_truncated": True}
    return {"count": count, "count_truncated": False}


def page_links(url: URL, query: ListQuery, rows: list[Row], more: bool) -> dict[str, str]:
    first = url.remove_query_params("page[after]")
    links = {"first": str(first)}
    if more:
        links["next"] = str(
            first.include_query_params(**{"page[after]": query.cursor_after(rows[-1])})
        )
    return links
