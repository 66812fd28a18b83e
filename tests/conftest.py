"""Fixtures every test area shares."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference"


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
