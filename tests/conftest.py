"""Fixtures every test area shares, and the environment every test starts from."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SEQOPS_SHARED") or ROOT.parent / "shared")
"""`../shared`; bench/mutation_score.py names it, since mutmut runs the tests from `mutants/`."""
REFERENCE = SHARED / "reference"

USER_SETTINGS = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERM",
    "COLUMNS",
    "LINES",
    "CI",
    "GITHUB_ACTIONS",
    "SEQOPS_TOKEN",
)
"""What a user's shell or a CI runner says about colour, width, CI and credentials. A test
that depends on one of them sets it itself; the suite must pass whatever they say (`.ci/run`
runs it with NO_COLOR=1 FORCE_COLOR=1 TERM=dumb COLUMNS=80 CI=true; rich reads several of them
whenever a console is made, the CLI's colour rules read NO_COLOR and FORCE_COLOR)."""


IN_CI = bool(os.environ.get("CI"))
"""Whether the suite runs in CI, read before the environment is cleaned: tests of optional
tools skip on a developer's machine and fail in CI (`tests/ci/workflows.required_in_ci`)."""


def pytest_configure(config: pytest.Config) -> None:
    """Before anything is imported or collected: subprocesses and consoles made at import time
    see the same clean environment as the tests. `unsetenv` too: GNU readline (which pytest
    imports) exports LINES and COLUMNS behind `os.environ`'s back, and subprocesses inherit
    the process environment, not the mapping."""
    for name in USER_SETTINGS:
        os.environ.pop(name, None)
        os.unsetenv(name)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """`../shared/reference`, or a skip: a clone outside the project layout has no ../shared."""
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} is absent (only the project's own checkout layout has ../shared)")
    return REFERENCE


@pytest.fixture(scope="session")
def openapi_spec(reference_dir: Path) -> dict:
    """Outreach's OpenAPI description, parsed once per run."""
    import json

    return json.loads((reference_dir / "outreach-openapi.json").read_text())


@pytest.fixture(autouse=True)
def published_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON plan and apply report a test produces in process (`plan --format json`,
    `--out`, `--report`, `Plan.to_json()` in scenarios...) is checked against its published
    schema as it is made: a field added without its schema fails the test that made it."""
    from seqops.apply.report import ApplyReport
    from seqops.plan.plan import Plan
    from tests.documents import check_plan, check_report

    plan_json, report_json = Plan.to_json, ApplyReport.to_json
    monkeypatch.setattr(Plan, "to_json", lambda self: check_plan(plan_json(self)))
    monkeypatch.setattr(ApplyReport, "to_json", lambda self: check_report(report_json(self)))
