"""Randomised kills during replace and recovery: the longer run of the crash suite.

`--scenario replace` (default): an account of N sequences (5 steps, enabled, 2 active
prospects each) is applied, then manifests that remove a step from every sequence (N replaces,
whose old versions drain) are applied by a real `seqops apply` process that is SIGKILLed right
after the sandbox processed a random write; half the time the recovery run is killed too; then
runs repeat until a plan says no changes.

`--scenario mixed` (issue 23): 7 owned objects (under `minOwned: 10`), then one apply approved
with `--allow-disruption` alone: a template edit and a ruleset change reaching prospects, two
replaces, a rename and three new sequences sending two new templates; killed at a random
write (and half the time its first rerun too), then re-run with the same flag only.

Measured from the raw API, after every write the sandbox processes: moments where both
versions of a sequence were disabled while the old one had active prospects; and at the end:
runs to converge, reruns refused (a threshold the approved flags do not lift), duplicates,
objects lost, bad states (a retired version left enabled, pending prospects in a retired
version, a stranded moment), plans that said "no changes" while the account was wrong.

    .venv/bin/python bench/crash_replace.py [--scenario replace|mixed] [--trials 10]
        [--sequences 10] [--seed 1]

The instruments are the crash suite's (`tests/crash`): its fault proxy and raw-API audit.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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
    """Every sequence replaced: v2 owned, enabled, 4 steps; no retired version enabled."""
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


MIXED_BASE = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {{name: rules}}
spec: {{displayName: Rules, includeUnsubscribeLinks: {unsubscribe}}}
---
"""
TEMPLATE = "apiVersion: seqops/v1\nkind: Template\nmetadata: {{name: {n}}}\nspec: {{subject: {s}, bodyHtml: <p>{n}</p>}}\n"
SEQUENCE = (
    "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {{name: {n}}}\nspec:\n  displayName: {d}\n"
    "  enabled: {e}\n{extra}  steps:\n{steps}\n"
)


