"""Sequence: an ordered list of steps, with its settings."""

import datetime
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

from seqops.manifest.models.base import Duration, Model, Name, Resource, ShareType

StepType = Literal["auto_email", "manual_email", "call", "task"]
ReplyAction = Literal["finish", "continue", "pause"]
EMAIL_STEP_TYPES = ("auto_email", "manual_email")
TASK_STEP_TYPES = ("call", "task")
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ISO_DATE = re.compile(ISO_DATE)


def parse_day(value: object) -> datetime.date:
    """A calendar day written `2024-05-01`; anything looser (timestamps, numbers) is refused
    so that the model accepts exactly what the JSON Schema accepts."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date: {exc}") from None
    raise ValueError(f"{value!r} is not a date: write the day as YYYY-MM-DD, like 2024-05-01")


Day = Annotated[
    datetime.date,
    BeforeValidator(parse_day),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": ISO_DATE, "description": "YYYY-MM-DD."}
    ),
]


class Step(Model):
    """One step of a sequence; its position in `steps` is its `order`.

    An email step sends one template (`template: intro`) or several, its A/B variants
    (`templates: [intro-a, intro-b]`), never both keys. `template: x` is `templates: [x]`, and
    the order of variants does not matter."""

    model_config = ConfigDict(
        json_schema_extra={"not": {"required": ["template", "templates"]}},
    )

    type: StepType = Field(description="stepType: auto_email, manual_email, call or task.")
    wait: Duration | None = Field(
        default=None, description="Interval sequences: how long after the previous step."
    )
    date: Day | None = Field(default=None, description="Date sequences: the day the step runs.")
    template: Name | None = Field(
        default=None, description="Email steps: the metadata.name of the Template it sends."
    )
    templates: list[Name] | None = Field(
        default=None,
        min_length=1,
        description="Email steps with A/B variants: the metadata.names of the Templates it "
        "sends (instead of `template`).",
    )
    isReply: bool = Field(
        default=False, description="Email steps: send as a reply in the previous email's thread."
    )
    priority: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="Call and task steps: the task priority's name (e.g. high, medium, low).",
    )
    note: str | None = Field(
        default=None, max_length=65535, description="taskNote: a note on the tasks it creates."
    )
    autoskipAfter: Duration | None = Field(
        default=None, description="taskAutoskipDelay: skip overdue tasks after this long."
    )

    @property
    def is_email(self) -> bool:
        return self.type in EMAIL_STEP_TYPES

    @property
    def variants(self) -> tuple[str, ...]:
        """The templates it sends, sorted and each once (however the manifest wrote them)."""
        named = [*(self.templates or ()), *([self.template] if self.template else [])]
        return tuple(sorted(set(named)))


class SequenceSpec(Model):
    """Fields left out are not managed: seqops never diffs or writes them."""

    displayName: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="The name in Outreach; defaults to metadata.name.",
    )
    description: str | None = Field(
        default=None, max_length=1024, description="A description shown in Outreach."
    )
    sequenceType: Literal["interval", "date"] = Field(
        default="interval", description="interval: steps wait; date: steps run on a day."
    )
    scheduleIntervalType: Literal["calendar", "schedule"] | None = Field(
        default=None, description="Waits count calendar days or the sender's schedule."
    )
    shareType: ShareType | None = Field(
        default=None, description="Who may use it: private, read_only or shared."
    )
    enabled: bool | None = Field(default=None, description="Whether prospects move through it.")
    tags: list[str] | None = Field(
        default=None, description="Tags in Outreach (seqops adds its own ownership tag)."
    )
    ruleset: Name | None = Field(default=None, description="A Ruleset's metadata.name.")
    owner: str | None = Field(default=None, max_length=255, description="The owner's email.")
    salesMotion: str | None = Field(
        default=None, max_length=255, description="The sales motion it belongs to."
    )
    primaryReplyAction: ReplyAction | None = Field(
        default=None, description="When the prospect replies: finish, continue or pause."
    )
    primaryReplyPauseDuration: Duration | None = Field(
        default=None, description="With primaryReplyAction: pause, how long to pause."
    )
    secondaryReplyAction: ReplyAction | None = Field(
        default=None, description="When someone else replies: finish, continue or pause."
    )
    secondaryReplyPauseDuration: Duration | None = Field(
        default=None, description="With secondaryReplyAction: pause, how long to pause."
    )
    throttleCapacity: int | None = Field(
        default=None, ge=0, description="Most prospects active at once per user."
    )
    throttleMaxAddsPerDay: int | None = Field(
        default=None, ge=0, description="Most prospects added per user per day."
    )
    throttlePaused: bool | None = Field(
        default=None, description="Pause the throttle limits (throttleCapacity, ...)."
    )
    transactional: bool | None = Field(
        default=None, description="Ignore opt-outs: only for non-marketing sequences."
    )
    maxActivations: int | None = Field(
        default=None, ge=0, description="Date sequences only: most prospects it can hold."
    )
    onReplace: Literal["drain", "stop"] = Field(
        default="drain",
        description="When removing or reordering steps makes a new version: drain lets the "
        "prospects in the old version keep their cadence until they finish (it is disabled "
        "once empty); stop disables it at once, so they get no further steps. Never sent.",
    )
    steps: list[Step] = Field(default_factory=list, description="In order; step 1 first.")


class Sequence(Resource):
    """A sequence and its steps."""

    kind: Literal["Sequence"] = Field(description="Sequence: steps that reach prospects.")
    spec: SequenceSpec = Field(description="The sequence as Outreach should have it.")

    @property
    def display_name(self) -> str:
        return self.spec.displayName or self.metadata.name
