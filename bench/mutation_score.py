"""Mutation score of the safety core (`[tool.mutmut]` in pyproject.toml), per module.

mutmut generates every mutant of `seqops/plan/`, `seqops/apply/`, `seqops/config.py` and the
ownership/redaction modules of the Outreach provider, then runs the tests that cover each one.
All of them (5,469) take over an hour on 2 cores, so by default a fixed-seed sample per
module is run, which bounds the time and still estimates each module's score within a few
points; `--all` runs every mutant.

    .venv/bin/pip install -e '.[test,bench]'
    .venv/bin/python bench/mutation_score.py                  # 40 a module, seed 1
    .venv/bin/python bench/mutation_score.py --sample 100 --seed 7
    .venv/bin/python bench/mutation_score.py --all
    .venv/bin/python bench/mutation_score.py --survivors      # list what survived
    .venv/bin/python bench/mutation_score.py --only 'seqops.plan.steps*' --all

Killed = a test failed (or ran out of time) with the mutant in place. Mutants no test reaches count as
survivors. `bench/mutants-equivalent.md` lists the survivors judged equivalent or harmless.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
# mutmut's exit codes for a kill: a test failed (1, 3) or ran out of time (the rest). -9 is the
# SIGKILL of the CPU-time hard limit, one second after SIGXCPU (mutmut's table calls it
# "segfault"): a mutant that makes a loop endless (`j -= 1` -> `j = 1`) ends there.
KILLED = {1, 3, 24, 36, 152, 255, -24, -9}
NOTHING = "no-mutant-has-this-name"


def mutmut(*args: str, quiet: bool = False) -> None:
    binary = Path(sys.executable).with_name("mutmut")
    stderr = subprocess.DEVNULL if quiet else None
    subprocess.run(
        [str(binary), *args], cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=stderr
    )


def results() -> dict[str, int | None]:
    """Every mutant's name -> its last exit code (None: not run yet), from mutmut's files."""
    found: dict[str, int | None] = {}
    for meta in MUTANTS.rglob("*.py.meta"):
        found.update(json.loads(meta.read_text())["exit_code_by_key"])
    return found


def module_of(name: str) -> str:
    return name.split(".x")[0]


def sample(names: list[str], per_module: int, seed: int) -> list[str]:
    by_module: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        by_module[module_of(name)].append(name)
    rng = random.Random(seed)
    chosen = []
    for group in by_module.values():
        chosen += group if len(group) <= per_module else rng.sample(group, per_module)
    return chosen


def table(codes: dict[str, int | None], chosen: list[str]) -> list[list[object]]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name in chosen:
        if codes.get(name) is None:
            continue
        per[module_of(name)][0] += codes[name] in KILLED
        per[module_of(name)][1] += 1
    rows = [[m, k, n, f"{k / n:.0%}"] for m, (k, n) in sorted(per.items())]
    killed, total = sum(k for k, _ in per.values()), sum(n for _, n in per.values())
    return [*rows, ["all", killed, total, f"{killed / max(total, 1):.0%}"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants per module")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--all", action="store_true", help="every mutant")
    parser.add_argument("--max-children", default="2")
    parser.add_argument("--survivors", action="store_true", help="list the sample's survivors")
    parser.add_argument("--only", action="append", help="mutant-name glob (repeatable)")
    args = parser.parse_args()
    # mutmut generates every mutant, then refuses a filter that matches none of them: that
    # refusal is expected, the mutants are on disk to be listed and sampled
    mutmut("run", "--max-children", args.max_children, NOTHING, quiet=True)
    names = [n for n in results() if not args.only or any(fnmatch.fnmatch(n, g) for g in args.only)]
    chosen = names if args.all else sample(names, args.sample, args.seed)
    mutmut("run", "--max-children", args.max_children, *chosen)
    codes = results()
    what = "every mutant" if args.all else f"{args.sample} mutants a module, seed {args.seed}"
    what += f", only {' '.join(args.only)}" if args.only else ""
    print(f"mutation score of the safety core ({what})\n{harness.machine()}\n")
    harness.print_table(["module", "killed", "run", "score"], table(codes, chosen))
    if args.survivors:
        print("\nsurvivors:")
        for name in sorted(n for n in chosen if codes.get(n) == 0 or codes.get(n) in (5, 33)):
            print(f"  {name}")


if __name__ == "__main__":
    main()
