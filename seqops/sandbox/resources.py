"""Declarative descriptions of the Outreach resource types the sandbox serves.

Everything generic (storage columns, validation, filters, sorts, sparse fieldsets, includes)
is driven by these descriptions; only cross-field rules and computed attributes live in
`rules.py`. Attribute names, lengths and read-only/filterable/sortable badges follow
`outreach-openapi.json` and the seed documents (tests/sandbox/test_registry.py checks them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Attribute kinds: how a value is validated, filtered and sorted.
STRING, TEXT_LIST, INTEGER, NUMBER, BOOLEAN, DATETIME, DATE, OBJECT = (
    "string",
    "strings",
    "integer",
    "number",
    "boolean",
    "datetime",
    "date",
    "object",
)

OPERATIONS_ALL = frozenset({"list", "get", "create", "update", "delete"})
SHARE_TYPES = ("private", "read_only", "shared")
REPLY_ACTIONS = ("finish", "continue", "pause")
STEP_TYPES = ("auto_email", "manual_email", "call", "task")
STATES = ("active", "pending", "paused", "finished", "disabled", "failed", "bounced", "opted_out")


@dataclass(frozen=True)
class Attr:
    name: str
    kind: str = STRING
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    readonly: bool = False
    filterable: bool = False
    sortable: bool = False
    required: bool = False  # on create
    default: Any = None  # what the server fills in on create (None: absent)


@dataclass(frozen=True)
class ToOne:
    name: str
    target: str
    readonly: bool = False
    required: bool = False  # on create
    immutable: bool = False  # may be set on create only


@dataclass(frozen=True)
class ToMany:
    """A read-only to-many relationship: the inverse of `target.inverse` (a ToOne).

    `linkage`: whether resource objects carry its ids (the OpenAPI file gives some to-many
    relationships only as `links`; those are still usable in filters and includes).
    """

    name: str
    target: str
    inverse: str
    linkage: bool = True


@dataclass(frozen=True)
class LinksOnly:
    """A to-many relationship the API gives only as `{"links": {"related": URL}}`: the
    collection `path` filtered by `filter[<inverse>][id]=<id>` (the guide's prospect mailings).
    Its target need not be a type the sandbox serves: the link is printed, not followed."""

    name: str
    path: str
    inverse: str


@dataclass(frozen=True)
class ResourceType:
    name: str  # JSON:API type, e.g. "sequenceStep"
    path: str  # collection path, e.g. "sequenceSteps"
    attributes: tuple[Attr, ...]
    to_one: tuple[ToOne, ...] = ()
    to_many: tuple[ToMany, ...] = ()
    links_only: tuple[LinksOnly, ...] = ()
    operations: frozenset[str] = OPERATIONS_ALL
    cascade: tuple[str, ...] = ()  # to-many relationships deleted along with the object
    attrs: dict[str, Attr] = field(init=False, repr=False)
    rels: dict[str, ToOne | ToMany] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", {a.name: a for a in self.attributes})
        rels: dict[str, ToOne | ToMany] = {r.name: r for r in self.to_one}
        rels |= {r.name: r for r in self.to_many}
        object.__setattr__(self, "rels", rels)

    def many(self, name: str) -> ToMany:
        """The to-many relationship `name` (a `cascade` entry)."""
        return next(r for r in self.to_many if r.name == name)

    @property
    def table(self) -> str:
        return self.name


def counters(*names: str, filterable: tuple[str, ...] = ()) -> tuple[Attr, ...]:
    """Server-owned mailing counters: read-only integers that start at zero."""
    return tuple(
        Attr(
            n,
            INTEGER,
            readonly=True,
            default=0,
            filterable=n in filterable,
            sortable=n in filterable,
        )
        for n in names
    )


def timestamps(filterable: bool = True) -> tuple[Attr, ...]:
    return (
        Attr("createdAt", DATETIME, readonly=True, filterable=filterable, sortable=filterable),
        Attr("updatedAt", DATETIME, readonly=True, filterable=filterable, sortable=filterable),
    )


MAIL_COUNTERS = (
    "bounceCount",
    "clickCount",
    "deliverCount",
    "failureCount",
    "negativeReplyCount",
    "neutralReplyCount",
    "openCount",
    "optOutCount",
    "positiveReplyCount",
    "replyCount",
    "scheduleCount",
)
CREATOR = ToOne("creator", "user", readonly=True)


def activity(inverse: str, *paths: str) -> tuple[LinksOnly, ...]:
    """Links-only relationships to activity collections the sandbox does not serve (calls,
    mailings, tasks, ...), filtered by this object: `/mailings?filter[prospect][id]=1`."""
    return tuple(LinksOnly(path, path, inverse) for path in paths)


ACTIVITY = ("calls", "mailings", "tasks")
UPDATER = ToOne("updater", "user", readonly=True)

SEQUENCE = ResourceType(
    "sequence",
    "sequences",
    (
        Attr("automationPercentage", NUMBER, readonly=True, default=0.0),
        *counters(
            *MAIL_COUNTERS, filterable=("clickCount", "deliverCount", "openCount", "replyCount")
        ),
        *timestamps(),
        Attr("description", max_length=1024),
        Attr("durationInDays", INTEGER, readonly=True, default=0),
        Attr("enabled", BOOLEAN, readonly=True, default=False),
        Attr("enabledAt", DATETIME, readonly=True, filterable=True, sortable=True),
        Attr("finishOnReply", BOOLEAN),
        Attr("lastUsedAt", DATETIME, readonly=True, filterable=True, sortable=True),
        Attr("locked", BOOLEAN, readonly=True, default=False),
        Attr("lockedAt", DATETIME, readonly=True, filterable=True, sortable=True),
        Attr("maxActivations", INTEGER, default=150),
        Attr("name", max_length=255, filterable=True, sortable=True, required=True),
        *counters("numContactedProspects", "numRepliedProspects"),
        # The docs say "<= 4 characters" and list "finish"/"continue"/"pause": the enum wins.
        Attr("primaryReplyAction", enum=REPLY_ACTIONS, default="finish"),
        Attr("primaryReplyPauseDuration", INTEGER),
        Attr("salesMotion", max_length=255),
        Attr(
            "scheduleIntervalType",
            max_length=255,
            enum=("calendar", "schedule"),
            default="calendar",
        ),
        Attr("secondaryReplyAction", enum=REPLY_ACTIONS, default="finish"),
        Attr("secondaryReplyPauseDuration", INTEGER),
        Attr("sequenceStepCount", INTEGER, readonly=True, default=0),
        Attr("sequenceType", max_length=255, enum=("date", "interval"), default="interval"),
        Attr(
            "shareType",
            max_length=255,
            enum=SHARE_TYPES,
            default="shared",
            filterable=True,
            sortable=True,
        ),
        Attr("tags", TEXT_LIST, default=()),
        Attr("throttleCapacity", INTEGER, filterable=True, sortable=True),
        Attr("throttleMaxAddsPerDay", INTEGER, filterable=True, sortable=True),
        Attr("throttlePaused", BOOLEAN, default=False),
        Attr("throttlePausedAt", DATETIME, readonly=True),
        Attr("transactional", BOOLEAN, default=False),
    ),
    to_one=(CREATOR, ToOne("owner", "user"), ToOne("ruleset", "ruleset"), UPDATER),
    to_many=(
        ToMany("sequenceSteps", "sequenceStep", "sequence"),
        ToMany("sequenceStates", "sequenceState", "sequence", linkage=False),
    ),
    links_only=activity("sequence", *ACTIVITY),
    cascade=("sequenceSteps", "sequenceStates"),
)

SEQUENCE_STEP = ResourceType(
    "sequenceStep",
    "sequenceSteps",
    (
        *counters(*MAIL_COUNTERS),
        *timestamps(),
        Attr("date", DATE, filterable=True, sortable=True),
        Attr("displayName", readonly=True),
        Attr("interval", INTEGER),
        Attr("order", INTEGER, filterable=True, sortable=True),
        Attr(
            "stepType",
            max_length=255,
            enum=STEP_TYPES,
            filterable=True,
            sortable=True,
            required=True,
        ),
        Attr("taskAutoskipDelay", INTEGER),
        Attr("taskNote", max_length=65535),
    ),
    to_one=(
        CREATOR,
        ToOne("sequence", "sequence", required=True, immutable=True),
        ToOne("taskPriority", "taskPriority"),
        UPDATER,
    ),
    to_many=(ToMany("sequenceTemplates", "sequenceTemplate", "sequenceStep"),),
    links_only=activity("sequenceStep", *ACTIVITY),
    operations=frozenset({"list", "get", "create", "update"}),  # the API cannot delete a step
    cascade=("sequenceTemplates",),
)

SEQUENCE_STATE = ResourceType(
    "sequenceState",
    "sequenceStates",
    (
        Attr("activeAt", DATETIME, readonly=True),
        *counters(
            *MAIL_COUNTERS, filterable=("clickCount", "deliverCount", "openCount", "replyCount")
        ),
        Attr("callCompletedAt", DATETIME, readonly=True, filterable=True, sortable=True),
        *timestamps(),
        Attr("errorReason", max_length=255, readonly=True),
        Attr("pauseReason", max_length=255, readonly=True, filterable=True, sortable=True),
        Attr("repliedAt", DATETIME, readonly=True, filterable=True, sortable=True),
        Attr("state", max_length=255, readonly=True, filterable=True, sortable=True, enum=STATES),
        Attr("stateChangedAt", DATETIME, readonly=True, filterable=True, sortable=True),
    ),
    to_one=(
        ToOne("creator", "user", readonly=True),
        ToOne("mailbox", "mailbox", required=True, immutable=True),
        ToOne("prospect", "prospect", required=True, immutable=True),
        ToOne("sequence", "sequence", required=True, immutable=True),
        ToOne("sequenceStep", "sequenceStep", readonly=True),
    ),
    links_only=activity("sequenceState", *ACTIVITY),
    operations=frozenset({"list", "get", "create", "delete"}),
)

RULESET = ResourceType(
    "ruleset",
    "rulesets",
    (
        Attr("applyCompletedStageIn", INTEGER),
        Attr("autoResumeOotoProspects", BOOLEAN, filterable=True, sortable=True),
        Attr("autoResumeOotoProspectsExpiresIn", INTEGER),
        Attr("autoResumeOotoProspectsIn", INTEGER),
        Attr("callOptOutAction", max_length=4),
        Attr("clicksNeededBeforeCallTaskCreated", INTEGER),
        *timestamps(),
        Attr("emailOptOutAction", max_length=4),
        Attr("includeUnsubscribeLinks", BOOLEAN, filterable=True, sortable=True),
        Attr("meetingBookedAction", max_length=255),
        Attr("minimumProspectTouchedInterval", INTEGER),
        Attr("name", max_length=255, filterable=True, sortable=True, required=True),
        Attr("ootoAutoExtractionEnabled", BOOLEAN),
        Attr("opensNeededBeforeCallTaskCreated", INTEGER),
        Attr(
            "permitDuplicateProspects",
            max_length=255,
            enum=("allow", "disallow", "only_if_inactive"),
            default="disallow",
            filterable=True,
            sortable=True,
        ),
        Attr(
            "sequenceExclusivity",
            max_length=255,
            enum=("all_sequences", "exclusive_sequences", "none"),
            default="none",
            filterable=True,
            sortable=True,
        ),
        Attr("smsOptOutAction", max_length=4),
        Attr("smsReceivedAction", max_length=255),
        Attr("stepOverridesEnabled", BOOLEAN),
    ),
    to_one=(
        ToOne("bouncedStage", "stage"),
        ToOne("callTaskPriority", "taskPriority"),
        ToOne("callTaskPriorityFromClicks", "taskPriority"),
        ToOne("callTaskPriorityFromOpens", "taskPriority"),
        ToOne("completedStage", "stage"),
        ToOne("deliveredStage", "stage"),
        ToOne("finishedStage", "stage"),
        ToOne("optedOutStage", "stage"),
        ToOne("owner", "user"),
        ToOne("repliedStage", "stage"),
        ToOne("startedStage", "stage"),
    ),
    to_many=(ToMany("sequences", "sequence", "ruleset", linkage=False),),
)

TEMPLATE = ResourceType(
    "template",
    "templates",
    (
        Attr("archived", BOOLEAN, default=False),
        Attr("archivedAt", DATETIME, readonly=True, filterable=True, sortable=True),
        Attr("bccRecipients", TEXT_LIST, default=()),
        Attr("bodyHtml", max_length=16777215),
        Attr("bodyText", max_length=16777215, readonly=True),
        *counters(
            *MAIL_COUNTERS, filterable=("clickCount", "deliverCount", "openCount", "replyCount")
        ),
        Attr("ccRecipients", TEXT_LIST, default=()),
        *timestamps(),
        Attr("lastUsedAt", DATETIME, readonly=True, filterable=True, sortable=True),
        Attr("name", max_length=225, filterable=True, sortable=True, required=True),
        Attr(
            "shareType",
            max_length=255,
            enum=SHARE_TYPES,
            default="shared",
            filterable=True,
            sortable=True,
        ),
        Attr("subject"),
        Attr("tags", TEXT_LIST, default=()),
        Attr("toRecipients", TEXT_LIST, default=()),
        Attr("trackLinks", BOOLEAN, default=True),
        Attr("trackOpens", BOOLEAN, default=True),
    ),
    to_one=(CREATOR, ToOne("owner", "user"), UPDATER),
    to_many=(ToMany("sequenceTemplates", "sequenceTemplate", "template"),),
)

SEQUENCE_TEMPLATE = ResourceType(
    "sequenceTemplate",
    "sequenceTemplates",
    (
        *counters(*MAIL_COUNTERS),
        *timestamps(filterable=False),
        Attr("enabled", BOOLEAN, readonly=True, default=True),
        Attr("enabledAt", DATETIME, readonly=True),
        Attr("isReply", BOOLEAN, default=False),
    ),
    to_one=(
        CREATOR,
        ToOne("sequenceStep", "sequenceStep", required=True, immutable=True),
        ToOne("template", "template", required=True),
        UPDATER,
    ),
)

STAGE = ResourceType(
    "stage",
    "stages",
    (
        Attr("color", max_length=255),
        *timestamps(),
        Attr("name", max_length=255, filterable=True, sortable=True, required=True),
        Attr("order", INTEGER, filterable=True, sortable=True),
    ),
    to_many=(ToMany("prospects", "prospect", "stage", linkage=False),),
)

TASK_PRIORITY = ResourceType(
    "taskPriority",
    "taskPriorities",
    (
        Attr("color", INTEGER),
        *timestamps(),
        Attr("name", max_length=255, filterable=True, sortable=True),
        Attr("weight", INTEGER, filterable=True, sortable=True),
    ),
    to_many=(ToMany("sequenceSteps", "sequenceStep", "taskPriority", linkage=False),),
    links_only=activity("taskPriority", "tasks"),
    operations=frozenset({"list", "get"}),
)

USER = ResourceType(
    "user",
    "users",
    (
        *timestamps(),
        Attr("email", max_length=255, filterable=True, sortable=True, required=True),
        Attr("firstName", max_length=255, filterable=True, sortable=True),
        Attr("lastName", max_length=255, filterable=True, sortable=True),
        Attr("locked", BOOLEAN, filterable=True, sortable=True, default=False),
        Attr("name", readonly=True),
        Attr("primaryTimezone", max_length=255),
        Attr("title", max_length=255),
        Attr("username", max_length=255, filterable=True, sortable=True),
        Attr("userGuid", readonly=True),
    ),
    to_one=(ToOne("mailbox", "mailbox"),),
    operations=frozenset({"list", "get", "create", "update"}),
)

MAILBOX = ResourceType(
    "mailbox",
    "mailboxes",
    (
        *timestamps(),
        Attr("editable", BOOLEAN, readonly=True, default=True),
        Attr("email", max_length=255, filterable=True, sortable=True, required=True),
        Attr("emailSignature", max_length=65535),
        Attr("maxEmailsPerDay", INTEGER),
        Attr("sendDisabled", BOOLEAN, default=False),
        Attr("syncDisabled", BOOLEAN, default=False),
        Attr("userId", INTEGER, readonly=True, filterable=True, sortable=True),
        Attr("username", max_length=255),
    ),
    to_one=(ToOne("user", "user"),),
    links_only=activity("mailbox", "mailAliases", "mailings"),
)

PROSPECT = ResourceType(
    "prospect",
    "prospects",
    (
        Attr("addressCity", max_length=255),
        Attr("addressCountry", max_length=255),
        Attr("company"),
        *timestamps(),
        Attr("emails", TEXT_LIST, filterable=True, default=()),
        Attr("callOptedOut", BOOLEAN, default=False),
        Attr("emailOptedOut", BOOLEAN, default=False),
        Attr("firstName", max_length=255, filterable=True, sortable=True),
        Attr("lastName", max_length=255, filterable=True, sortable=True),
        Attr("name", readonly=True),
        Attr("optedOut", BOOLEAN, default=False),
        Attr("tags", TEXT_LIST, default=()),
        Attr("timeZone", max_length=255, filterable=True),
        Attr("title", max_length=255, filterable=True, sortable=True),
    ),
    to_one=(ToOne("owner", "user"), ToOne("stage", "stage")),
    to_many=(ToMany("sequenceStates", "sequenceState", "prospect", linkage=False),),
    links_only=activity("prospect", *ACTIVITY),
)

TYPES: dict[str, ResourceType] = {
    t.name: t
    for t in (
        SEQUENCE,
        SEQUENCE_STEP,
        SEQUENCE_STATE,
        RULESET,
        TEMPLATE,
        SEQUENCE_TEMPLATE,
        STAGE,
        TASK_PRIORITY,
        USER,
        MAILBOX,
        PROSPECT,
    )
}
BY_PATH: dict[str, ResourceType] = {t.path: t for t in TYPES.values()}


def defaults(rtype: ResourceType) -> dict[str, Any]:
    """Attribute values the server fills in on create (lists copied, never shared)."""
    return {
        a.name: list(a.default) if isinstance(a.default, tuple) else a.default
        for a in rtype.attributes
        if a.default is not None
    }
