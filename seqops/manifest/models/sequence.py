"""Sequence: an ordered list of steps, with its settings."""

import datetime
from typing import Literal

from pydantic import Field

from seqops.manifest.models.base import Duration, Model, Name, Resource, ShareType

StepType = Literal["auto_email", "manual_email", "call", "task"]
ReplyAction = Literal["finish", "continue", "pause"]
EMAIL_STEP_TYPES = ("auto_email", "manual_email")


class Step(Model):
    type: StepType
    wait: Duration | None = Field(default=None, description="Interval sequences: time before.")
    date: datetime.date | None = Field(default=None, description="Date sequences: the day.")
    template: Name | None = Field(default=None, description="A Template's metadata.name.")
    isReply: bool = False
    priority: str | None = Field(default=None, max_length=255, description="Task priority name.")
    note: str | None = Field(default=None, max_length=65535)
    autoskipAfter: Duration | None = None

    @property
    def is_email(self) -> bool:
        return self.type in EMAIL_STEP_TYPES


class SequenceSpec(Model):
    """Fields left out are not managed: seqops never diffs or writes them."""

    displayName: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=1024)
    sequenceType: Literal["interval", "date"] = "interval"
    scheduleIntervalType: Literal["calendar", "schedule"] | None = None
    shareType: ShareType | None = None
    enabled: bool | None = None
    tags: list[str] | None = None
    ruleset: Name | None = Field(default=None, description="A Ruleset's metadata.name.")
    owner: str | None = Field(default=None, max_length=255, description="The owner's email.")
    salesMotion: str | None = Field(default=None, max_length=255)
    primaryReplyAction: ReplyAction | None = None
    primaryReplyPauseDuration: Duration | None = None
    secondaryReplyAction: ReplyAction | None = None
    secondaryReplyPauseDuration: Duration | None = None
    throttleCapacity: int | None = Field(default=None, ge=0)
    throttleMaxAddsPerDay: int | None = Field(default=None, ge=0)
    throttlePaused: bool | None = None
    transactional: bool | None = None
    maxActivations: int | None = Field(default=None, ge=0)
    steps: list[Step] = Field(default_factory=list)


class Sequence(Resource):
    kind: Literal["Sequence"]
    spec: SequenceSpec = Field(default_factory=SequenceSpec)

    @property
    def display_name(self) -> str:
        return self.spec.displayName or self.metadata.name
