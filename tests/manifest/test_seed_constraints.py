"""Every length limit and value list of the seed documents is in the JSON Schema.

Reads `../shared/reference/` (skipped where a checkout has no such sibling directory).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from seqops.manifest import schemagen
from seqops.manifest.schemas import load_schema

# (seed file, seed attribute, manifest kind, spec model, our field)
SEED_FIELDS = [
    ("outreach-sequence.txt", "name", "Sequence", "SequenceSpec", "displayName"),
    ("outreach-sequence.txt", "description", "Sequence", "SequenceSpec", "description"),
    ("outreach-sequence.txt", "salesMotion", "Sequence", "SequenceSpec", "salesMotion"),
    (
        "outreach-sequence.txt",
        "primaryReplyAction",
        "Sequence",
        "SequenceSpec",
        "primaryReplyAction",
    ),
    (
        "outreach-sequence.txt",
        "secondaryReplyAction",
        "Sequence",
        "SequenceSpec",
        "secondaryReplyAction",
    ),
    (
        "outreach-sequence.txt",
        "scheduleIntervalType",
        "Sequence",
        "SequenceSpec",
        "scheduleIntervalType",
    ),
    ("outreach-sequence.txt", "sequenceType", "Sequence", "SequenceSpec", "sequenceType"),
    ("outreach-sequence.txt", "shareType", "Sequence", "SequenceSpec", "shareType"),
    ("outreach-sequence-step.txt", "stepType", "Sequence", "Step", "type"),
    ("outreach-sequence-step.txt", "taskNote", "Sequence", "Step", "note"),
    ("outreach-ruleset.txt", "name", "Ruleset", "RulesetSpec", "displayName"),
    ("outreach-ruleset.txt", "callOptOutAction", "Ruleset", "RulesetSpec", "callOptOutAction"),
    ("outreach-ruleset.txt", "emailOptOutAction", "Ruleset", "RulesetSpec", "emailOptOutAction"),
    ("outreach-ruleset.txt", "smsOptOutAction", "Ruleset", "RulesetSpec", "smsOptOutAction"),
    (
        "outreach-ruleset.txt",
        "meetingBookedAction",
        "Ruleset",
        "RulesetSpec",
        "meetingBookedAction",
    ),
    ("outreach-ruleset.txt", "smsReceivedAction", "Ruleset", "RulesetSpec", "smsReceivedAction"),
    (
        "outreach-ruleset.txt",
        "permitDuplicateProspects",
        "Ruleset",
        "RulesetSpec",
        "permitDuplicateProspects",
    ),
    (
        "outreach-ruleset.txt",
        "sequenceExclusivity",
        "Ruleset",
        "RulesetSpec",
        "sequenceExclusivity",
    ),
]
_ATTRIBUTE = re.compile(r"^\w+ \| ")


def seed_text(reference: Path, file: str, attribute: str) -> str:
    """The seed's row for `attribute`: its line and the description lines that follow."""
    lines = (reference / file).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{attribute} | "))
    end = next((i for i in range(start + 1, len(lines)) if _ATTRIBUTE.match(lines[i])), len(lines))
    return " ".join(lines[start:end])


def our_field(kind: str, model: str, field: str) -> dict[str, Any]:
    schema = load_schema(schemagen.file_name(kind))
    prop = schema["$defs"][model]["properties"][field]
    branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
    [branch] = branches
    return branch


@pytest.mark.parametrize(("file", "attribute", "kind", "model", "field"), SEED_FIELDS)
def test_the_schema_keeps_the_seed_constraint(reference_dir, file, attribute, kind, model, field):
    row = seed_text(reference_dir, file, attribute)
    ours = our_field(kind, model, field)
    values = set(re.findall(r'"([a-z_]+)"', row.split("|", 1)[1]))
    if values:
        assert set(ours["enum"]) == values, row
        return  # a value list is stricter than the seed's length (4 for "continue"!)
    limit = re.search(r"<= (\d+) characters", row)
    assert limit, f"no constraint found in the seed row: {row}"
    assert ours["maxLength"] == int(limit.group(1)), row
