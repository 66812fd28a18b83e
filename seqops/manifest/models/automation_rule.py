"""AutomationRule: the outcome automations (Coefficy `automate*` settings) of one Coefficy sequence.

Coefficy's API is read-only, so these manifests are audited against live sequence actions,
never written. Each outcome block, when given, describes that outcome completely: a sub-block
that is left out means that automation must be off (`automate...Has...: false`).
"""

from typing import Literal

from pydantic import Field

from seqops.manifest.models.base import Model, Resource


class Supply(Model):
    supply: int = Field(ge=1, description="IdSupply: what the relaunch sends.")
    tag: int | None = Field(default=None, ge=1, description="IdSupplyTag.")


class Relaunch(Model):
    supplies: list[Supply] = Field(min_length=1, max_length=4)
    priority: int | None = Field(default=None, ge=1, description="IdRelaunchPriority.")
    afterDays: int | None = Field(default=None, ge=0, description="RelaunchNumberOfDays.")
    user: int | None = Field(default=None, ge=1, description="IdUser who gets the relaunch.")
    text: str | None = None


class StartSequence(Model):
    sequence: int = Field(ge=1, description="IdSequence to start.")
    afterDays: int | None = Field(default=None, ge=0)


class Campaign(Model):
    campaign: int = Field(ge=1, description="IdCampaign to add the contact to.")
    afterDays: int | None = Field(default=None, ge=0)


class PersonaCampaign(Model):
    sameCampaign: bool = False
    campaign: int | None = Field(default=None, ge=1)
    afterDays: int | None = Field(default=None, ge=0)


class Opportunity(Model):
    title: str
    deadline: int | None = Field(default=None, ge=0, description="Days until the deadline.")
    status: int | None = Field(default=None, ge=1, description="IdOpportunityStatus.")
    amount: float | None = Field(default=None, ge=0)
    user: int | None = Field(default=None, ge=1)
    text: str | None = None


class OnSuccess(Model):
    relaunch: Relaunch | None = None
    startSequence: StartSequence | None = None
    campaign: Campaign | None = None
    opportunity: Opportunity | None = None


class OnFailure(Model):
    relaunch: Relaunch | None = None
    startSequence: StartSequence | None = None
    campaign: Campaign | None = None
    relaunchPersona: Relaunch | None = None
    campaignPersona: PersonaCampaign | None = None
    relaunchEnrichContact: Relaunch | None = None
    campaignEnrichContact: PersonaCampaign | None = None


class OnNoSuccess(Model):
    unsubscribe: bool = False
    relaunch: Relaunch | None = None
    startSequence: StartSequence | None = None
    campaign: Campaign | None = None


class Unsubscribe(Model):
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
    spec: AutomationRuleSpec | None = None
