"""Raw JSON:API resources checked against what the Outreach provider reads of them
(`providers/outreach/records.SHAPES`): relationship forms, attribute JSON types, step types,
and attributes the account sets that manifests do not manage."""

from __future__ import annotations

from collections import Counter
from typing import Any, get_args

from seqops.doctor.findings import Report
from seqops.manifest.models.sequence import StepType
from seqops.providers.outreach import assemble, documents
from seqops.providers.outreach.records import SHAPES

SERVER_OWNED = frozenset(
    {
        "automationPercentage", "durationInDays", "sequenceStepCount", "displayName", "bodyText",
        "finishOnReply", "locked", "numContactedProspects", "numRepliedProspects",
    }
)  # fmt: skip
"""Attributes the server computes (besides counters `*Count` and timestamps `*At`)."""


def describe(resource: dict[str, Any]) -> str:
    attrs = resource.get("attributes") or {}
    name = attrs.get("name") if isinstance(attrs, dict) else None
    label = f" {name!r}" if isinstance(name, str) else ""
    return f"{resource.get('type')}{label} (id {resource.get('id')})"


def resource_problems(resource: Any, type_name: str) -> list[str]:
    """What seqops would refuse to read in one resource object, as the provider says it
    (`providers/outreach/documents.py`); empty when it reads as expected."""
    return [p.lstrip(".") for p in documents.problems(resource, SHAPES[type_name])]


def is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def unknown_step_type(resource: dict[str, Any]) -> str | None:
    step_type = (resource.get("attributes") or {}).get("stepType")
    return None if step_type in get_args(StepType) else repr(step_type)


def unmanaged_attributes(resources: list[dict[str, Any]], type_name: str) -> Counter[str]:
    """Attributes the account sets (not null) that no manifest field manages, and that the
    server does not compute: left as they are by every apply."""
    read = set(SHAPES[type_name].attributes) | {"name"}
    found: Counter[str] = Counter()
    for resource in resources:
        attrs = resource.get("attributes") if isinstance(resource, dict) else None
        for name, value in (attrs if isinstance(attrs, dict) else {}).items():
            server = name in SERVER_OWNED or name.endswith(("Count", "At"))
            if value not in (None, [], "") and name not in read and not server:
                found[name] += 1
    return found


DEFAULTED = frozenset(
    {
        "sequenceType", "enabled", "tags", "shareType", "scheduleIntervalType",
        "primaryReplyAction", "secondaryReplyAction", "order", "trackOpens", "trackLinks",
        "archived", "isReply", "permitDuplicateProspects", "sequenceExclusivity",
    }
)  # fmt: skip
"""Attributes Outreach fills with a default on create: null there is unusual."""


def defaulted_nulls(resources: list[dict[str, Any]]) -> Counter[str]:
    found: Counter[str] = Counter()
    for resource in resources:
        attrs = resource.get("attributes") if isinstance(resource, dict) else None
        for name, value in (attrs if isinstance(attrs, dict) else {}).items():
            if value is None and name in DEFAULTED:
                found[name] += 1
    return found


def check_shapes(listed: dict[str, list[dict[str, Any]]], report: Report) -> None:
    read_well = []
    for collection, resources in listed.items():
        type_name = assemble.LISTED[collection].type
        problems = [
            f"{describe(r)}: {p}" for r in resources for p in resource_problems(r, type_name)
        ]
        if problems:
            message = (
                f"{len(problems)} value(s) of {collection} seqops cannot read: plan and apply "
                "refuse to work from them until they are fixed"
            )
            report.add("shapes", "blocking", message, problems)
        else:
            read_well.append(f"{len(resources)} {collection}")
    if read_well:
        report.add("shapes", "ok", f"read as the provider expects: {', '.join(read_well)}")
    unknown = [
        f"{describe(s)}: stepType {unknown_step_type(s)}"
        for s in listed.get("sequenceSteps", [])
        if unknown_step_type(s)
    ]
    if unknown:
        message = "steps of a type manifests cannot express: their sequences cannot be planned"
        report.add("step types", "blocking", message, unknown)
    for collection in ("sequences", "sequenceSteps", "templates", "rulesets", "sequenceTemplates"):
        type_name = assemble.LISTED[collection].type
        resources = listed.get(collection, [])
        unmanaged = unmanaged_attributes(resources, type_name)
        if unmanaged:
            items = [f"{name} (set on {n})" for name, n in sorted(unmanaged.items())]
            message = f"{type_name} attributes manifests do not manage: apply leaves them alone"
            report.add("unmanaged attributes", "info", message, items)
        nulls = defaulted_nulls(resources)
        if nulls:
            items = [f"{name} (null on {n})" for name, n in sorted(nulls.items())]
            message = (
                f"{type_name} attributes the API usually fills are null: seqops reads them as "
                "unset, export leaves them out, and a manifest that sets one writes it"
            )
            report.add("nulls", "info", message, items)
