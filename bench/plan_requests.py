"""Requests and wall time of `seqops plan` on generated accounts, against the sandbox served by
uvicorn with injected latency, next to the minimum number of list pages and next to a
sequential one-GET-per-resource read (the way a Terraform-style refresh reads its state).

    .venv/bin/python bench/plan_requests.py                      # 50 and 500 sequences
    .venv/bin/python bench/plan_requests.py --sizes 50,500,2000 --full-baseline

The planned manifests describe the generated account exactly (a zero-change plan), and once
more with one template and one sequence edited (the plan then also counts that sequence's
prospects: one request). The baseline is timed in full up to `--baseline-limit` requests and
extrapolated linearly beyond that unless `--full-baseline` (the table says which).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import harness
import httpx

from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import plan as make_plan
from seqops.providers.outreach.assemble import COLLECTIONS

TARGET = "bench"
REFRESHED = ("sequences", "sequenceSteps", "sequenceTemplates", "templates", "rulesets")
"""What a per-resource refresh reads: every managed object by id (reference data aside)."""


@dataclass
class PlanRun:
    seconds: float
    requests: int
    changes: int


@dataclass
class Baseline:
    seconds: float
    requests: int
    extrapolated: bool


def resources(n_sequences: int, steps: int, edited: bool = False) -> list:
    documents = [d for i in range(n_sequences) for d in harness.sequence_documents(i, steps)]
    if edited:  # one template's subject and one sequence's first wait
        documents[0]["spec"]["subject"] = "An edited subject"
        sequence = next(d for d in documents if d["kind"] == "Sequence")
        sequence["spec"]["steps"][0]["wait"] = "5d"
    return [manifest_adapter.validate_python(d) for d in documents]


async def plan_once(base_url: str, manifests: list) -> PlanRun:
    wire = harness.Wire()
    provider = harness.observed_provider(base_url, wire)
    try:
        started = time.perf_counter()
        planned = await make_plan(manifests, provider, TARGET)
        seconds = time.perf_counter() - started
    finally:
        await provider.aclose()
    return PlanRun(seconds, wire.requests, len(planned.changes))


def state_ids(base_url: str) -> list[str]:
    """The paths a refresh GETs, in the order it walks its state (untimed: the state file)."""
    listed = _list(base_url)
    by_sequence: dict[str, list[str]] = {}
    step_of_binding = {}
    for step in listed["sequenceSteps"]:
        sequence = step["relationships"]["sequence"]["data"]["id"]
        by_sequence.setdefault(str(sequence), []).append(f"sequenceSteps/{step['id']}")
    for binding in listed["sequenceTemplates"]:
        step = binding["relationships"]["sequenceStep"]["data"]["id"]
        template = binding["relationships"]["template"]["data"]["id"]
        step_of_binding[f"sequenceSteps/{step}"] = [
            f"sequenceTemplates/{binding['id']}",
            f"templates/{template}",
        ]
    paths = [f"rulesets/{r['id']}" for r in listed["rulesets"]]
    for sequence in listed["sequences"]:
        paths.append(f"sequences/{sequence['id']}")
        for step in by_sequence.get(str(sequence["id"]), []):
            paths += [step, *step_of_binding.get(step, [])]
    return paths


def _list(base_url: str) -> dict[str, list[dict]]:
    listed: dict[str, list[dict]] = {}
    with httpx.Client(headers=harness.auth_headers(), timeout=60) as http:
        for collection in REFRESHED:
            url: str | None = f"{base_url}/{collection}?page[size]={harness.PAGE_SIZE}"
            listed[collection] = []
            while url:
                page = http.get(url).raise_for_status().json()
                listed[collection] += page["data"]
                url = (page.get("links") or {}).get("next")
    return listed


def sequential_refresh(base_url: str, limit: int | None) -> Baseline:
    """One GET per managed resource, one after another, as a state refresh does."""
    paths = state_ids(base_url)
    timed = paths if limit is None else paths[:limit]
    with httpx.Client(base_url=base_url + "/", headers=harness.auth_headers()) as http:
        started = time.perf_counter()
        for path in timed:
            http.get(path).raise_for_status()
        seconds = time.perf_counter() - started
    scale = len(paths) / len(timed)
    return Baseline(seconds * scale, len(paths), extrapolated=scale > 1)


def cli_plan(directory: Path, base_url: str) -> harness.Measured | None:
    """`seqops plan` end to end (start-up, loading, planning, rendering), once it can run."""
    try:
        from seqops.manifest import load  # noqa: F401
    except ImportError:
        return None
    command = [str(harness.SEQOPS), "plan", str(directory), "--target", base_url, "--no-color"]
    measured = harness.run_measured(command, {"SEQOPS_TOKEN": harness.TOKEN})
    if measured.exit_code != 0:
        raise SystemExit(f"seqops plan failed ({measured.exit_code}): {measured.stderr[-2000:]}")
    return measured


def measure(size: int, args: argparse.Namespace, work: Path) -> list[object]:
    db = work / f"account-{size}.db"
    harness.generate_account_db(db, size, args.steps)
    manifests_dir = work / f"manifests-{size}"
    harness.write_manifests(manifests_dir, size, args.steps)
    latency = ("--latency-ms", str(args.latency_ms), "--rate-limit", "0")
    with harness.served_sandbox(db, *latency) as url:
        counts = harness.collection_counts(url, COLLECTIONS)
        pages = harness.minimum_pages(counts)
        unchanged = harness.run_async(plan_once(url, resources(size, args.steps)))
        edited = harness.run_async(plan_once(url, resources(size, args.steps, edited=True)))
        cli = cli_plan(manifests_dir, url)
        limit = None if args.full_baseline else args.baseline_limit
        baseline = sequential_refresh(url, limit)
    assert unchanged.changes == 0, f"the generated manifests should plan to zero changes at {size}"
    assert edited.changes == 2, f"the edited manifests should plan two changes at {size}"
    return [
        size,
        sum(counts[c] for c in REFRESHED),
        pages,
        f"{unchanged.requests} (+{unchanged.requests - pages})",
        f"{edited.requests} (+{edited.requests - pages})",
        unchanged.seconds,
        "n/a" if cli is None else cli.seconds,
        baseline.requests,
        f"{baseline.seconds:.1f}{' (extrap.)' if baseline.extrapolated else ''}",
        f"{baseline.seconds / unchanged.seconds:.0f}x",
        "n/a" if cli is None else f"{baseline.seconds / cli.seconds:.0f}x",
    ]


HEADERS = [
    "sequences",
    "managed objects",
    "min list pages",
    "plan requests, 0 changes",
    "plan requests, 2 changes",
    "plan s",
    "`seqops plan` CLI s",
    "refresh GETs",
    "refresh s",
    "speed-up (plan)",
    "speed-up (CLI)",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500", help="comma-separated sequence counts")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--baseline-limit", type=int, default=1000)
    parser.add_argument("--full-baseline", action="store_true", help="never extrapolate")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="seqops-bench-") as work:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, args, Path(work)))
    print(f"plan at {args.latency_ms} ms latency, {args.steps} steps per sequence")
    print(f"{harness.machine()}\n")
    harness.print_table(HEADERS, rows)


if __name__ == "__main__":
    main()
