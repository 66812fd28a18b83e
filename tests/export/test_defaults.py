"""The defaults export leaves out are the ones the API (the sandbox, after the OpenAPI file) fills."""

from __future__ import annotations

import pytest

from seqops.export.defaults import SPEC_DEFAULTS
from seqops.sandbox.resources import RULESET, SEQUENCE, TEMPLATE, defaults

API_TYPES = {"Sequence": SEQUENCE, "Template": TEMPLATE, "Ruleset": RULESET}
NOT_AN_API_ATTRIBUTE = {"Sequence": {"enabled"}}  # enabled: read-only, false until enabled


@pytest.mark.parametrize("kind", sorted(SPEC_DEFAULTS))
def test_every_default_left_out_is_the_api_default(kind):
    api = defaults(API_TYPES[kind])
    for field, value in SPEC_DEFAULTS[kind].items():
        assert api[field] == value, (kind, field)
    writable = {a.name for a in API_TYPES[kind].attributes if not a.readonly}
    assert set(SPEC_DEFAULTS[kind]) - NOT_AN_API_ATTRIBUTE.get(kind, set()) <= writable
