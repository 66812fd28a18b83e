"""The `Sandbox`: one emulated Outreach account and the knobs tests and benchmarks turn."""

from __future__ import annotations

from collections import Counter

from seqops.sandbox import coefficy, generate, seed
from seqops.sandbox.knobs import Faults, RateLimiter
from seqops.sandbox.oauth import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_REFRESH_TOKEN,
    TokenAuthority,
)
from seqops.sandbox.rules import Context
from seqops.sandbox.store import Store

DEFAULT_TOKEN = "sandbox-token"
DEFAULT_COEFFICY_TOKEN = "coefficy-token"


class Sandbox:
    def __init__(
        self,
        db: str = ":memory:",
        token: str = DEFAULT_TOKEN,
        *,
        latency_ms: int = 0,
        fault_rate: float = 0.0,
        lost_response_rate: float = 0.0,
        rate_limit: int | None = None,
        rate_window: float = 3600.0,
        demo: bool = False,
        seed: int = 0,
        coefficy_token: str = DEFAULT_COEFFICY_TOKEN,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        refresh_token: str = DEFAULT_REFRESH_TOKEN,
        max_page_size: int | None = None,
        clock_skew: float = 0.0,
        count_cap: int | None = None,
    ) -> None:
        self.store = Store(db)
        self.token = token
        self.coefficy_token = coefficy_token
        self.tokens = TokenAuthority(token, client_id, client_secret, refresh_token)
        self.latency_ms = latency_ms
        self.limiter = RateLimiter(rate_limit, rate_window, clock_skew)
        self.max_page_size = max_page_size
        """Listing pages asking for more rows answer an HTML 502 (None: no limit)."""
        self.count_cap = count_cap
        """`meta.count` stops at this, with `count_truncated` (None: no cap)."""
        self.faults = Faults(fault_rate, lost_response_rate, seed)
        self.seed = seed
        self.requests: Counter[tuple[str, str]] = Counter()
        self.request_count = 0
        self.actor_id = self._seed(demo)

    def _seed(self, demo: bool) -> int:
        """Reference data once per database (and the demo account once, when asked)."""
        ctx = Context(self.store, None)
        with self.store.transaction():
            if self.store.get_meta("seeded") is None:
                self.actor_id = seed.seed_reference(ctx)
                self.store.set_meta("api_user", str(self.actor_id))
                self.store.set_meta("seeded", "reference")
                coefficy.seed_coefficy(self, demo)
            ctx.actor_id = int(self.store.get_meta("api_user") or 0)
            if demo and self.store.get_meta("demo") is None:
                seed.seed_demo(ctx)
                self.store.set_meta("demo", "yes")
        return ctx.actor_id

    @property
    def context(self) -> Context:
        return Context(self.store, self.actor_id)

    # -- knobs ------------------------------------------------------------------------------

    def set_faults(
        self, fault_rate: float | None = None, lost_response_rate: float | None = None
    ) -> None:
        if fault_rate is not None:
            self.faults.fault_rate = fault_rate
        if lost_response_rate is not None:
            self.faults.lost_response_rate = lost_response_rate

    def expire_tokens(self) -> None:
        """Invalidate every access token issued by /oauth/token (the static token stays valid)."""
        self.tokens.expire_all()

    def record(self, method: str, template: str) -> None:
        self.requests[(method, template)] += 1
        self.request_count += 1

    def reset_counters(self) -> None:
        self.requests.clear()
        self.request_count = 0

    # -- data for tests and benchmarks -------------------------------------------------------

    def generate_account(
        self,
        n_sequences: int,
        steps_per_sequence: int = 8,
        *,
        owned: bool = True,
        prefix: str = "gen",
    ) -> list[int]:
        return generate.generate_account(
            self.store, self.actor_id, n_sequences, steps_per_sequence, owned=owned, prefix=prefix
        )

    def enroll(self, sequence_id: int, n: int = 1, state: str = "active") -> list[int]:
        return generate.enroll(self.store, self.actor_id, sequence_id, n, state)

    def close(self) -> None:
        self.store.close()
