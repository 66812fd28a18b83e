"""`seqops validate` against `check-jsonschema` on the same generated manifest files and the
same `schemas/`: wall time and peak memory of each command, and their ratio, in one run.

    .venv/bin/python bench/validate_vs_checkjsonschema.py                 # 2,000 manifests
    .venv/bin/python bench/validate_vs_checkjsonschema.py --manifests 500 --repeat 5

One document per file (check-jsonschema reads one document per file): 500 generated
sequences are 2,000 manifests (each sequence with the three templates its email steps send).
seqops does all three layers (YAML, JSON Schema, semantics: references resolve etc.);
check-jsonschema only the schema. Each command runs `--repeat` times, alternating; the table
gives the best wall time (the least disturbed by other load) and the largest peak RSS.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import harness

DOCUMENTS_PER_SEQUENCE = 4
"""A generated sequence of 8 steps and the templates of its 3 email steps."""


def commands(directory: Path) -> dict[str, list[str]]:
    files = sorted(str(p) for p in directory.glob("*.yaml"))
    schema = harness.SCHEMAS / "manifest.schema.json"
    return {
        "seqops validate": [str(harness.SEQOPS), "validate", str(directory), "--no-color"],
        "check-jsonschema": [str(harness.CHECK_JSONSCHEMA), "--schemafile", str(schema), *files],
    }


def run(label: str, command: list[str]) -> harness.Measured:
    measured = harness.run_measured(command)
    if measured.exit_code != 0:
        tail = (measured.stderr or measured.stdout)[-1500:]
        raise SystemExit(f"{label} failed with exit {measured.exit_code}:\n{tail}")
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sequences = max(1, args.manifests // DOCUMENTS_PER_SEQUENCE)
    with tempfile.TemporaryDirectory(prefix="seqops-bench-") as work:
        directory = Path(work) / "manifests"
        count = harness.write_manifests(directory, sequences, one_per_file=True)
        runs: dict[str, list[harness.Measured]] = {}
        for _ in range(args.repeat):
            for label, command in commands(directory).items():
                runs.setdefault(label, []).append(run(label, command))
    seconds = {label: min(m.seconds for m in ms) for label, ms in runs.items()}
    rss = {label: max(m.max_rss_mb for m in ms) for label, ms in runs.items()}
    print(f"validate {count} manifest files (one document each), best of {args.repeat}")
    print(f"{harness.machine()}\n")
    rows = [[label, seconds[label], rss[label]] for label in runs]
    base = "check-jsonschema"
    rows.append(
        [
            "ratio seqops / check-jsonschema",
            f"{seconds['seqops validate'] / seconds[base]:.2f}",
            f"{rss['seqops validate'] / rss[base]:.2f}",
        ]
    )
    harness.print_table(["command", "wall s", "peak RSS MB"], rows)


if __name__ == "__main__":
    main()
