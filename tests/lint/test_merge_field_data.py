"""The packaged merge-field list is what the OpenAPI description says (re-derived here)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from seqops.preview import mergefields

ROOT = Path(__file__).resolve().parents[2]


def derive_module():
    spec = importlib.util.spec_from_file_location(
        "derive", ROOT / "tools" / "derive_merge_fields.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_packaged_list_matches_the_openapi_description(openapi_spec):
    derived = derive_module().derive(openapi_spec)
    packaged = json.loads((ROOT / "seqops" / "preview" / "data" / "merge_fields.json").read_text())
    assert packaged == derived


def test_the_variables_templates_use_are_known():
    assert {"first_name", "company", "account.name", "sender.first_name"} <= mergefields.known()
    assert "firstName" not in mergefields.known()


def test_snake_case():
    snake = derive_module().snake
    assert snake("firstName") == "first_name"
    assert snake("addressStreet2") == "address_street2"
    assert snake("name") == "name"
