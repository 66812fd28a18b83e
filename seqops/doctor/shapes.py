"""Raw JSON:API resources checked against what the Outreach provider reads of them
(`providers/outreach/records.SHAPES`): relationship forms, attribute JSON types, step types,
and attributes the account sets that manifests do not manage."""

from __future__ import annotations

from collections import Counter
from typing import Any, get_args

from seqops.doctor.findings import Report
from seqops.manifest.models.sequence import StepType
from seqops.providers.outreach import assemble
from seqops.providers.outreach.records import SHAPES

LISTS = frozenset({"tags", "toRecipients", "ccRecipients", "bccRecipients"})
BOOLEANS = frozenset(
    {
        "enabled", "trackOpens", "trackLinks", "archived", "throttlePaused", "transactional",
        "isReply", "autoResumeOotoProspects", "includeUnsubscribeLinks",
        "ootoAutoExtractionEnabled", "stepOverridesEnabled",
    }
)  # fmt: skip
INTEGERS = frozenset(
    {
        "order", "interval", "taskAutoskipDelay", "maxActivations", "throttleCapacity",
        "throttleMaxAddsPerDay", "primaryReplyPauseDuration", "secondaryReplyPauseDuration",
        "applyCompletedStageIn", "autoResumeOotoProspectsExpiresIn", "autoResumeOotoProspectsIn",
        "clicksNeededBeforeCallTaskCreated", "minimumProspectTouchedInterval",
        "opensNeededBeforeCallTaskCreated",
    }
)  # fmt: skip
SERVER_OWNED = frozenset(
    {
        "automationPercentage", "durationInDays", "sequenceStepCount", "displayName", "bodyText",
        "finishOnReply", "locked", "numContactedProspects", "numRepliedProspects",
    }
)  # fmt: skip
"""Attributes the server computes (besides counters `*Count` and timestamps `*At`)."""


KIND_NAMES = {list: "a list of strings", bool: "a boolean", int: "an integer", str: "a string"}


def kind_of(attribute: str) -> tuple[type, ...]:
    if attribute in LISTS:
        return (list,)
    if attribute in BOOLEANS:
        return (bool,)
    if attribute in INTEGERS or attribute.endswith("Count"):
        return (int,)
    return (str,)


def describe(resource: dict[str, Any]) -> str:
    attrs = resource.get("attributes") or {}
    name = attrs.get("name") if isinstance(attrs, dict) else None
    label = f" {name!r}" if isinstance(name, str) else ""
    return f"{resource.get('type')}{label} (id {resource.get('id')})"


def resource_problems(resource: Any, type_name: str) -> list[str]:
    """What the provider would misread in one resource object (empty: reads as expected)."""
    if not isinstance(resource, dict):
        return [f"a {type_name} that is not a JSON object"]
    problems = []
    if resource.get("type") != type_name:
        problems.append(f"type {resource.get('type')!r} where {type_name!r} was listed")
    if not is_id(resource.get("id")):
        problems.append(f"id {resource.get('id')!r} is not an integer")
    attrs = resource.get("attributes")
    if attrs is not None and not isinstance(attrs, dict):
        return [*problems, "attributes is not an object"]
    shape = SHAPES[type_name]
    for name in shape.attributes:
        value = (attrs or {}).get(name)
        if value is not None and not _is_a(value, kind_of(name)):
            expected = KIND_NAMES[kind_of(name)[0]]
            problems.append(f"{name} is {value!r}, seqops reads {expected} (or null)")
    relationships = resource.get("relationships")
    if relationships is not None and not isinstance(relationships, dict):
        return [*problems, "relationships is not an object"]
    links = relationships or {}
    for name in shape.relationships:
        if name in links and not is_relationship(links[name]):
            problems.append(f"relationship {name} is {links[name]!r}, not a JSON:API one")
    return problems


def _is_a(value: Any, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in kinds:
        return False
    if kinds == (list,):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, kinds)


def is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def is_relationship(value: Any) -> bool:
    """A JSON:API relationship object (`data` to-one or to-many, `links`, `meta`), or the
    OpenAPI file's array of them; linkage items carry a `type` and an integer `id`."""
    if isinstance(value, list):
        return all(is_relationship(v) for v in value)
    if not isinstance(value, dict) or not ({"data", "links", "meta"} & set(value)):
        return False
    data = value.get("data")
    items = data if isinstance(data, list) else [] if data is None else [data]
    return all(isinstance(i, dict) and "type" in i and is_id(i.get("id")) for i in items)


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
                f"{len(problems)} value(s) of {collection} seqops cannot read: it ignores them"
            )
            report.add("shapes", "warning", message, problems)
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
