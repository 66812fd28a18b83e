"""The hand-judged corpus (tests/lint/corpus, see its README): lint's findings are the
problems marked there, within the bars of DESIGN §7, and every objective problem is found at
its line. `bench/lint_precision.py` prints the same figures per rule."""

from __future__ import annotations

from pathlib import Path

from seqops.lint import Linter, LintSettings
from seqops.lint.engine import reported
from seqops.manifest import load

from .conftest import EXPECT

CORPUS = Path(__file__).parent / "corpus"


def marks() -> set[tuple[str, str, int]]:
    return {
        (match.group(1), file.name, number)
        for file in sorted(CORPUS.glob("*.yaml"))
        for number, line in enumerate(file.read_text().splitlines(), 1)
        for match in EXPECT.finditer(line)
    }


def test_the_corpus_findings_are_the_judged_problems():
    result = load([CORPUS])
    assert result.ok, result.errors
    findings = reported(result, Linter(result, LintSettings()))
    got = {(f.rule, Path(f.file).name, f.line) for f in findings}
    want = marks()
    precision = len(got & want) / len(got)
    recall = len(got & want) / len(want)
    detail = f"false: {sorted(got - want)}\nmissed: {sorted(want - got)}"
    assert precision >= 0.95, detail
    assert recall >= 0.85, detail
    assert len(want) >= 40, "the corpus keeps its size"
