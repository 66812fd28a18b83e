"""A live object's manifest is one of the three kinds an account holds, and asking a template
for its sequence is a caller's bug that stops at once (never a template walked as steps)."""

from __future__ import annotations

import pytest

from seqops.manifest.models import manifest_adapter
from seqops.providers.base import LiveObject, live_resource_adapter


def manifest(kind: str, spec: dict) -> dict:
    return {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": "x"}, "spec": spec}


def test_a_sequence_is_its_own_sequence():
    resource = live_resource_adapter.validate_python(manifest("Sequence", {"steps": []}))
    assert LiveObject(resource, 7).sequence is resource


def test_a_template_is_no_sequence():
    resource = live_resource_adapter.validate_python(manifest("Template", {"subject": "Hi"}))
    with pytest.raises(TypeError, match="Template 7 is not a sequence"):
        LiveObject(resource, 7).sequence  # noqa: B018


def test_a_plan_file_never_reads_an_automation_rule_back_as_a_live_object():
    rule = manifest("AutomationRule", {"sequence": 1})
    manifest_adapter.validate_python(rule)  # a valid manifest...
    with pytest.raises(ValueError, match="tag"):
        live_resource_adapter.validate_python(rule)  # ...that no live object can be
