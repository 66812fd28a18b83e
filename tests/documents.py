"""The published schemas of the JSON plan and the apply report (`schemas/plan.schema.json`,
`schemas/report.schema.json`), as validators every test can use. `tests/conftest.py` checks
every plan and report document the suite produces against them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@cache
def registry() -> Registry:
    """Every schema of `schemas/` under its `$id` (the plan schema refers to the manifest's)."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        document = json.loads(path.read_text())
        resources.append((document["$id"], Resource.from_contents(document)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry())


def problems(name: str, document: Any) -> list[str]:
    """Where `document` breaks the `name` schema (`plan` or `report`), one line each."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors]


def check_plan(document: Any) -> Any:
    found = problems("plan", document)
    assert not found, "the plan breaks schemas/plan.schema.json:\n" + "\n".join(found[:10])
    return document


def check_report(document: Any) -> Any:
    found = problems("report", document)
    assert not found, "the report breaks schemas/report.schema.json:\n" + "\n".join(found[:10])
    return document
