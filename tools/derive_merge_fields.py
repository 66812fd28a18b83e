"""Derive the merge-field variables templates may use from Outreach's OpenAPI description.

Templates name prospect attributes bare (`{{first_name}}`), account attributes under `account.`
and the sending user's under `sender.`, all in snake_case. Only attributes a person would put in
an email are variables: names, titles, the company, addresses, public profiles, the custom
fields; not counters, timestamps, ids, opt-out states or a user's notification settings, which
Outreach does not offer as variables. `FILLED` lists them; each must be an attribute of the
OpenAPI schema (this script refuses one that is not). Run from the repository root:

    python tools/derive_merge_fields.py ../shared/reference/outreach-openapi.json

It rewrites `seqops/preview/data/merge_fields.json`, which the package ships (the OpenAPI file is
not part of it); `tests/lint/test_merge_field_data.py` re-derives it to catch drift, and
`tests/lint/test_docs.py` holds `docs/lint.md`'s list to the same names, both ways.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parents[1] / "seqops" / "preview" / "data" / "merge_fields.json"
SCOPES = {"prospect": "", "account": "account.", "user": "sender."}
"""OpenAPI schema -> the prefix templates write before its attributes."""
CUSTOM = re.compile(r"custom\d+")
FILLED = {
    "prospect": """firstName lastName middleName name nickname title occupation company
        addressCity addressState addressCountry addressStreet addressStreet2 addressZip region
        timeZone degree school specialties eventName campaignName personalNote1 personalNote2
        linkedInUrl twitterUrl twitterUsername facebookUrl githubUrl githubUsername
        angelListUrl websiteUrl1 websiteUrl2 websiteUrl3""",
    "account": """name naturalName domain websiteUrl industry locality description
        numberOfEmployees linkedInUrl companyType""",
    "user": "firstName lastName name email title phoneNumber",
}
"""Per schema, the attributes Outreach fills in templates (the custom fields come on top)."""


def snake(name: str) -> str:
    """`firstName` -> `first_name`, `addressStreet2` -> `address_street2`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def derive(openapi: dict[str, Any]) -> dict[str, list[str]]:
    schemas = openapi["components"]["schemas"]
    derived = {}
    for scope, prefix in SCOPES.items():
        attributes = schemas[scope]["properties"]
        missing = [a for a in FILLED[scope].split() if a not in attributes]
        if missing:
            raise SystemExit(f"{scope}: not attributes of the OpenAPI schema: {missing}")
        chosen = [*FILLED[scope].split(), *(a for a in attributes if CUSTOM.fullmatch(a))]
        derived[scope] = sorted(prefix + snake(attribute) for attribute in chosen)
    return derived


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "../shared/reference/outreach-openapi.json")
    derived = derive(json.loads(source.read_text()))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(derived, indent=1) + "\n")
    print(f"{OUTPUT}: {sum(map(len, derived.values()))} variables from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
