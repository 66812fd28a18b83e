"""Apply a generated account to an empty sandbox served by uvicorn: writes, requests against the
DESIGN §7 bound (1.05 x writes + list pages), wall time, peak requests in flight, and 429s
seen, without and with a tight rate limit.

    .venv/bin/python bench/apply_empty.py                       # 50 sequences x 8 steps
    .venv/bin/python bench/apply_empty.py --sequences 200 --rate-limit 600 --rate-window 10

Apply runs through seqops' core (`reconcile(..., apply=True)`, concurrency 8 as the CLI uses)
over an instrumented transport that sees every request the client sends: its plan's reads and
its writes are counted, the re-plan after it is not. Each run ends with that re-plan, which
must have zero changes, and a check that no object was created twice.
"""

from __future__ import annotations

import argparse
import copy
import time
from collections import Counter
from dataclasses import dataclass

import harness
import httpx

from seqops.apply.reconcile import Options, reconcile
from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import plan as make_plan

TARGET = "bench"


@dataclass
class ApplyRun:
    changes: int
    done: int
    seconds: float
    wire: harness.Wire
    """What the plan and apply sent (the re-plan is not counted)."""
    replan_changes: int


def resources(n_sequences: int, steps: int) -> list:
    documents = [d for i in range(n_sequences) for d in harness.sequence_documents(i, steps)]
    return [manifest_adapter.validate_python(d) for d in documents]


async def apply_once(base_url: str, manifests: list, concurrency: int) -> ApplyRun:
    wire = harness.Wire()
    provider = harness.observed_provider(base_url, wire, concurrency)
    try:
        started = time.perf_counter()
        outcome = await reconcile(
            manifests, provider, TARGET, Options(concurrency=concurrency), apply=True
        )
        seconds = time.perf_counter() - started
        applied = copy.deepcopy(wire)  # what the re-plan below sends is not the apply's
        replan = await make_plan(manifests, provider, TARGET)
    finally:
        await provider.aclose()
    report = outcome.report
    done = 0 if report is None else report.counts["done"]
    return ApplyRun(len(outcome.plan.changes), done, seconds, applied, len(replan.changes))


def duplicates(base_url: str) -> int:
    """Objects sharing a name with another of their type (a twin from a retried create)."""
    twins = 0
    with httpx.Client(headers=harness.auth_headers(), timeout=60) as http:
        for collection in ("sequences", "templates"):
            url: str | None = (
                f"{base_url}/{collection}?page[size]=1000&fields[{collection[:-1]}]=name"
            )
            names: Counter[str] = Counter()
            while url:
                page = http.get(url).raise_for_status().json()
                names.update(r["attributes"]["name"] for r in page["data"])
                url = (page.get("links") or {}).get("next")
            twins += sum(n - 1 for n in names.values() if n > 1)
    return twins


def measure(label: str, args: argparse.Namespace, limit: tuple[str, ...]) -> list[object]:
    options = ("--latency-ms", str(args.latency_ms), *limit)
    with harness.served_sandbox(None, *options) as url:
        run = harness.run_async(
            apply_once(url, resources(args.sequences, args.steps), args.concurrency)
        )
        twins = duplicates(url)
    wire = run.wire
    bound = 1.05 * wire.writes + wire.listings
    return [
        label,
        f"{run.done}/{run.changes}",
        wire.writes,
        wire.listings,
        wire.requests,
        f"{bound:.0f} ({'ok' if wire.requests <= bound else 'OVER'})",
        run.seconds,
        wire.peak,
        wire.statuses[429],
        run.replan_changes,
        twins,
    ]


HEADERS = [
    "rate limit",
    "changes done",
    "writes",
    "list pages",
    "requests",
    "bound: 1.05 x writes + pages",
    "wall s",
    "peak in flight",
    "429s",
    "re-plan changes",
    "duplicates",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=50)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate-limit", type=int, default=300, help="requests per window")
    parser.add_argument("--rate-window", type=float, default=10.0, help="seconds")
    args = parser.parse_args()
    tight = ("--rate-limit", str(args.rate_limit), "--rate-window", str(args.rate_window))
    rows = [
        measure("none", args, ("--rate-limit", "0")),
        measure(f"{args.rate_limit} per {args.rate_window:g} s", args, tight),
    ]
    print(
        f"apply from empty: {args.sequences} sequences x {args.steps} steps, "
        f"{args.latency_ms} ms latency, concurrency {args.concurrency}"
    )
    print(f"{harness.machine()}\n")
    harness.print_table(HEADERS, rows)


if __name__ == "__main__":
    main()
