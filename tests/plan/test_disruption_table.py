"""The one table that says which changed fields reach prospects in flight
(`seqops.plan.disruption`): it classifies every field a manifest can manage, and
docs/safety.md lists each of them with its reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seqops.manifest.models import KINDS
from seqops.plan.diff import FieldDiff
from seqops.plan.disruption import COMMON, FIELDS, reaches_prospects, rule

DOC = Path(__file__).parents[2] / "docs" / "safety.md"


@pytest.mark.parametrize("kind", ["Sequence", "Template", "Ruleset"])
def test_every_manifest_field_is_classified(kind):
    spec = KINDS[kind].model_fields["spec"].annotation
    assert set(spec.model_fields) == set(FIELDS[kind])


def table_of(kind: str) -> dict[str, tuple[str, str]]:
    """`field -> (yes/no, why)` of the doc's table under `**kind**`."""
    text = DOC.read_text()
    section = text.split(f"**{kind}**", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \|$", section, re.MULTILINE)
    return {name: (said, why) for name, said, why in rows}


@pytest.mark.parametrize("kind", [*FIELDS, "Any kind"])
def test_the_safety_doc_lists_every_field_with_its_decision_and_reason(kind):
    table = FIELDS.get(kind, COMMON)
    documented = table_of(kind)
    assert set(documented) == set(table)
    for name, decided in table.items():
        said, why = documented[name]
        assert said.startswith("yes") == decided.reaches_prospects, name
        assert why == decided.reason, name


def test_a_diff_reaches_prospects_when_any_of_its_fields_does():
    cosmetic = [FieldDiff("displayName", "A", "B"), FieldDiff("throttleCapacity", 1, 2)]
    assert not reaches_prospects("Sequence", cosmetic)
    assert reaches_prospects("Sequence", [*cosmetic, FieldDiff("steps[3].wait", "1d", "2d")])
    assert reaches_prospects("Sequence", [FieldDiff("owner", "a@x.test", "b@x.test")])
    assert not reaches_prospects("Sequence", [FieldDiff("old_version.enabled", True, False)])
    assert not reaches_prospects("Template", [FieldDiff("ownership", None, "seqops:t")])
    assert reaches_prospects("Template", [FieldDiff("bodyHtml", "<p>a</p>", "<p>b</p>")])
    assert not reaches_prospects("Ruleset", [FieldDiff("sequenceExclusivity", "none", "all")])


def test_a_field_no_table_knows_is_taken_to_reach_prospects():
    assert rule("Sequence", "somethingNew").reaches_prospects
    assert rule("Other", "displayName").reaches_prospects
