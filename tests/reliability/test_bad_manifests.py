"""Every bad manifest of the corpus: `seqops plan` exits 1 with a located error, and not one
request reaches the target (validation comes before the network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .bad_manifests import CORPUS, Case
from .conftest import Cli, Served, serve


@pytest.fixture(scope="module")
def target() -> Iterator[Served]:
    with serve() as served:
        yield served


def test_the_corpus_is_large_and_covers_every_layer():
    assert len({case.id for case in CORPUS}) == len(CORPUS) >= 40
    assert {case.layer for case in CORPUS} == {"syntax", "schema", "semantic"}


def located(output: str, file: str, case: Case) -> bool:
    """At FILE:LINE:COL; a YAML syntax error may be noticed further on, as long as the
    message names the line where the broken construct starts."""
    if f"{file}:{case.line}:" in output:
        return True
    return case.layer == "syntax" and f"{file}:" in output and f"at line {case.line})" in output


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_plan_refuses_a_bad_manifest_before_any_request(
    case: Case, target: Served, workdir: Path, no_canary: list[str]
):
    (workdir / "manifests").mkdir()
    file = workdir / "manifests" / f"{case.id}.yaml"
    file.write_text(case.text)
    before = target.sandbox.request_count
    result = Cli(target.url, no_canary)("plan", "manifests")
    assert result.exit_code == 1, result.output
    assert located(result.stderr, "manifests/" + file.name, case), result.stderr
    assert "Traceback" not in result.output
    assert target.sandbox.request_count == before


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_validate_locates_every_bad_manifest(case: Case, workdir: Path, no_canary: list[str]):
    (workdir / f"{case.id}.yaml").write_text(case.text)
    result = Cli("", no_canary).invoke(["validate", f"{case.id}.yaml", "--no-color"])
    assert result.exit_code == 1, result.output
    assert located(result.output, f"{case.id}.yaml", case), result.output


def test_a_valid_manifest_does_reach_the_target(target: Served, workdir: Path, no_canary):
    """The control: the counter above does move when a plan gets past validation."""
    (workdir / "ok.yaml").write_text(CORPUS[0].text.replace("\tname", "  name") + "spec: {}\n")
    before = target.sandbox.request_count
    result = Cli(target.url, no_canary)("plan", "ok.yaml")
    assert result.exit_code == 0, result.output
    assert target.sandbox.request_count > before
