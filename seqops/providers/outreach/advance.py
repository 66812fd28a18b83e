"""Moving a sandbox's time ahead over the API (`seqops sandbox advance`).

Works against any sandbox, embedded or served, and refuses anything else, as `sandbox enroll`
does: the sandbox marks its responses with `SANDBOX_HEADER`, which Outreach never sends. The
sandbox-only endpoint (`seqops.sandbox.advance`) does the work and says what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqops.providers.outreach.client import JsonApiClient
from seqops.providers.outreach.enrolment import SANDBOX_HEADER, EnrolError

PATH = "/sandbox/advance"


class AdvanceError(EnrolError):
    """Time was not moved: not a sandbox, or the sandbox refused."""


@dataclass(frozen=True)
class Advanced:
    seconds: int
    now: str
    steps_fired: int
    delivered: int
    opened: int
    replied: int
    finished: int


async def advance(client: JsonApiClient, seconds: int) -> Advanced:
    await client.get("/sequences", {"page[size]": 1, "count": "false"})
    if SANDBOX_HEADER not in client.last_headers:
        raise AdvanceError(
            f"{client.base_url} is not a seqops sandbox: `sandbox advance` moves time only in "
            "the embedded sandbox or one run by `seqops sandbox serve`, never in a real account"
        )
    answer = await client.post(PATH, {"meta": {"seconds": seconds}})
    meta: dict[str, Any] = answer.get("meta") or {}
    counts = {name: int(meta.get(name) or 0) for name in COUNTS}
    return Advanced(seconds=seconds, now=str(meta.get("now") or ""), **counts)


COUNTS = ("steps_fired", "delivered", "opened", "replied", "finished")
