"""Prospects as merge fields see them, read from a target over its JSON:API client: the
prospect's attributes, its account's (`account.`) and its owner's (`sender.`), in snake_case.

Outreach sends from the sequence's mailbox; a preview has no sequence, so the prospect's owner
stands in for the sender. A prospect without an account (the sandbox has none) fills
`account.name` from its `company`, which Outreach documents as the account's name.
"""

from __future__ import annotations

import re
from typing import Any

from seqops.preview.fill import Person
from seqops.providers.base import ProviderError

MAX_SAMPLE = 1000
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


class PreviewError(Exception):
    """Nothing to preview with (no such prospect, no prospects); one printable line."""


def snake(name: str) -> str:
    return _CAMEL.sub(r"_\1", name).lower()


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return text(value[0]) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def values(attributes: dict[str, Any], prefix: str = "") -> dict[str, str]:
    found = {prefix + snake(k): text(v) for k, v in attributes.items()}
    if not prefix and "emails" in attributes:
        found["email"] = text(attributes["emails"])
    return found


async def fetch_people(client: Any, prospect: int | None = None, sample: int = 1) -> list[Person]:
    """One prospect by id, or the first `sample` prospects (by id)."""
    if prospect is not None:
        try:
            records = [(await client.get(f"/prospects/{prospect}"))["data"]]
        except ProviderError as exc:
            if getattr(exc, "status", None) == 404:
                raise PreviewError(f"no prospect with id {prospect} in the target") from None
            raise
    else:
        size = max(1, min(sample, MAX_SAMPLE))
        document = await client.get("/prospects", {"page[size]": size, "sort": "id"})
        records = list(document.get("data") or [])[:size]
    if not records:
        raise PreviewError("the target has no prospects to preview with")
    related = _Related(client)
    return [await _person(record, related) for record in records]


class _Related:
    """Users and accounts, each read once."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.cache: dict[tuple[str, Any], dict[str, Any]] = {}

    async def attributes(self, path: str, id: Any) -> dict[str, Any]:
        key = (path, id)
        if key not in self.cache:
            try:
                document = await self.client.get(f"/{path}/{id}")
                self.cache[key] = (document.get("data") or {}).get("attributes") or {}
            except ProviderError:
                self.cache[key] = {}
        return self.cache[key]


def _related_id(record: dict[str, Any], name: str) -> Any:
    relation = (record.get("relationships") or {}).get(name) or {}
    data = relation.get("data") if isinstance(relation, dict) else None
    return data.get("id") if isinstance(data, dict) else None


async def _person(record: dict[str, Any], related: _Related) -> Person:
    attributes = record.get("attributes") or {}
    found = values(attributes)
    account = _related_id(record, "account")
    account_values = (
        values(await related.attributes("accounts", account), "account.") if account else {}
    )
    found |= account_values
    if not found.get("account.name") and found.get("company"):
        found["account.name"] = found["company"]
    owner = _related_id(record, "owner")
    if owner is not None:
        found |= values(await related.attributes("users", owner), "sender.")
    return Person(int(record["id"]), found)
