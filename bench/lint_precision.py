"""Precision and recall of `seqops lint` on a hand-judged corpus of sales email (DESIGN §7:
at least 95 % of findings true, at least 85 % of what a careful reviewer flags found).

    .venv/bin/python bench/lint_precision.py                       # tests/lint/corpus
    .venv/bin/python bench/lint_precision.py path/to/corpus ...    # another judged corpus

A corpus marks each problem on its line with `expect: RULE-ID` (a YAML or HTML comment).
A finding is true when its rule and line are marked; a marked problem is found when a
finding of that rule stands on its line. Objective problems (placeholders, spintax, odd
braces, relative images, stand-ins, an unsubscribe that is no link) are counted apart too.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from seqops.lint import Linter, LintSettings
from seqops.lint.engine import reported
from seqops.manifest import load

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "lint" / "corpus"
EXPECT = re.compile(r"expect: ([\w/-]+)")
OBJECTIVE = {
    "content/placeholder",
    "content/spintax",
    "merge-field/malformed",
    "content/asset-url",
    "content/stand-in",
    "compliance/unlinked-unsubscribe",
}
Mark = tuple[str, str, int]
"""(rule, file, line)."""


def expected(paths: list[Path]) -> set[Mark]:
    marks = set()
    for path in paths:
        for file in sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]:
            for number, line in enumerate(file.read_text().splitlines(), 1):
                marks |= {(m.group(1), str(file), number) for m in EXPECT.finditer(line)}
    return marks


def found(paths: list[Path]) -> set[Mark]:
    result = load(paths)
    return {
        (f.rule, str(Path(f.file)), f.line)
        for f in reported(result, Linter(result, LintSettings()))
    }


def measure(paths: list[Path]) -> dict[str, object]:
    want, got = expected(paths), found(paths)
    hits = want & got
    objective = {m for m in want if m[0] in OBJECTIVE}
    return {
        "findings": len(got),
        "true": len(hits),
        "problems": len(want),
        "found": len(hits),
        "precision": len(hits) / len(got) if got else 1.0,
        "recall": len(hits) / len(want) if want else 1.0,
        "objective recall": len(objective & got) / len(objective) if objective else 1.0,
        "false": sorted(got - want),
        "missed": sorted(want - got),
        "by rule": (
            Counter(m[0] for m in got),
            Counter(m[0] for m in hits),
            Counter(m[0] for m in want),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[CORPUS])
    args = parser.parse_args()
    figures = measure(args.paths)
    print(f"corpus: {', '.join(map(str, args.paths))}")
    print(
        f"findings {figures['findings']}, true {figures['true']}: precision "
        f"{figures['precision']:.1%}\nproblems {figures['problems']}, found {figures['found']}: "
        f"recall {figures['recall']:.1%} (objective problems: {figures['objective recall']:.1%})\n"
    )
    reported_by, true_by, wanted_by = figures["by rule"]  # type: ignore[misc] # a tuple of Counters
    print(f"{'rule':34} {'findings':>8} {'true':>5} {'problems':>8}")
    for rule in sorted(set(reported_by) | set(wanted_by)):
        print(f"{rule:34} {reported_by[rule]:8} {true_by[rule]:5} {wanted_by[rule]:8}")
    for label in ("false", "missed"):
        for rule, file, line in figures[label]:  # type: ignore[attr-defined]
            print(f"{label}: {file}:{line}: {rule}")


if __name__ == "__main__":
    main()
