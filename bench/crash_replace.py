"""Randomised kills during replace and recovery: the longer run of the crash suite.

Each trial: an account of N sequences (5 steps, enabled, 2 active prospects each) is applied,
then manifests that remove a step from every sequence (N replaces) are applied by a real
`seqops apply` process that is SIGKILLed right after the sandbox processed a random write;
half the time the recovery run is killed too; then runs repeat until a plan says no changes.
Measured from the raw API, after every write the sandbox processes: moments where both
versions of a sequence were disabled while the old one had active prospects; and at the end:
runs to converge, duplicates, retired versions left enabled, plans that said "no changes"
while the account was wrong.

    .venv/bin/python bench/crash_replace.py [--trials 10] [--sequences 10] [--seed 1]

The instruments are the crash suite's (`tests/crash`): its fault proxy and raw-API audit.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seqops.config import Secret  # noqa: E402
from seqops.providers.outreach import JsonApiClient, StaticToken  # noqa: E402
from tests.crash.audit import Account, read_account  # noqa: E402
from tests.crash.cli import run, start  # noqa: E402
from tests.crash.faults import FaultProxy  # noqa: E402
from tests.reliability.conftest import CANARY, serve  # noqa: E402

STEPS = ["{type: auto_email, wait: 0, template: t-%d}", "{type: call, wait: 1d}",
         "{type: call, wait: 2d}", "{type: auto_email, wait: 3d, template: t-%d}",
         "{type: task, wait: 4d}"]  # fmt: skip


def manifests(folder: Path, n: int, replaced: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    docs = []
    for i in range(n):
        docs.append(
            f"apiVersion: seqops/v1\nkind: Template\nmetadata: {{name: t-{i}}}\n"
            f"spec: {{subject: Hello {i}, bodyHtml: <p>{i}</p>}}\n"
        )
        steps = [s.replace("%d", str(i)) for k, s in enumerate(STEPS) if not (replaced and k == 1)]
        body = "\n".join(f"    - {s}" for s in steps)
        docs.append(
            f"apiVersion: seqops/v1\nkind: Sequence\nmetadata: {{name: seq-{i}}}\n"
            f"spec:\n  displayName: Sequence {i}\n  enabled: true\n  steps:\n{body}\n"
        )
    (folder / "account.yaml").write_text("---\n".join(docs))


def right(account: Account, n: int) -> bool:
    """Every sequence replaced: v2 owned, enabled, 4 steps; v1 retired and disabled."""
    for i in range(n):
        rows = [
            r for r in account.sequences if f"seqops:seq-{i}" in (r["attributes"]["tags"] or [])
        ]
        if len(rows) != 1:
            return False
        attrs = rows[0]["attributes"]
        if attrs["name"] != f"Sequence {i} (v2)" or not attrs["enabled"]:
            return False
        if account.steps_of(int(rows[0]["id"])) != 4:
            return False
    return not account.retired_enabled() and not account.duplicates()


async def audit(app) -> Account:
    transport = httpx.ASGITransport(app=app)
    client = JsonApiClient("http://x/api/v2", StaticToken(Secret(CANARY)), transport=transport)
    try:
        return await read_account(client)
    finally:
        await client.aclose()


def trial(draw: random.Random, n: int, workdir: Path) -> dict:
    holder: list[FaultProxy] = []
    stranded: list[str] = []

    def wrap(app):
        holder.append(FaultProxy(app))
        return holder[0]

    with serve(wrap=wrap) as served:
        proxy = holder[0]
        env = {"SEQOPS_TOKEN": CANARY}
        base, replaced = workdir / "base", workdir / "replaced"
        manifests(base, n, False)
        manifests(replaced, n, True)
        applied = run(["apply", "base", "--yes", "--target", served.url], workdir, 300, **env)
        assert applied.returncode == 0, applied.stderr
        for row in asyncio.run(audit(served.app)).sequences:
            served.sandbox.enroll(int(row["id"]), n=2)

        async def check() -> None:
            stranded.extend((await audit(served.app)).stranded())

        proxy.watch(check)
        figures = {"kills": 0, "runs": 0, "lying_plans": 0}
        writes = 10 * n
        kills = [draw.randint(1, writes)]
        if draw.random() < 0.5:
            kills.append(draw.randint(1, writes // 2))
        argv = [
            "apply",
            "replaced",
            "--yes",
            "--allow-disruption",
            "--force",
            "--target",
            served.url,
        ]
        for nth in kills:
            process = start(argv, workdir, **env)
            proxy.kill_after(nth, process.pid)
            _, err = process.communicate(timeout=300)
            if process.returncode not in (-9, 0):
                print(err.strip().splitlines()[-1:], file=sys.stderr)
            proxy.kill = None
            figures["kills"] += process.returncode == -9
            plan = run(["plan", "replaced", "--detailed-exitcode", "--target", served.url],
                       workdir, 300, **env)  # fmt: skip
            if plan.returncode == 0 and not right(asyncio.run(audit(served.app)), n):
                figures["lying_plans"] += 1
        for _ in range(5):
            figures["runs"] += 1
            run(argv, workdir, 300, **env)
            plan = run(["plan", "replaced", "--detailed-exitcode", "--target", served.url],
                       workdir, 300, **env)  # fmt: skip
            if plan.returncode == 0:
                break
        account = asyncio.run(audit(served.app))
        figures |= {
            "converged": right(account, n),
            "duplicates": len(account.duplicates()),
            "retired_enabled": len(account.retired_enabled()),
            "stranded_moments": len(stranded),
            "writes_seen": len(proxy.log),
        }
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--sequences", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    draw = random.Random(args.seed)
    rows, started = [], time.monotonic()
    for t in range(args.trials):
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(trial(draw, args.sequences, Path(tmp)))
        print(f"trial {t + 1}: {rows[-1]}", file=sys.stderr)
    total = {k: sum(int(r[k]) for r in rows) for k in rows[0]}
    print(
        "| trials | sequences | kills | converged | max runs to converge | duplicates | "
        "retired left enabled | both disabled with active prospects | lying 'no changes' |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.trials} | {args.sequences} | {total['kills']} | {total['converged']}/{args.trials} "
          f"| {max(r['runs'] for r in rows)} | {total['duplicates']} | {total['retired_enabled']} "
          f"| {total['stranded_moments']} | {total['lying_plans']} |")  # fmt: skip
    print(f"\n{time.monotonic() - started:.0f} s in all", file=sys.stderr)


if __name__ == "__main__":
    main()
