"""Mutation score (`[tool.mutmut]` in pyproject.toml), per module or per area.

mutmut generates every mutant of the modules in scope, then runs the tests that cover each one.
The areas: the safety core (`seqops/plan/`, `seqops/apply/`, `seqops/config.py`, the ownership
tags of `providers/outreach/mapping.py`), the renderers (`seqops/render/`), lint
(`seqops/lint/`), the Outreach client (`client`, `paging`, `retries`, `ratelimit`, `breaker`,
`probe`, `auth` under `providers/outreach/`) and the CLI's exit codes (`cli/exits.py`).
Every mutant takes hours on 2 cores, so a fixed-seed sample is run, which bounds the time and
still estimates each group's score within a few points: by default 40 a module (`--by module`),
or N an area with `--by area` (lint has many small modules: an area sample keeps it bounded).
`--all` runs every mutant.

    .venv/bin/pip install -e '.[test,bench]'
    .venv/bin/python bench/mutation_score.py                  # 40 a module, seed 1
    .venv/bin/python bench/mutation_score.py --sample 100 --seed 7
    .venv/bin/python bench/mutation_score.py --by area --sample 80 --seed 3
    .venv/bin/python bench/mutation_score.py --all
    .venv/bin/python bench/mutation_score.py --survivors      # list what survived
    .venv/bin/python bench/mutation_score.py --only 'seqops.plan.steps*' --all
    .venv/bin/python bench/mutation_score.py --by area --area lint --sample 60

Killed = a test failed (or ran out of time) with the mutant in place. Mutants no test reaches count as
survivors. `bench/mutants-equivalent.md` lists the survivors judged equivalent or harmless.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
# mutmut's exit codes for a kill: a test failed (1, 3) or ran out of time (the rest). -9 is the
# SIGKILL of the CPU-time hard limit, one second after SIGXCPU (mutmut's table calls it
# "segfault"): a mutant that makes a loop endless (`j -= 1` -> `j = 1`) ends there.
KILLED = {1, 3, 24, 36, 152, 255, -24, -9}
NOTHING = "no-mutant-has-this-name"
SURVIVED = {0, 5, 33}
"""Exit codes of a mutant that lived: the tests passed (0), or none covered it (5, 33)."""
CLIENT = ("client", "paging", "retries", "ratelimit", "breaker", "probe", "auth")
AREAS = {
    "render": ("seqops.render.",),
    "lint": ("seqops.lint.",),
    "outreach client": tuple(f"seqops.providers.outreach.{m}" for m in CLIENT),
    "cli.exits": ("seqops.cli.exits",),
}
"""Each area's module-name prefixes; every other module in scope is the safety core."""
SAFETY_CORE = "safety core"


def mutmut(*args: str, quiet: bool = False) -> None:
    binary = Path(sys.executable).with_name("mutmut")
    stderr = subprocess.DEVNULL if quiet else None
    # the tests run from mutants/, whose ../shared is not the project's: the tests that read the
    # references (SARIF against its schema, say) would skip and kill nothing
    env = {**os.environ, "SEQOPS_SHARED": str(ROOT.parent / "shared")}
    subprocess.run(
        [str(binary), *args], cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=stderr,
        env=env,
    )  # fmt: skip


def results() -> dict[str, int | None]:
    """Every mutant's name -> its last exit code (None: not run yet), from mutmut's files."""
    found: dict[str, int | None] = {}
    for meta in MUTANTS.rglob("*.py.meta"):
        found.update(json.loads(meta.read_text())["exit_code_by_key"])
    return found


def module_of(name: str) -> str:
    return name.split(".x")[0]


def area_of(name: str) -> str:
    module = module_of(name)
    for area, prefixes in AREAS.items():
        if any(module == p.rstrip(".") or module.startswith(p) for p in prefixes):
            return area
    return SAFETY_CORE


GROUPINGS: dict[str, Callable[[str], str]] = {"module": module_of, "area": area_of}


def sample(
    names: list[str], per_group: int, seed: int, group_of: Callable[[str], str]
) -> list[str]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        grouped[group_of(name)].append(name)
    rng = random.Random(seed)
    chosen = []
    for group in grouped.values():
        chosen += group if len(group) <= per_group else rng.sample(group, per_group)
    return chosen


def table(
    codes: dict[str, int | None], chosen: list[str], group_of: Callable[[str], str]
) -> list[list[object]]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name in chosen:
        if codes.get(name) is None:
            continue
        per[group_of(name)][0] += codes[name] in KILLED
        per[group_of(name)][1] += 1
    rows = [[m, k, n, f"{k / n:.0%}"] for m, (k, n) in sorted(per.items())]
    killed, total = sum(k for k, _ in per.values()), sum(n for _, n in per.values())
    return [*rows, ["all", killed, total, f"{killed / max(total, 1):.1%}"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants per module (or area)")
    parser.add_argument("--by", choices=GROUPINGS, default="module", help="sample and score per")
    parser.add_argument("--area", action="append", choices=[*AREAS, SAFETY_CORE], help="only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--all", action="store_true", help="every mutant")
    parser.add_argument("--max-children", default="2")
    parser.add_argument("--survivors", action="store_true", help="list the sample's survivors")
    parser.add_argument("--only", action="append", help="mutant-name glob (repeatable)")
    args = parser.parse_args()
    # mutmut generates every mutant, then refuses a filter that matches none of them: that
    # refusal is expected, the mutants are on disk to be listed and sampled
    mutmut("run", "--max-children", args.max_children, NOTHING, quiet=True)
    group_of = GROUPINGS[args.by]
    names = [n for n in results() if wanted(n, args.only, args.area)]
    chosen = names if args.all else sample(names, args.sample, args.seed, group_of)
    mutmut("run", "--max-children", args.max_children, *chosen)
    codes = results()
    what = "every mutant" if args.all else f"{args.sample} mutants a{'n' * (args.by == 'area')} "
    what += "" if args.all else f"{args.by}, seed {args.seed}"
    what += f", only {' '.join(args.only)}" if args.only else ""
    what += f", areas {', '.join(args.area)}" if args.area else ""
    print(f"mutation score ({what})\n{harness.machine()}\n")
    harness.print_table([args.by, "killed", "run", "score"], table(codes, chosen, group_of))
    if args.survivors:
        print("\nsurvivors:")
        for name in sorted(n for n in chosen if codes.get(n) in SURVIVED):
            print(f"  {name}")


def wanted(name: str, globs: list[str] | None, areas: list[str] | None) -> bool:
    if globs and not any(fnmatch.fnmatch(name, g) for g in globs):
        return False
    return not areas or area_of(name) in areas


if __name__ == "__main__":
    main()