def mixed_manifests(folder: Path, edited: bool) -> None:
    """7 owned objects (3 templates, 4 sequences); `edited`: issue 23's mixed plan."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = [MIXED_BASE.format(unsubscribe="false" if edited else "true")]
    subjects = {"a": "New words" if edited else "Hello", "b": "Bee", "c": "Sea"}
    new_templates = ["n1", "n2"] if edited else []
    docs += [TEMPLATE.format(n=n, s=subject) for n, subject in subjects.items()]
    docs += [TEMPLATE.format(n=n, s=n.upper()) for n in new_templates]
    s1 = ["{type: auto_email, wait: 0, template: a}", "{type: call, wait: 1d}",
          "{type: auto_email, wait: 2d, template: b}"]  # fmt: skip
    s2 = ["{type: auto_email, wait: 0, template: b}", "{type: call, wait: 1d}",
          "{type: task, wait: 2d}"]  # fmt: skip
    sequences = [
        ("s1", "One", "true", "  ruleset: rules\n", [s1[0], s1[2]] if edited else s1),
        ("s2", "Two", "true", "", [s2[1], s2[0], s2[2]] if edited else s2),
        ("s3", "Three, renamed" if edited else "Three", "true", "", [s1[0]]),
        ("s4", "Four", "false", "", [s2[1]]),
    ]
    if edited:
        sequences += [
            (f"new{i}", f"New {i}", "true", "",
             [f"{{type: auto_email, wait: 0, template: n{1 + i % 2}}}", "{type: call, wait: 1d}"])
            for i in range(3)
        ]  # fmt: skip
    for name, display, enabled, extra, steps in sequences:
        body = "\n".join(f"    - {x}" for x in steps)
        docs.append(SEQUENCE.format(n=name, d=display, e=enabled, extra=extra, steps=body))
    (folder / "account.yaml").write_text("---\n".join(docs))


MIXED_EXPECTED = {
    "s1": ("One (v2)", 2),
    "s2": ("Two (v2)", 3),
    "s3": ("Three, renamed", 1),
    "s4": ("Four", 1),
    **{f"new{i}": (f"New {i}", 2) for i in range(3)},
}


def mixed_right(account: Account, n: int) -> bool:
    return not mixed_lost(account) and not account.duplicates() and not bad_states(account)


def mixed_lost(account: Account) -> list[str]:
    """Sequences of the edited manifests missing or not as they say (name, steps)."""
    lost = []
    for key, (name, steps) in MIXED_EXPECTED.items():
        rows = [r for r in account.sequences if f"seqops:{key}" in (r["attributes"]["tags"] or [])]
        if (
            len(rows) != 1
            or rows[0]["attributes"]["name"] != name
            or account.steps_of(int(rows[0]["id"])) != steps
        ):
            lost.append(key)
    return lost


def bad_states(account: Account) -> list[str]:
    return account.retired_enabled() + account.retired_pending()


async def audit(app) -> Account:
    transport = httpx.ASGITransport(app=app)
    client = JsonApiClient("http://x/api/v2", StaticToken(Secret(CANARY)), transport=transport)
    try:
        return await read_account(client)
    finally:
        await client.aclose()


@dataclass
class Scenario:
    name: str
    write: Callable[[Path, int, bool], None]
    right: Callable[[Account, int], bool]
    flags: tuple[str, ...]
    enrolled: Callable[[Account], list[int]]
    writes: Callable[[int], int]
    lost: Callable[[Account, int], int]


SCENARIOS = {
    "replace": Scenario(
        "replace",
        manifests,
        right,
        ("--allow-disruption", "--force"),
        lambda account: [int(r["id"]) for r in account.sequences],
        lambda n: 10 * n,
        lambda account, n: sum(
            1
            for i in range(n)
            if not any(
                f"seqops:seq-{i}" in (r["attributes"]["tags"] or []) for r in account.sequences
            )
        ),
    ),
    "mixed": Scenario(
        "mixed",
        lambda folder, n, edited: mixed_manifests(folder, edited),
        mixed_right,
        ("--allow-disruption",),
        lambda account: [
            int(r["id"])
            for r in account.sequences
            if {"seqops:s1", "seqops:s2"} & set(r["attributes"]["tags"] or [])
        ],
        lambda n: 40,
        lambda account, n: len(mixed_lost(account)),
    ),
}


def trial(draw: random.Random, n: int, workdir: Path, scenario: Scenario) -> dict:
    holder: list[FaultProxy] = []
    stranded: list[str] = []

    def wrap(app):
        holder.append(FaultProxy(app))
        return holder[0]

    started = time.monotonic()
    with serve(wrap=wrap) as served:
        proxy = holder[0]
        env = {"SEQOPS_TOKEN": CANARY}
        base, replaced = workdir / "base", workdir / "replaced"
        scenario.write(base, n, False)
        scenario.write(replaced, n, True)
        applied = run(["apply", "base", "--yes", "--target", served.url], workdir, 300, **env)
        assert applied.returncode == 0, applied.stderr
        for id in scenario.enrolled(asyncio.run(audit(served.app))):
            served.sandbox.enroll(id, n=2)

        async def check() -> None:
            stranded.extend((await audit(served.app)).stranded())

        proxy.watch(check)
        figures = {"kills": 0, "runs": 0, "refused": 0, "lying_plans": 0}
        writes = scenario.writes(n)
        kills = [draw.randint(1, writes)]
        if draw.random() < 0.5:
            kills.append(draw.randint(1, writes // 2))
        argv = ["apply", "replaced", "--yes", *scenario.flags, "--target", served.url]
        plan_argv = ["plan", "replaced", "--detailed-exitcode", "--target", served.url]
        for nth in kills:
            process = start(argv, workdir, **env)
            proxy.kill_after(nth, process.pid)
            _, err = process.communicate(timeout=300)
            if process.returncode not in (-9, 0):
                print(err.strip().splitlines()[-1:], file=sys.stderr)
            proxy.kill = None
            figures["kills"] += process.returncode == -9
            plan = run(plan_argv, workdir, 300, **env)
            if plan.returncode == 0 and not scenario.right(asyncio.run(audit(served.app)), n):
                figures["lying_plans"] += 1
        for _ in range(5):
            figures["runs"] += 1
            rerun = run(argv, workdir, 300, **env)
            figures["refused"] += "refused by the" in rerun.stdout + rerun.stderr
            if rerun.returncode != 0:  # what a rerun left undone, for whoever reads the log
                failed = [x for x in rerun.stdout.splitlines() if x.startswith(("failed", "not "))]
                print(
                    f"rerun {figures['runs']}: exit {rerun.returncode}: {failed}", file=sys.stderr
                )
            if run(plan_argv, workdir, 300, **env).returncode == 0:
                break
        account = asyncio.run(audit(served.app))
        figures |= {
            "converged": scenario.right(account, n),
            "within_2": scenario.right(account, n) and figures["runs"] <= 2,
            "duplicates": len(account.duplicates()),
            "lost": scenario.lost(account, n),
            "bad_states": len(bad_states(account)) + len(stranded),
            "writes_seen": len(proxy.log),
            "seconds": time.monotonic() - started,
        }
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="replace")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--sequences", type=int, default=10, help="replace: how many")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = SCENARIOS[args.scenario]
    draw = random.Random(args.seed)
    rows, started = [], time.monotonic()
    for t in range(args.trials):
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(trial(draw, args.sequences, Path(tmp), scenario))
        print(f"trial {t + 1}: {rows[-1]}", file=sys.stderr)
    total = {k: sum(int(r[k]) for r in rows) for k in rows[0] if k != "seconds"}
    seconds = time.monotonic() - started
    print(
        "| scenario | trials | kills | converged within 2 runs | max runs | reruns refused | "
        "duplicates | lost | bad states | lying 'no changes' | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {scenario.name} | {args.trials} | {total['kills']} | {total['within_2']}/{args.trials} "
          f"| {max(r['runs'] for r in rows)} | {total['refused']} | {total['duplicates']} "
          f"| {total['lost']} | {total['bad_states']} | {total['lying_plans']} | {seconds:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
