"""A 422's `source.pointer` (`/data/attributes/name`) as the manifest field it names, so the
refusal is shown where it is written (`FILE:LINE:COL`): the API's attribute and relationship
names are mapped back to the manifest's (`name` is `displayName`, a step's `interval` its
`wait`...)."""

from __future__ import annotations

from seqops.manifest.models.ruleset import PRIORITY_FIELDS, STAGE_FIELDS
from seqops.providers.outreach.errors import ApiError, Path
from seqops.providers.outreach.fields import (
    RULESET_ATTRIBUTES,
    SEQUENCE_ATTRIBUTES,
    STEP_ATTRIBUTES,
    TEMPLATE_ATTRIBUTES,
)

NAMED = {"name": "displayName", "tags": "tags"}
SPEC_FIELDS = {
    "Sequence": {
        **{a: a for a in SEQUENCE_ATTRIBUTES},
        **NAMED,
        "ruleset": "ruleset",
        "owner": "owner",
    },
    "Template": {**{a: a for a in TEMPLATE_ATTRIBUTES}, **NAMED},
    "Ruleset": {
        **{a: a for a in (*RULESET_ATTRIBUTES, *STAGE_FIELDS, *PRIORITY_FIELDS)},
        "name": "displayName",
    },
}
STEP_FIELDS = {
    **{api: key for key, api in STEP_ATTRIBUTES.items()},
    "interval": "wait",
    "date": "date",
    "taskPriority": "priority",
    "isReply": "isReply",
    "template": "template",
}
"""A step's fields, and those of the sequenceTemplates binding its templates."""


def located(refusal: ApiError, kind: str, step: int | None = None) -> ApiError:
    """`refusal` knowing the manifest field its first pointer names, when it names one: in
    the `kind` manifest, or in its step `step` (1-based) for a step or a binding."""
    for pointer in refusal.pointers:
        path = manifest_path(pointer, kind, step)
        if path is not None:
            refusal.field = path
            break
    return refusal


def manifest_path(pointer: str, kind: str, step: int | None = None) -> Path | None:
    parts = pointer.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "data" or parts[1] not in ("attributes", "relationships"):
        return None
    name = parts[2]
    if step is not None:
        field = STEP_FIELDS.get(name)
        return None if field is None else ("spec", "steps", step - 1, field)
    field = SPEC_FIELDS.get(kind, {}).get(name)
    return None if field is None else ("spec", field)
