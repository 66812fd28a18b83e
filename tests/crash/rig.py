"""An in-process sandbox behind a `FaultProxy`, with a provider that dies with the proxy (no
retries) and a `Kit` that plans and converges through the healthy path."""

from __future__ import annotations

from seqops.apply.reconcile import Options, reconcile
from seqops.sandbox.app import create_app
from tests.scenarios.kit import TARGET, TOKEN, Kit, make_provider

from .audit import read_account
from .faults import FaultProxy


class Rig:
    def __init__(self, **sandbox) -> None:
        app = create_app(token=TOKEN, **sandbox)
        self.proxy = FaultProxy(app)
        self.kit = Kit(app, make_provider(self.proxy))
        self.fragile = make_provider(self.proxy, attempts=1)
        self.raw = make_provider(app).client
        """Reads the sandbox behind the proxy (audits see the account even mid-crash)."""
        self.violations: list[str] = []

    def guard(self) -> None:
        """Check after every write that no replace left both versions disabled while the old
        one has active prospects, and record any moment it did."""

        async def check() -> None:
            stranded = (await read_account(self.raw)).stranded()
            self.violations += [f"{key} after {self.proxy.log[-1]}" for key in stranded]

        self.proxy.watch(check)

    async def crashing_run(self, resources, **options):
        """One apply through the fragile provider: it stops where the proxy crashes."""
        return await reconcile(
            resources, self.fragile, TARGET, Options(allow_disruption=True, **options), apply=True
        )

    async def audit(self):
        return await read_account(self.raw)

    async def aclose(self) -> None:
        await self.kit.provider.aclose()
        await self.fragile.aclose()
        await self.raw.aclose()
