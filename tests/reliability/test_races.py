"""Two applies racing on one target. Saved plans made from the same live state: the second
to run is refused as stale (optimistic concurrency on `updatedAt`). Concurrent applies of the
same or of conflicting manifests: the account is never left corrupt (twins, half-written
sequences, a step bound twice) and converges on the next run."""

from __future__ import annotations

from pathlib import Path

from .account import assert_exactly_once, listed, write_account
from .conftest import Cli, run_concurrently, serve


def subjects(url: str) -> set[str]:
    return {t["attributes"]["subject"] for t in listed(url, "templates") if "seqops:" in
            " ".join(t["attributes"].get("tags") or [])}  # fmt: skip


def test_the_second_of_two_saved_plans_is_refused_as_stale(workdir: Path, served, cli: Cli):
    write_account(workdir / "base", 2)
    assert cli("apply", "base", "--yes").exit_code == 0
    write_account(workdir / "a", 2, subject="From A")
    write_account(workdir / "b", 2, subject="From B")
    assert cli("plan", "a", "--out", "a.json").exit_code == 0
    assert cli("plan", "b", "--out", "b.json").exit_code == 0

    assert cli("apply", "--plan", "a.json", "--yes").exit_code == 0
    second = cli("apply", "--plan", "b.json", "--yes")

    assert second.exit_code == 1, second.output
    assert "stale" in second.output
    assert subjects(served.url) == {"From A intro", "From A follow-up"}
    assert cli("plan", "a", "--detailed-exitcode").exit_code == 0
    assert_exactly_once(served.url, 2)


def test_concurrent_applies_of_conflicting_edits_never_corrupt(workdir: Path, no_canary):
    with serve(latency_ms=5) as target:
        cli = Cli(target.url, no_canary)
        write_account(workdir / "base", 3)
        assert cli("apply", "base", "--yes").exit_code == 0
        write_account(workdir / "a", 3, subject="From A", wait="4d")
        write_account(workdir / "b", 3, subject="From B", wait="5d")

        codes = run_concurrently(
            workdir, target.url, no_canary, ["apply", "a", "--yes"], ["apply", "b", "--yes"]
        )

        assert set(codes) <= {0, 1}, codes
        assert_exactly_once(target.url, 3)
        live = subjects(target.url)
        assert live <= {f"From {w} {t}" for w in "AB" for t in ("intro", "follow-up")}, live
        assert cli("apply", "b", "--yes").exit_code == 0
        assert cli("plan", "b", "--detailed-exitcode").exit_code == 0
        assert_exactly_once(target.url, 3)


def test_concurrent_applies_of_the_same_edit_agree(workdir: Path, no_canary):
    with serve(latency_ms=5) as target:
        cli = Cli(target.url, no_canary)
        write_account(workdir / "base", 3)
        assert cli("apply", "base", "--yes").exit_code == 0
        write_account(workdir / "edit", 3, subject="Edited", wait="6d")

        codes = run_concurrently(
            workdir, target.url, no_canary, ["apply", "edit", "--yes"], ["apply", "edit", "--yes"]
        )

        assert 0 in codes and set(codes) <= {0, 1}, codes
        assert_exactly_once(target.url, 3)
        assert cli("apply", "edit", "--yes").exit_code == 0
        assert cli("plan", "edit", "--detailed-exitcode").exit_code == 0


def test_concurrent_applies_from_an_empty_account_make_no_twins(workdir: Path, no_canary):
    with serve(latency_ms=5) as target:
        cli = Cli(target.url, no_canary)
        write_account(workdir / "manifests", 3)

        codes = run_concurrently(
            workdir,
            target.url,
            no_canary,
            ["apply", "manifests", "--yes"],
            ["apply", "manifests", "--yes"],
        )

        assert set(codes) <= {0, 1}, codes
        r = cli("apply", "manifests", "--yes")
        print("CODES", codes, r.exit_code, r.output[-2500:])
        assert_exactly_once(target.url, 3)
