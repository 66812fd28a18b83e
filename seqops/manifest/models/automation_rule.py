"""AutomationRule: the outcome automations (Coefficy `automate*` settings) of one Coefficy sequence.

Coefficy's API is read-only, so these manifests are audited against live sequence actions,
never written. Each block mirrors one family of `automate*` fields of a sequence action:

- an outcome block (`onSuccess`, `onFailure`, `onNoSuccess`) left out is not managed;
- inside a given outcome block, an automation left out must be off (`automate...Has...: false`),
  and an automation given is described completely: its optional fields left out must be null.
"""

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from seqops.manifest.models.base import Model, Resource

MAX_SUPPLIES = 4
"""Coefficy relaunches carry at most four supplies (`...IdSupply1` to `...IdSupply4`)."""


class Supply(Model):
    supply: int = Field(ge=1, description="IdSupply: what the relaunch sends.")
    tag: int | None = Field(default=None, ge=1, description="IdSupplyTag.")


class Relaunch(Model):
    """A relaunch task: `...HasRelaunch` and `...RelaunchIdSupply1..4`, priority, days, user, text."""

    supplies: list[Supply] = Field(min_length=1, max_length=MAX_SUPPLIES)
    priority: int | None = Field(default=None, ge=1, description="IdRelaunchPriority.")
    afterDays: int | None = Field(default=None, ge=0, description="RelaunchNumberOfDays.")
    user: int | None = Field(default=None, ge=1, description="IdUser who gets the relaunch.")
    text: str | None = None


class StartSequence(Model):
    """`...HasSequence`: start another Coefficy sequence for the contact."""

    sequence: int = Field(ge=1, description="IdSequence to start.")
    afterDays: int | None = Field(default=None, ge=0, description="SequenceNumberOfDays.")


class Campaign(Model):
    """`...HasCampaign`: add the contact to a campaign."""

    campaign: int = Field(ge=1, description="IdCampaign to add the contact to.")
    afterDays: int | None = Field(default=None, ge=0, description="CampaignNumberOfDays.")


# JSON Schema of the rule `PersonaCampaign._one_campaign` checks, for editors and CI.
_ONE_CAMPAIGN = {
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

    title: str = Field(min_length=1)
    deadline: int | None = Field(default=None, ge=0, description="Days until the deadline.")
    status: int | None = Field(default=None, ge=1, description="IdOpportunityStatus.")
    amount: float | None = Field(default=None, ge=0)
    user: int | None = Field(default=None, ge=1, description="IdUser of the opportunity.")
    text: str | None = None


class OnSuccess(Model):
    """`automateSuccess*`."""

    relaunch: Relaunch | None = None
    startSequence: StartSequence | None = None
    campaign: Campaign | None = None
    opportunity: Opportunity | None = None


class OnFailure(Model):
    """`automateFailure*` (and `autoFail*` for the enriched contact)."""

    relaunch: Relaunch | None = None
    startSequence: StartSequence | None = None
    campaign: Campaign | None = None
    relaunchPersona: Relaunch | None = None
    campaignPersona: PersonaCampaign | None = None
    relaunchEnrichContact: Relaunch | None = None
    campaignEnrichContact: PersonaCampaign | None = None


class OnNoSuccess(Model):
    """`automateFailureNoSuccess*`."""

    unsubscribe: bool = Field(default=False, description="automateFailureNoSuccessUnsubscribe.")
    relaunch: Relaunch | None = None
    startSequence: StartSequence | None = None
    campaign: Campaign | None = None


class Unsubscribe(Model):
    """`hasUnsubscribe`, `unsubscribeLinkText`, `unsubscribeText`; texts only matter when enabled."""

    enabled: bool = True
    linkText: str | None = None
    text: str | None = None


class AutomationRuleSpec(Model):
    sequence: int = Field(ge=1, description="The Coefficy idSequence these automations belong to.")
    onSuccess: OnSuccess | None = None
    onFailure: OnFailure | None = None
    onNoSuccess: OnNoSuccess | None = None
    unsubscribe: Unsubscribe | None = None


class AutomationRule(Resource):
    kind: Literal["AutomationRule"]
    spec: AutomationRuleSpec
