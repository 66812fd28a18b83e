"""Reading a saved plan file (`plan --out`) for `apply --plan` and `show`: one line per
problem (missing, unreadable, not JSON, not a plan, tampered with)."""

from __future__ import annotations

import json
from pathlib import Path

from seqops.cli.common import fail
from seqops.plan.plan import Plan, PlanFileError


def read_plan(path: Path) -> Plan:
    """The plan saved in `path`, its checksum verified; exit 1 with one line otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"{path}: cannot read the plan: {exc.strerror}") from None
    except ValueError as exc:  # JSON or UTF-8
        raise fail(f"{path}: not a seqops plan file (not JSON: {exc})") from None
    if not isinstance(data, dict):
        raise fail(f"{path}: not a seqops plan file (a JSON {type(data).__name__})")
    try:
        return Plan.from_json(data)
    except PlanFileError as exc:
        raise fail(f"{path}: {exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise fail(f"{path}: not a seqops plan file ({type(exc).__name__}: {exc})") from None
