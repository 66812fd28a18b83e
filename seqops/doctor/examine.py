"""`examine`: the read-only check of an Outreach account that `seqops doctor` runs.

Requests: one listing of each collection the provider reads (as few pages as `plan` needs, at
page[size]=1000, authorization meta riding along on the ones seqops writes) and one count of
sequence states — no other request, and never a write. The report says how many were sent.
"""

from __future__ import annotations

from seqops.config import OAuth
from seqops.doctor import access, credentials, inventory, shapes
from seqops.doctor.findings import Report
from seqops.providers.outreach.client import JsonApiClient


async def examine(client: JsonApiClient, target: str, oauth: OAuth | None = None) -> Report:
    """The report on the account behind `client`; `oauth` (the target's settings, when it
    uses OAuth) adds how old its stored refresh token is, dated before any request rotates it."""
    report = Report(target)
    age = credentials.refresh_token_age(oauth)
    try:
        listed = await access.list_collections(client, report)
        if listed is not None:
            await access.count_states(client, report)
            shapes.check_shapes(listed, report)
            inventory.inventory(listed, report)
        credentials.check_refresh_token(oauth, age, report)
    finally:
        report.requests = client.request_count
    return report
