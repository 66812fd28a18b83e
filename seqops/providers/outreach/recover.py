"""Lookups for what a POST made when its answer was lost (`JsonApiClient.post(recover=...)`):
the object carrying the ownership tag, the newest of a name (rulesets), the newest matching
filters (steps, bindings). Each answers a document like the POST's, or None when nothing was
made (the POST may then be sent again)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from seqops.providers.outreach import mapping
from seqops.providers.outreach.client import Document
from seqops.providers.outreach.races import Races
from seqops.providers.outreach.records import SHAPES, Checker

Recover = Callable[[], Awaitable[Document | None]]


def owned(races: Races, path: str, display_name: str, owner: str) -> Recover:
    """The object named `display_name` that carries the ownership tag of `owner`."""

    async def find() -> Document | None:
        found = await raw(races, path, _by_name(display_name))
        mine = [
            r for r in found
            if mapping.attributes(r).get("name") == display_name
            and mapping.owner_key(mapping.attributes(r).get("tags")) == owner
        ]  # fmt: skip
        return _newest(mine)

    return find


def named(races: Races, path: str, display_name: str) -> Recover:
    """The newest object named `display_name` (a ruleset: its name is its identity)."""

    async def find() -> Document | None:
        found = await raw(races, path, _by_name(display_name))
        return _newest([r for r in found if mapping.attributes(r).get("name") == display_name])

    return find


def newest(races: Races, path: str, where: dict[str, Any]) -> Recover:
    """The newest object matching the filters (the step at an order, a step's binding)."""

    async def find() -> Document | None:
        return _newest(await raw(races, path, where))

    return find


async def raw(races: Races, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    checker = Checker(SHAPES[path[:-1]], path, f"GET /{path}")
    return await races.client.list_all(f"/{path}", params, checker)


def _by_name(display_name: str) -> dict[str, Any]:
    """`filter[name]`, except for a name with a comma (the API reads it as "either name"):
    then every object is listed and the name matched here."""
    return {} if "," in display_name else {"filter[name]": display_name}


def _newest(found: list[dict[str, Any]]) -> Document | None:
    return {"data": max(found, key=lambda r: int(r["id"]))} if found else None
