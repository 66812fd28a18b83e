"""Derive the merge-field variables templates may use from Outreach's OpenAPI description.

Templates name prospect attributes bare (`{{first_name}}`), account attributes under `account.`
and the sending user's under `sender.`, all in snake_case. Run from the repository root:

    python tools/derive_merge_fields.py ../shared/reference/outreach-openapi.json

It rewrites `seqops/lint/data/merge_fields.json`, which the package ships (the OpenAPI file is
not part of it); `tests/lint/test_merge_field_data.py` re-derives it to catch drift.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parents[1] / "seqops" / "lint" / "data" / "merge_fields.json"
SCOPES = {"prospect": "", "account": "account.", "user": "sender."}
"""OpenAPI schema -> the prefix templates write before its attributes."""


def snake(name: str) -> str:
    """`firstName` -> `first_name`, `addressStreet2` -> `address_street2`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def derive(openapi: dict[str, Any]) -> dict[str, list[str]]:
    schemas = openapi["components"]["schemas"]
    return {
        scope: sorted(prefix + snake(attribute) for attribute in schemas[scope]["properties"])
        for scope, prefix in SCOPES.items()
    }


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "../shared/reference/outreach-openapi.json")
    derived = derive(json.loads(source.read_text()))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(derived, indent=1) + "\n")
    print(f"{OUTPUT}: {sum(map(len, derived.values()))} variables from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
