"""A hostile world: trials of `seqops apply` through a fault-injecting HTTP proxy in front of a
served sandbox, and against servers that fail the way dead ones do. One table:

    scenario | trials | converged within N runs | runs | duplicates | lost | bad states | seconds

    .venv/bin/python bench/hostile_world.py                 # 3 trials a scenario
    .venv/bin/python bench/hostile_world.py --trials 10 --only drops,429

Each trial of a fault scenario applies a generated account (manifests of `--sequences`
sequences x `--steps` steps) through the proxy (`seqops.sandbox.hostile.FaultProxy`), rerunning
`seqops apply --yes` until it exits 0, at most `--runs` times; then, the proxy out of the way,
it counts what the account holds: objects twice (duplicates), manifest objects missing (lost),
and a re-plan that is not empty (a bad state). A "rewrite" scenario answers hostile shapes:
there the bar is the opposite, nothing may be written and every run must fail with one clear
line. A dead-target scenario (blackhole, trickle, hang mid-apply) measures how long a run takes
to stop and whether its last line names the host.

Other helpers add rows: a scenario is a `Scenario` in `SCENARIOS` (faults, a server, or a
callable trial of their own: random kills, signals).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness
import httpx

from seqops.sandbox.hostile import Blackhole, FaultProxy, Rule, Trickle, running, started

WRITES = "POST|PATCH|DELETE"


def tags_as_text(document: dict[str, Any]) -> dict[str, Any]:
    for resource in document.get("data") or []:
        resource.setdefault("attributes", {})["tags"] = "seqops:gen-0000"
    return document


def steps_without_sequence(document: dict[str, Any]) -> dict[str, Any]:
    for resource in document.get("data") or []:
        resource.get("relationships", {}).pop("sequence", None)
    return document


@dataclass
class Scenario:
    name: str
    rules: list[Rule] = field(default_factory=list)
    serve: tuple[str, ...] = ()
    """Extra `seqops sandbox serve` flags (`--max-page-size 250`)."""
    hostile: bool = False
    """Answers seqops must refuse to plan from: nothing may be written."""
    dead: str | None = None
    """A dead target instead of the sandbox: blackhole, trickle or hang."""


SCENARIOS = [
    Scenario("drops after 20 % of writes", [Rule("drop", WRITES, rate=0.2)]),
    Scenario("HTML 502 on 10 % of requests", [Rule("html502", rate=0.1)]),
    Scenario("429 storm (30 % of requests)", [Rule("429", rate=0.3)]),
    Scenario("pages over 250 rows answer 502", serve=("--max-page-size", "250")),
    Scenario("a trickled answer (2 % of reads)", [Rule("trickle", "GET", rate=0.02)]),
    Scenario(
        "tags rewritten as a string",
        [Rule("rewrite", "GET", "/sequences$", rewrite=tags_as_text)],
        hostile=True,
    ),
    Scenario(
        "steps without their sequence",
        [Rule("rewrite", "GET", "/sequenceSteps$", rewrite=steps_without_sequence)],
        hostile=True,
    ),
    Scenario("blackhole: accepts, never answers", dead="blackhole"),
    Scenario("trickles every answer", dead="trickle"),
    Scenario("hangs mid-apply", dead="hang"),
]


@dataclass
class Trial:
    converged: bool
    runs: int
    duplicates: int
    lost: int
    bad: int
    seconds: float
    note: str = ""


def seqops(
    args: list[str], target: str, cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEQOPS_TOKEN": harness.TOKEN, "NO_COLOR": "1"}
    command = [str(harness.SEQOPS), *args, "--target", target, "--no-color"]
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def audit(url: str, n: int, steps: int) -> tuple[int, int]:
    """(objects held twice, manifest objects missing) in the account behind `url`."""
    names: dict[str, Counter[str]] = {}
    with httpx.Client(headers=harness.auth_headers(), timeout=60) as http:
        for collection in ("sequences", "templates"):
            found: Counter[str] = Counter()
            next_url: str | None = f"{url}/{collection}?page[size]=100"
            while next_url:
                page = http.get(next_url).raise_for_status().json()
                found.update(r["attributes"]["name"] for r in page["data"])
                next_url = (page.get("links") or {}).get("next")
            names[collection] = found
    wanted = {
        "sequences": {f"gen-{i:04d}" for i in range(n)},
        "templates": {
            harness.template_name(f"gen-{i:04d}", order)
            for i in range(n)
            for order in range(1, steps + 1)
            if harness.STEP_CYCLE[(order - 1) % len(harness.STEP_CYCLE)] == "auto_email"
        },
    }
    duplicates = sum(c - 1 for found in names.values() for c in found.values() if c > 1)
    lost = sum(len(wanted[c] - set(names[c])) for c in wanted)
    return duplicates, lost


@contextlib.contextmanager
def front(scenario: Scenario, sandbox: str, seed: int) -> Iterator[str]:
    """The URL seqops talks to: the proxy in front of the sandbox (or the sandbox itself)."""
    if not scenario.rules:
        yield sandbox
        return
    upstream = sandbox.removesuffix("/api/v2")
    proxy = FaultProxy(upstream, [Rule(**vars(r)) for r in scenario.rules], seed=seed,
                       trickle_interval=0.05)  # fmt: skip
    with running(proxy) as base:
        yield f"{base}/api/v2"


def fault_trial(scenario: Scenario, args: argparse.Namespace, seed: int) -> Trial:
    if scenario.hostile:
        return hostile_trial(scenario, args, seed)
    with tempfile.TemporaryDirectory() as tmp, harness.served_sandbox(None, *scenario.serve) as url:
        work = Path(tmp)
        harness.write_manifests(work / "m", args.sequences, args.steps)
        began = time.monotonic()
        runs, ok = 0, False
        with front(scenario, url, seed) as target:
            while runs < args.runs and not ok:
                runs += 1
                ok = seqops(["apply", "m", "--yes"], target, work).returncode == 0
        seconds = time.monotonic() - began
        duplicates, lost = audit(url, args.sequences, args.steps)
        replan = seqops(["plan", "m", "--detailed-exitcode"], url, work)
        return Trial(ok, runs, duplicates, lost, int(replan.returncode != 0), seconds)


def hostile_trial(scenario: Scenario, args: argparse.Namespace, seed: int) -> Trial:
    """An applied account, then an edit applied through answers of a hostile shape: every
    run must refuse with one clear line and write nothing (the edit still pending after)."""
    with tempfile.TemporaryDirectory() as tmp, harness.served_sandbox(None) as url:
        work = Path(tmp)
        harness.write_manifests(work / "m", args.sequences, args.steps)
        seqops(["apply", "m", "--yes"], url, work)
        edit(work / "m")
        pending = seqops(["plan", "m", "--format", "json"], url, work).stdout
        began = time.monotonic()
        runs, results = 0, []
        with front(scenario, url, seed) as target:
            while runs < args.runs:
                runs += 1
                results.append(seqops(["apply", "m", "--yes"], target, work))
        seconds = time.monotonic() - began
        duplicates, lost = audit(url, args.sequences, args.steps)
        still = seqops(["plan", "m", "--format", "json"], url, work).stdout
    clear = all(
        r.returncode == 1 and "the API answered" in r.stderr and "Traceback" not in r.stderr
        for r in results
    )
    bad = int(not clear or _changes(still) != _changes(pending))
    return Trial(bad == 0, runs, duplicates, lost, bad, seconds, said(results[-1], "answered"))


def edit(manifests: Path) -> None:
    """Every template's subject changed: what an apply would write."""
    for path in manifests.rglob("*.yaml"):
        path.write_text(path.read_text().replace("subject: About ", "subject: Now about "))


