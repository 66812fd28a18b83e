"""Ruleset: reusable behaviour for sequences. Stages and task priorities are named, not ids."""

from typing import Literal

from pydantic import Field

from seqops.manifest.models.base import Duration, Model, Resource

OptOutAction = str  # the seed caps these at 4 characters and documents no value list


def _stage(when: str) -> str:
    return f"The stage (by name) a prospect moves to {when}."


class RulesetSpec(Model):
    """Fields left out are not managed: seqops never diffs or writes them."""

    displayName: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="The ruleset's name in Outreach; defaults to metadata.name.",
    )
    applyCompletedStageIn: Duration | None = Field(
        default=None, description="How long after the sequence completes completedStage applies."
    )
    autoResumeOotoProspects: bool | None = Field(
        default=None, description="Resume prospects paused by an out-of-office reply by itself."
    )
    autoResumeOotoProspectsExpiresIn: Duration | None = Field(
        default=None, description="The longest an out-of-office prospect waits to be resumed."
    )
    autoResumeOotoProspectsIn: Duration | None = Field(
        default=None, description="How long an out-of-office prospect waits by default."
    )
    callOptOutAction: OptOutAction | None = Field(
        default=None,
        max_length=4,
        description="Whether prospects opted out of calls may be added to sequences.",
    )
    clicksNeededBeforeCallTaskCreated: int | None = Field(
        default=None, ge=0, description="Email clicks that create a call task (unset: never)."
    )
    emailOptOutAction: OptOutAction | None = Field(
        default=None,
        max_length=4,
        description="Whether prospects opted out of email may be added to sequences.",
    )
    includeUnsubscribeLinks: bool | None = Field(
        default=None, description="Add an unsubscribe link to the emails."
    )
    meetingBookedAction: str | None = Field(
        default=None, max_length=255, description="Whether a booked meeting finishes the prospect."
    )
    minimumProspectTouchedInterval: Duration | None = Field(
        default=None, description="How long since a prospect was last contacted before adding."
    )
    ootoAutoExtractionEnabled: bool | None = Field(
        default=None, description="Read the return date out of out-of-office replies."
    )
    opensNeededBeforeCallTaskCreated: int | None = Field(
        default=None, ge=0, description="Email opens that create a call task (unset: never)."
    )
    permitDuplicateProspects: Literal["allow", "disallow", "only_if_inactive"] | None = Field(
        default=None, description="Whether a prospect may be in this sequence more than once."
    )
    sequenceExclusivity: Literal["all_sequences", "exclusive_sequences", "none"] | None = Field(
        default=None, description="Whether a prospect in it may be in other sequences at once."
    )
    smsOptOutAction: OptOutAction | None = Field(
        default=None,
        max_length=4,
        description="Whether prospects opted out of SMS may be added to sequences.",
    )
    smsReceivedAction: str | None = Field(
        default=None, max_length=255, description="Whether a text message received finishes."
    )
    stepOverridesEnabled: bool | None = Field(
        default=None, description="Let users edit step templates when adding a prospect."
    )
    # Relationships, by the stage's or task priority's name.
    bouncedStage: str | None = Field(default=None, description=_stage("when an email bounces"))
    completedStage: str | None = Field(
        default=None, description=_stage("when the sequence completes")
    )
    deliveredStage: str | None = Field(
        default=None, description=_stage("when an email is delivered")
    )
    finishedStage: str | None = Field(
        default=None, description=_stage("when the sequence finishes")
    )
    optedOutStage: str | None = Field(default=None, description=_stage("when it opts out"))
    repliedStage: str | None = Field(default=None, description=_stage("when it replies"))
    startedStage: str | None = Field(default=None, description=_stage("when it starts"))
    callTaskPriority: str | None = Field(
        default=None, description="The task priority (by name) of call tasks it creates."
    )
    callTaskPriorityFromClicks: str | None = Field(
        default=None, description="The task priority (by name) of call tasks made by clicks."
    )
    callTaskPriorityFromOpens: str | None = Field(
        default=None, description="The task priority (by name) of call tasks made by opens."
    )


class Ruleset(Resource):
    kind: Literal["Ruleset"] = Field(description="Ruleset: behaviour sequences share.")
    spec: RulesetSpec = Field(description="The ruleset as Outreach should have it.")

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
