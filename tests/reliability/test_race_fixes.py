"""Two `seqops apply` processes that planned against the same empty account, then write at once:
every create settles its race (the lowest id wins, the loser deletes its fresh copy), so both
succeed, nothing is twinned, and the next plan is empty."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .account import RULESET, assert_exactly_once, listed, write_account
from .conftest import Cli, run_concurrently, serve
from .test_races import HoldWritesUntilBothPlanned

SETTLED = "another apply created it first"


def race(workdir: Path, url: str, outputs: list[str], manifests: str) -> list[int]:
    argv = ["apply", manifests, "--yes"]
    before = len(outputs)
    codes = run_concurrently(workdir, url, outputs, argv, argv)
    assert codes == [0, 0], outputs[before:]
    return codes


def test_racing_applies_both_succeed_and_the_loser_says_what_it_kept(workdir: Path, no_canary):
    with serve(wrap=HoldWritesUntilBothPlanned) as target:
        write_account(workdir / "manifests", 2)

        race(workdir, target.url, no_canary, "manifests")

        assert_exactly_once(target.url, 2)
        assert any(SETTLED in text for text in no_canary)
        plan = Cli(target.url, no_canary)("plan", "manifests", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output


def test_a_ruleset_created_by_two_racers_is_created_once(workdir: Path, no_canary):
    with serve(wrap=HoldWritesUntilBothPlanned) as target:
        (workdir / "rules").mkdir()
        (workdir / "rules" / "rules.yaml").write_text(RULESET)

        race(workdir, target.url, no_canary, "rules")

        names = Counter(r["attributes"]["name"] for r in listed(target.url, "rulesets"))
        assert names["Default rules"] == 1, names
        plan = Cli(target.url, no_canary)("plan", "rules", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