def _changes(plan_json: str) -> list[tuple[str, str, str]]:
    return [(c["action"], c["kind"], c["name"]) for c in json.loads(plan_json)["changes"]]


def said(result: subprocess.CompletedProcess[str], word: str) -> str:
    """The first line of a run's output that has `word` (the line that explains it)."""
    lines = (result.stderr + "\n" + result.stdout).splitlines()
    return next((line.strip()[:90] for line in lines if word in line), "")


def dead_trial(scenario: Scenario, args: argparse.Namespace, seed: int) -> Trial:
    with tempfile.TemporaryDirectory() as tmp, dead_target(scenario.dead or "") as (url, host):
        work = Path(tmp)
        harness.write_manifests(work / "m", args.sequences, args.steps)
        began = time.monotonic()
        result = seqops(["apply", "m", "--yes"], url, work, timeout=120)
        seconds = time.monotonic() - began
    line = said(result, "stopped")
    named = host in line and "Traceback" not in result.stderr
    stopped = result.returncode == 1 and seconds < 20
    return Trial(stopped and named, 1, 0, 0, int(not (stopped and named)), seconds, line)


@contextlib.contextmanager
def dead_target(kind: str) -> Iterator[tuple[str, str]]:
    if kind in ("blackhole", "trickle"):
        server = Blackhole() if kind == "blackhole" else Trickle(interval=1.0)
        with started(server):
            yield server.url, f"127.0.0.1:{server.port}"
        return
    with harness.served_sandbox(None) as url:  # answers the reads, then stops answering
        proxy = FaultProxy(url.removesuffix("/api/v2"), [Rule("hang", after=12)])
        with running(proxy) as base:
            yield f"{base}/api/v2", base.removeprefix("http://")


def row(scenario: Scenario, trials: list[Trial], runs: int) -> list[object]:
    return [
        scenario.name,
        len(trials),
        f"{sum(t.converged for t in trials)}/{len(trials)}"
        + ("" if scenario.dead or scenario.hostile else f" within {runs}"),
        max(t.runs for t in trials),
        sum(t.duplicates for t in trials),
        sum(t.lost for t in trials),
        sum(t.bad for t in trials),
        statistics.median(t.seconds for t in trials),
        trials[-1].note,
    ]


HEADERS = [
    "scenario",
    "trials",
    "converged",
    "runs (max)",
    "duplicates",
    "lost",
    "bad states",
    "seconds (median)",
    "what the last run said",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="applies a trial may take")
    parser.add_argument("--sequences", type=int, default=4)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--only", default="", help="comma-separated words a scenario name has")
    args = parser.parse_args()
    words = [w for w in args.only.split(",") if w]
    chosen = [s for s in SCENARIOS if not words or any(w in s.name for w in words)]
    rows = []
    for scenario in chosen:
        trial: Callable[[Scenario, argparse.Namespace, int], Trial]
        trial = dead_trial if scenario.dead else fault_trial
        rows.append(
            row(scenario, [trial(scenario, args, seed) for seed in range(args.trials)], args.runs)
        )
    print(
        f"hostile world: {args.sequences} sequences x {args.steps} steps, {args.trials} trials a "
        f"scenario, at most {args.runs} applies a trial\n{harness.machine()}\n"
    )
    harness.print_table(HEADERS, rows)


if __name__ == "__main__":
    main()
