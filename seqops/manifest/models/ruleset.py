"""Ruleset: reusable behaviour for sequences. Stages and task priorities are named, not ids."""

from typing import Literal

from pydantic import Field

from seqops.manifest.models.base import Duration, Model, Resource

OptOutAction = str  # the seed caps these at 4 characters and documents no value list


class RulesetSpec(Model):
    displayName: str | None = Field(default=None, min_length=1, max_length=255)
    applyCompletedStageIn: Duration | None = None
    autoResumeOotoProspects: bool | None = None
    autoResumeOotoProspectsExpiresIn: Duration | None = None
    autoResumeOotoProspectsIn: Duration | None = None
    callOptOutAction: OptOutAction | None = Field(default=None, max_length=4)
    clicksNeededBeforeCallTaskCreated: int | None = Field(default=None, ge=0)
    emailOptOutAction: OptOutAction | None = Field(default=None, max_length=4)
    includeUnsubscribeLinks: bool | None = None
    meetingBookedAction: str | None = Field(default=None, max_length=255)
    minimumProspectTouchedInterval: Duration | None = None
    ootoAutoExtractionEnabled: bool | None = None
    opensNeededBeforeCallTaskCreated: int | None = Field(default=None, ge=0)
    permitDuplicateProspects: Literal["allow", "disallow", "only_if_inactive"] | None = None
    sequenceExclusivity: Literal["all_sequences", "exclusive_sequences", "none"] | None = None
    smsOptOutAction: OptOutAction | None = Field(default=None, max_length=4)
    smsReceivedAction: str | None = Field(default=None, max_length=255)
    stepOverridesEnabled: bool | None = None
    # Relationships, by the stage's or task priority's name.
    bouncedStage: str | None = None
    completedStage: str | None = None
    deliveredStage: str | None = None
    finishedStage: str | None = None
    optedOutStage: str | None = None
    repliedStage: str | None = None
    startedStage: str | None = None
    callTaskPriority: str | None = None
    callTaskPriorityFromClicks: str | None = None
    callTaskPriorityFromOpens: str | None = None


class Ruleset(Resource):
    kind: Literal["Ruleset"]
    spec: RulesetSpec

    @property
    def display_name(self) -> str:
        return self.spec.displayName or self.metadata.name


STAGE_FIELDS = (
    "bouncedStage",
    "completedStage",
    "deliveredStage",
    "finishedStage",
    "optedOutStage",
    "repliedStage",
    "startedStage",
)
"""RulesetSpec fields that name a stage (relationships in the API)."""
PRIORITY_FIELDS = ("callTaskPriority", "callTaskPriorityFromClicks", "callTaskPriorityFromOpens")
"""RulesetSpec fields that name a task priority (relationships in the API)."""
