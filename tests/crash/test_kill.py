"""SIGKILL a real `seqops apply` at random writes of a create, an update and a replace (and of
the recovery run), against a sandbox served by uvicorn on 127.0.0.1, then check from the raw
API: converges in at most 2 runs, no duplicates, nothing lost, never both versions of a
sequence disabled while the old one has active prospects, never a retired version left
enabled, and a re-plan says "no changes" only when the account is what the manifests say.

The kill point is the nth write the sandbox processes (`FaultProxy.kill_after`), drawn from a
fixed set of seeds so CI is repeatable; `bench/crash_replace.py` draws many more."""

from __future__ import annotations

import random
import signal
from pathlib import Path

import httpx
import pytest

from tests.reliability.conftest import CANARY, Cli, serve

from .audit import Account, read_account
from .cli import start
from .faults import FaultProxy
from .manifests import Expected, write_manifests

SEEDS = (11, 23)


class Rig:
    """The served sandbox behind a FaultProxy that watches the replace invariant."""

    def __init__(self, served, proxy: FaultProxy, workdir: Path) -> None:
        self.served, self.proxy, self.workdir = served, proxy, workdir
        self.cli = Cli(served.url)
        self.stranded: list[str] = []
        proxy.watch(self.check)

    async def check(self) -> None:
        account = await self.account()
        self.stranded += account.stranded()

    async def account(self) -> Account:
        from seqops.config import Secret
        from seqops.providers.outreach import JsonApiClient, StaticToken

        transport = httpx.ASGITransport(app=self.served.app)
        client = JsonApiClient(
            "http://sandbox.test/api/v2", StaticToken(Secret(CANARY)), transport=transport
        )
        try:
            return await read_account(client)
        finally:
            await client.aclose()

    def killed_apply(self, folder: str, nth: int, *, must_die: bool = True) -> int:
        """`seqops apply` in a subprocess, SIGKILLed after the sandbox processed its nth write
        (the draws stay below the writes each scenario makes); its exit code."""
        process = start(
            ["apply", folder, "--yes", "--allow-disruption", "--target", self.served.url],
            self.workdir,
            SEQOPS_TOKEN=CANARY,
        )
        self.proxy.kill_after(nth, process.pid)
        out, err = process.communicate(timeout=90)
        self.proxy.kill = None
        if must_die:
            assert process.returncode == -signal.SIGKILL, f"it finished before write {nth}"
        assert "Traceback" not in err and CANARY not in out + err
        return process.returncode

    def plan_is_empty(self, folder: str) -> bool:
        result = self.cli("plan", folder, "--detailed-exitcode")
        assert result.exit_code in (0, 2), result.output
        return result.exit_code == 0

    def converge(self, folder: str) -> None:
        result = self.cli("apply", folder, "--yes", "--allow-disruption")
        assert result.exit_code == 0, result.output
        assert self.plan_is_empty(folder)


def sandbox_state(rig: Rig):
    import asyncio

    return asyncio.run(rig.account())


def check_after_kill(rig: Rig, folder: str, expected: Expected) -> None:
    account = sandbox_state(rig)
    assert account.duplicates() == []
    if rig.plan_is_empty(folder):  # "No changes" only when the account is right
        assert expected.problems(account) == []


def check_converged(rig: Rig, folder: str, expected: Expected) -> None:
    rig.converge(folder)
    account = sandbox_state(rig)
    assert account.duplicates() == []
    assert account.retired_enabled() == []
    assert expected.problems(account) == []
    assert rig.stranded == []


@pytest.fixture
def rig(workdir: Path):
    proxy_holder: list[FaultProxy] = []

    def wrap(app):
        proxy_holder.append(FaultProxy(app))
        return proxy_holder[0]

    with serve(wrap=wrap, latency_ms=2) as served:
        yield Rig(served, proxy_holder[0], workdir)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_create_converges(rig: Rig, seed: int):
    expected = write_manifests(rig.workdir / "v1", version="base")
    nth = random.Random(seed).randint(1, 12)  # of 13 writes
    rig.killed_apply("v1", nth)
    check_after_kill(rig, "v1", expected)
    check_converged(rig, "v1", expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_update_converges(rig: Rig, seed: int):
    write_manifests(rig.workdir / "v1", version="base")
    rig.converge("v1")
    expected = write_manifests(rig.workdir / "v2", version="edited")
    nth = random.Random(seed).randint(1, 6)  # of 7 writes
    rig.killed_apply("v2", nth)
    check_after_kill(rig, "v2", expected)
    check_converged(rig, "v2", expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_replace_and_killed_recovery_converge(rig: Rig, seed: int):
    write_manifests(rig.workdir / "v1", version="base")
    rig.converge("v1")
    demo = next(
        int(r["id"])
        for r in sandbox_state(rig).sequences
        if "seqops:demo" in (r["attributes"].get("tags") or [])
    )
    rig.served.sandbox.enroll(demo, n=2)
    expected = write_manifests(rig.workdir / "v2", version="replaced")
    draw = random.Random(seed)
    rig.killed_apply("v2", draw.randint(1, 7))  # of 8 writes
    check_after_kill(rig, "v2", expected)
    rig.killed_apply("v2", draw.randint(1, 3), must_die=False)  # the recovery, killed too
    check_after_kill(rig, "v2", expected)
    check_converged(rig, "v2", expected)
