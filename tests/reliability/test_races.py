"""Two applies racing on one target. Saved plans made from the same live state: the second
to run is refused as stale (optimistic concurrency on `updatedAt`). Concurrent applies of the
same or of conflicting manifests: the account is never left corrupt (twins, half-written
sequences, a step bound twice) and converges on the next run."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx

from .account import assert_exactly_once, listed, write_account
from .conftest import CANARY, Cli, run_concurrently, serve


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
        write_account(workdir / "base", 2)
        assert cli("apply", "base", "--yes").exit_code == 0
        write_account(workdir / "a", 2, subject="From A", wait="4d")
        write_account(workdir / "b", 2, subject="From B", wait="5d")

        codes = run_concurrently(
            workdir, target.url, no_canary, ["apply", "a", "--yes"], ["apply", "b", "--yes"]
        )

        assert set(codes) <= {0, 1}, codes
        assert_exactly_once(target.url, 2)
        live = subjects(target.url)
        assert live <= {f"From {w} {t}" for w in "AB" for t in ("intro", "follow-up")}, live
        assert cli("apply", "b", "--yes").exit_code == 0
        assert cli("plan", "b", "--detailed-exitcode").exit_code == 0
        assert_exactly_once(target.url, 2)


def test_concurrent_applies_of_the_same_edit_agree(workdir: Path, no_canary):
    with serve(latency_ms=5) as target:
        cli = Cli(target.url, no_canary)
        write_account(workdir / "base", 2)
        assert cli("apply", "base", "--yes").exit_code == 0
        write_account(workdir / "edit", 2, subject="Edited", wait="6d")

        codes = run_concurrently(
            workdir, target.url, no_canary, ["apply", "edit", "--yes"], ["apply", "edit", "--yes"]
        )

        assert 0 in codes and set(codes) <= {0, 1}, codes
        assert_exactly_once(target.url, 2)
        assert cli("apply", "edit", "--yes").exit_code == 0
        assert cli("plan", "edit", "--detailed-exitcode").exit_code == 0


class HoldWritesUntilBothPlanned:
    """Holds every write until two applies have listed the sequences (and a moment more for
    the rest of their reads): both plan against the same empty account, deterministically."""

    def __init__(self, app, parties: int = 2) -> None:
        self.app, self.parties = app, parties
        self.listings = 0
        self.released: asyncio.Event | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            self.released = self.released or asyncio.Event()
            if scope["method"] == "GET" and scope["path"] == "/api/v2/sequences":
                self.listings += 1
                if self.listings == self.parties:
                    asyncio.get_running_loop().call_later(0.5, self.released.set)
            elif scope["method"] != "GET" and scope["path"].startswith("/api/v2/"):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.released.wait(), 15)
        await self.app(scope, receive, send)


def test_concurrent_applies_from_an_empty_account_make_no_twins(workdir: Path, no_canary):
    with serve(wrap=HoldWritesUntilBothPlanned) as target:
        write_account(workdir / "manifests", 2)
        argv = ["apply", "manifests", "--yes"]

        codes = run_concurrently(workdir, target.url, no_canary, argv, argv)

        assert set(codes) <= {0, 1}, codes
        assert_exactly_once(target.url, 2)


def test_a_step_bound_to_two_templates_is_planned_and_repaired(workdir: Path, served, cli: Cli):
    write_account(workdir / "manifests", 1)
    assert cli("apply", "manifests", "--yes").exit_code == 0
    bind(served.url, first_step(served.url), template_id(served.url, "seq-0-follow-up"))

    assert cli("plan", "manifests", "--detailed-exitcode").exit_code == 2
    assert cli("apply", "manifests", "--yes").exit_code == 0

    assert_exactly_once(served.url, 1)


def test_a_step_bound_twice_to_its_template_is_not_a_zero_change_plan(
    workdir: Path, served, cli: Cli
):
    write_account(workdir / "manifests", 1)
    assert cli("apply", "manifests", "--yes").exit_code == 0
    bind(served.url, first_step(served.url), template_id(served.url, "seq-0-intro"))

    result = cli("plan", "manifests", "--detailed-exitcode")

    assert result.exit_code != 0, result.output


def first_step(url: str) -> str:
    return next(s["id"] for s in listed(url, "sequenceSteps") if s["attributes"]["order"] == 1)


def template_id(url: str, owner: str) -> str:
    tag = f"seqops:{owner}"
    return next(t["id"] for t in listed(url, "templates") if tag in t["attributes"]["tags"])


def bind(url: str, step_id: str, template_id: str) -> None:
    """A second sequenceTemplate on a step, as a racing apply (or an A/B test in the UI) adds."""
    relationships = {
        "sequenceStep": {"data": {"type": "sequenceStep", "id": int(step_id)}},
        "template": {"data": {"type": "template", "id": int(template_id)}},
    }
    body = {"data": {"type": "sequenceTemplate", "attributes": {}, "relationships": relationships}}
    headers = {"Authorization": f"Bearer {CANARY}", "Content-Type": "application/vnd.api+json"}
    httpx.post(f"{url}/sequenceTemplates", json=body, headers=headers).raise_for_status()
