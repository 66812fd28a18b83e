"""AutomationRule: the outcome automations (Coefficy `automate*` settings) of one Coefficy sequence.

Coefficy's API is read-only, so these manifests are audited against live sequence actions,
never written. Each block mirrors one family of `automate*` fields of a sequence action:

- an outcome block (`onSuccess`, `onFailure`, `onNoSuccess`) left out is not managed;
- inside a given outcome block, an automation left out must be off (`automate...Has...: false`),
  and an automation given is described completely: its optional fields left out must be null.
"""

from typing import Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic.json_schema import JsonDict

from seqops.manifest.models.base import Model, Resource

MAX_SUPPLIES = 4
"""Coefficy relaunches carry at most four supplies (`...IdSupply1` to `...IdSupply4`)."""


_RELAUNCH = "A relaunch task (off when left out)."
_START = "Start another Coefficy sequence (off when left out)."
_CAMPAIGN = "Add the contact to a campaign (off when left out)."


class Supply(Model):
    supply: int = Field(ge=1, description="IdSupply: what the relaunch sends.")
    tag: int | None = Field(default=None, ge=1, description="IdSupplyTag.")


class Relaunch(Model):
    """A relaunch task: `...HasRelaunch` and `...RelaunchIdSupply1..4`, priority, days, user, text."""

    supplies: list[Supply] = Field(
        min_length=1, max_length=MAX_SUPPLIES, description="What it sends: 1 to 4 supplies."
    )
    priority: int | None = Field(default=None, ge=1, description="IdRelaunchPriority.")
    afterDays: int | None = Field(default=None, ge=0, description="RelaunchNumberOfDays.")
    user: int | None = Field(default=None, ge=1, description="IdUser who gets the relaunch.")
    text: str | None = Field(default=None, description="RelaunchText: the task's text.")


class StartSequence(Model):
    """`...HasSequence`: start another Coefficy sequence for the contact."""

    sequence: int = Field(ge=1, description="IdSequence to start.")
    afterDays: int | None = Field(default=None, ge=0, description="SequenceNumberOfDays.")


class Campaign(Model):
    """`...HasCampaign`: add the contact to a campaign."""

    campaign: int = Field(ge=1, description="IdCampaign to add the contact to.")
    afterDays: int | None = Field(default=None, ge=0, description="CampaignNumberOfDays.")


# JSON Schema of the rule `PersonaCampaign._one_campaign` checks, for editors and CI.
_ONE_CAMPAIGN: JsonDict = {
    "if": {"properties": {"sameCampaign": {"const": True}}, "required": ["sameCampaign"]},
    # `campaign: null` counts as absent, as it does for the model.
    "then": {"not": {"required": ["campaign"], "properties": {"campaign": {"type": "integer"}}}},
    "else": {"required": ["campaign"], "properties": {"campaign": {"type": "integer"}}},
}


class PersonaCampaign(Model):
    """Failure campaign for another persona or an enriched contact: the same campaign or another."""

    model_config = ConfigDict(json_schema_extra=_ONE_CAMPAIGN)

    sameCampaign: bool = Field(default=False, description="HasSameCampaign...: the same campaign.")
    campaign: int | None = Field(default=None, ge=1, description="IdCampaign... (another one).")
    afterDays: int | None = Field(default=None, ge=0, description="CampaignNumberOfDays...")

    @model_validator(mode="after")
    def _one_campaign(self) -> "PersonaCampaign":
        if self.sameCampaign == (self.campaign is not None):
            raise ValueError("give either `sameCampaign: true` or a `campaign` id, not both")
        return self


class Opportunity(Model):
    """`automateSuccessHasOpportunity`: create an opportunity on success."""

    title: str = Field(min_length=1, description="OpportunityTitle.")
    deadline: int | None = Field(default=None, ge=0, description="Days until the deadline.")
    status: int | None = Field(default=None, ge=1, description="IdOpportunityStatus.")
    amount: float | None = Field(default=None, ge=0, description="OpportunityAmount.")
    user: int | None = Field(default=None, ge=1, description="IdUser of the opportunity.")
    text: str | None = Field(default=None, description="OpportunityText.")


class OnSuccess(Model):
    """`automateSuccess*`."""

    relaunch: Relaunch | None = Field(default=None, description=_RELAUNCH)
    startSequence: StartSequence | None = Field(default=None, description=_START)
    campaign: Campaign | None = Field(default=None, description=_CAMPAIGN)
    opportunity: Opportunity | None = Field(
        default=None, description="Create an opportunity (off when left out)."
    )


class OnFailure(Model):
    """`automateFailure*` (and `autoFail*` for the enriched contact)."""

    relaunch: Relaunch | None = Field(default=None, description=_RELAUNCH)
    startSequence: StartSequence | None = Field(default=None, description=_START)
    campaign: Campaign | None = Field(default=None, description=_CAMPAIGN)
    relaunchPersona: Relaunch | None = Field(
        default=None, description="A relaunch task for another persona (off when left out)."
    )
    campaignPersona: PersonaCampaign | None = Field(
        default=None, description="A campaign for another persona (off when left out)."
    )
    relaunchEnrichContact: Relaunch | None = Field(
        default=None, description="A relaunch task for the enriched contact (off when left out)."
    )
    campaignEnrichContact: PersonaCampaign | None = Field(
        default=None, description="A campaign for the enriched contact (off when left out)."
    )


class OnNoSuccess(Model):
    """`automateFailureNoSuccess*`."""

    unsubscribe: bool = Field(default=False, description="automateFailureNoSuccessUnsubscribe.")
    relaunch: Relaunch | None = Field(default=None, description=_RELAUNCH)
    startSequence: StartSequence | None = Field(default=None, description=_START)
    campaign: Campaign | None = Field(default=None, description=_CAMPAIGN)


class Unsubscribe(Model):
    """`hasUnsubscribe`, `unsubscribeLinkText`, `unsubscribeText`; texts only matter when enabled."""

    enabled: bool = Field(default=True, description="hasUnsubscribe.")
    linkText: str | None = Field(default=None, description="unsubscribeLinkText.")
    text: str | None = Field(default=None, description="unsubscribeText.")


class AutomationRuleSpec(Model):
    sequence: int = Field(ge=1, description="The Coefficy idSequence these automations belong to.")
    onSuccess: OnSuccess | None = Field(
        default=None, description="Automations on success (not managed when left out)."
    )
    onFailure: OnFailure | None = Field(
        default=None, description="Automations on failure (not managed when left out)."
    )
    onNoSuccess: OnNoSuccess | None = Field(
        default=None, description="Automations when nothing succeeded (not managed when left out)."
    )
    unsubscribe: Unsubscribe | None = Field(
        default=None, description="The unsubscribe link (not managed when left out)."
    )


class AutomationRule(Resource):
    kind: Literal["AutomationRule"] = Field(
        description="AutomationRule: Coefficy outcome automations, audited (read-only API)."
    )
    spec: AutomationRuleSpec = Field(description="The automations the Coefficy sequence has.")
