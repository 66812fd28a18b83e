"""What `seqops sandbox serve` is told, in the groups the emulator takes it: where its data
lives, the faults it injects, the API limits it enforces, and the credentials it accepts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Storage:
    db: Path | None
    """SQLite file (None: in memory)."""
    demo: bool

    @property
    def location(self) -> str:
        return str(self.db) if self.db else ":memory:"


@dataclass(frozen=True)
class Faults:
    """Knobs for tests and benchmarks, named as `create_app` takes them."""

    latency_ms: int
    fault_rate: float
    lost_response_rate: float
    seed: int
    max_page_size: int | None


@dataclass(frozen=True)
class Limits:
    """The real API's limits: requests per window, its reset clock, capped counts."""

    rate_limit: int
    """0: no limit."""
    rate_window: float
    clock_skew: float
    count_cap: int | None


@dataclass(frozen=True)
class Logins:
    """The sandbox's credentials: sandbox values, printed on start, never secrets."""

    token: str
    coefficy_token: str
    client_id: str
    client_secret: str
    refresh_token: str


@dataclass(frozen=True)
class ServeOptions:
    storage: Storage
    faults: Faults
    limits: Limits
    logins: Logins

    def app_keywords(self) -> dict[str, Any]:
        """`create_app`'s keyword options (its database and bearer token are positional)."""
        limits = dataclasses.asdict(self.limits)
        logins = {k: v for k, v in dataclasses.asdict(self.logins).items() if k != "token"}
        return {
            **dataclasses.asdict(self.faults),
            **limits,
            "rate_limit": self.limits.rate_limit or None,
            **logins,
            "demo": self.storage.demo,
        }

    def banner(self, base: str) -> list[str]:
        """What a person needs to point a client at the sandbox listening on `base`."""
        logins = self.logins
        return [
            f"Outreach sandbox listening on [bold]{base}/api/v2[/bold]",
            f"  bearer token: {logins.token}   (a sandbox token, not a secret)",
            f"  OAuth: POST {base}/oauth/token  client {logins.client_id} / "
            f"{logins.client_secret}, refresh token {logins.refresh_token}",
            f"  Coefficy: {base}/coefficy/v1  x-access-token: {logins.coefficy_token}",
            f"  data: {self.storage.db or 'in memory (lost on exit)'}",
        ]
