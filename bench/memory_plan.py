"""Peak memory of `seqops plan` on a large generated account (the bar: 5,000 sequences under
300 MB peak RSS), measured on the `seqops plan` process alone (`os.wait4`).

    .venv/bin/python bench/memory_plan.py                     # 1,000 sequences
    .venv/bin/python bench/memory_plan.py --sequences 5000    # the bar

The manifests (one file per sequence with its templates) describe the served account exactly,
so the plan reads everything and has zero changes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import harness

BAR_MB = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seqops-bench-") as work:
        db, manifests = Path(work) / "account.db", Path(work) / "manifests"
        harness.generate_account_db(db, args.sequences, args.steps)
        documents = harness.write_manifests(manifests, args.sequences, args.steps)
        with harness.served_sandbox(db, "--rate-limit", "0") as url:
            command = [str(harness.SEQOPS), "plan", str(manifests), "--target", url, "--no-color"]
            measured = harness.run_measured(command, {"SEQOPS_TOKEN": harness.TOKEN})
    if measured.exit_code != 0 or "No changes" not in measured.stdout:
        raise SystemExit(f"seqops plan failed ({measured.exit_code}): {measured.stderr[-2000:]}")
    print(f"`seqops plan`, zero changes, {args.steps} steps per sequence")
    print(f"{harness.machine()}\n")
    verdict = "under" if measured.max_rss_mb < BAR_MB else "OVER"
    harness.print_table(
        ["sequences", "manifest documents", "wall s", "peak RSS MB", f"bar {BAR_MB} MB"],
        [[args.sequences, documents, measured.seconds, measured.max_rss_mb, verdict]],
    )


if __name__ == "__main__":
    main()
