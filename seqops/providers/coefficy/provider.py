"""The Coefficy provider: reads sequence actions (enrollments). Coefficy's API is read-only.

It is not a `seqops.providers.base.Provider`: there is nothing to write. `plan` audits
AutomationRule manifests against what it reads (see `audit.py`); `status` counts outcomes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from seqops.config import DEFAULT_OUTREACH_URL, ConfigError, TargetConfig
from seqops.providers.base import ProviderError
from seqops.providers.coefficy.client import CoefficyClient, Params
from seqops.providers.coefficy.mapping import Action

COEFFICY_URL = "https://api.campaign.coefficy.com/v1"
ACTIONS_PATH = "/sequence/action"
MIN_POLLING_MINUTES = 15
FILTERS = (
    "idSequenceAction",
    "idSequence",
    "idNewsletter",
    "idSequenceType",
    "idCrmVisitCard",
    "email",
    "idCompany",
    "siren",
    "idUserResponsable",
    "idCampaign",
)
"""The seed's filters; each takes one value or a list (sent as `name[]=` items)."""

FilterValue = int | str | Sequence[int | str] | None

READ_ONLY_MESSAGE = (
    "Coefficy's API offers no write for automation rules: seqops changed nothing. "
    "Change the automations of the sequence in Coefficy, then re-run plan to check."
)
"""What `apply` says about AutomationRule drift (the documented API is read-only)."""


class CoefficyProvider:
    """Sequence actions of one Coefficy account, read through `GET /v1/sequence/action`."""

    def __init__(self, client: CoefficyClient, description: str = "") -> None:
        self.client = client
        self.description = description or f"coefficy {client.base_url}"

    @classmethod
    def from_target(
        cls, target: TargetConfig, transport: httpx.AsyncBaseTransport | None = None
    ) -> CoefficyProvider:
        """Build from a `provider: coefficy` target of seqops.yaml (token by reference)."""
        if target.token is None:
            raise ConfigError(
                f"target {target.name!r}: Coefficy needs `token:` (env:VAR or file:PATH)"
            )
        client = CoefficyClient(coefficy_url(target), target.token.read(), transport=transport)
        return cls(client, target.description)

    async def sequence_actions(
        self, *, polling_minutes: int | None = None, **filters: FilterValue
    ) -> list[Action]:
        """Actions matching the seed's filters; `polling_minutes`: succeeded in the last N."""
        body = await self.client.get(ACTIONS_PATH, query(polling_minutes, filters))
        return _actions(body.get("result"))

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> CoefficyProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def coefficy_url(target: TargetConfig) -> str:
    # seqops.yaml defaults a missing url to Outreach's; a Coefficy target means Coefficy's.
    if not target.url or target.url == DEFAULT_OUTREACH_URL:
        return COEFFICY_URL
    return target.url


def query(polling_minutes: int | None, filters: dict[str, FilterValue]) -> Params:
    """Query parameters: `name=v` for one value, `name[]=v` per item for a list (int[] form)."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise ValueError(f"unknown Coefficy filters {unknown}; known: {', '.join(FILTERS)}")
    params: Params = []
    for name, value in filters.items():
        if isinstance(value, int | str):
            params.append((name, value))
        elif value is not None:
            params.extend((f"{name}[]", item) for item in value)
    if polling_minutes is not None:
        if polling_minutes < MIN_POLLING_MINUTES:
            raise ProviderError(
                f"Coefficy pollingSuccess is at least {MIN_POLLING_MINUTES} minutes "
                f"(asked for {polling_minutes})"
            )
        params.append(("pollingSuccess", polling_minutes))
    return params


def _actions(result: Any) -> list[Action]:
    if not isinstance(result, list) or not all(_is_action(item) for item in result):
        raise ProviderError(
            f"Coefficy GET {ACTIONS_PATH}: `result` is not a list of sequence actions"
        )
    return result


def _is_action(item: Any) -> bool:
    return isinstance(item, dict) and all(
        isinstance(item.get(key), int) for key in ("idSequenceAction", "idSequence")
    )
