"""A Coefficy sequence action's `automate*` fields <-> the AutomationRule model, family by family.

Every automation of the seed is one `Family`: where it sits in an `AutomationRuleSpec`
(`outcome`, `name`), which kind of automation it is for `status` (relaunch, sequence, campaign,
opportunity, unsubscribe), and how its fields read into a model block and write back.
A family whose `Has...` flag is false reads as `None`; its other fields are then irrelevant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from seqops.manifest.models.automation_rule import (
    MAX_SUPPLIES,
    AutomationRuleSpec,
    Campaign,
    OnFailure,
    OnNoSuccess,
    OnSuccess,
    Opportunity,
    PersonaCampaign,
    Relaunch,
    StartSequence,
    Supply,
    Unsubscribe,
)

Action = dict[str, Any]
"""One item of the `result` list of `GET /v1/sequence/action`, as the API returns it."""

OUTCOMES: dict[str, type[BaseModel]] = {
    "onSuccess": OnSuccess,
    "onFailure": OnFailure,
    "onNoSuccess": OnNoSuccess,
}
KINDS = ("relaunch", "sequence", "campaign", "opportunity", "unsubscribe")


@dataclass(frozen=True)
class Family:
    """One automation: `outcome` (None for the top-level unsubscribe) and `name` in the spec."""

    outcome: str | None
    name: str
    kind: str
    executed_field: str

    @property
    def path(self) -> str:
        return f"{self.outcome}.{self.name}" if self.outcome else self.name

    def read(self, action: Action) -> Any:
        """The model block (or value) this family has in `action`; None when it is off."""
        raise NotImplementedError

    def write(self, block: Any) -> Action:
        """The action fields that say `block` (None: the automation is off)."""
        raise NotImplementedError

    def executed(self, action: Action) -> bool:
        return bool(action.get(self.executed_field))


@dataclass(frozen=True)
class RelaunchFamily(Family):
    has: str = ""
    prefix: str = ""

    def read(self, action: Action) -> Relaunch | None:
        if not action.get(self.has):
            return None
        supplies = [
            Supply(supply=action[f"{self.prefix}IdSupply{i}"], tag=action.get(self._tag(i)))
            for i in range(1, MAX_SUPPLIES + 1)
            if action.get(f"{self.prefix}IdSupply{i}") is not None
        ]
        return Relaunch.model_construct(
            supplies=supplies,
            priority=action.get(f"{self.prefix}IdRelaunchPriority"),
            afterDays=action.get(f"{self.prefix}RelaunchNumberOfDays"),
            user=action.get(f"{self.prefix}IdUser"),
            text=action.get(f"{self.prefix}Text"),
        )

    def write(self, block: Relaunch | None) -> Action:
        fields: Action = {self.has: block is not None}
        supplies = block.supplies if block else []
        for i in range(1, MAX_SUPPLIES + 1):
            supply = supplies[i - 1] if i <= len(supplies) else None
            fields[f"{self.prefix}IdSupply{i}"] = supply.supply if supply else None
            fields[self._tag(i)] = supply.tag if supply else None
        fields[f"{self.prefix}IdRelaunchPriority"] = block.priority if block else None
        fields[f"{self.prefix}RelaunchNumberOfDays"] = block.afterDays if block else None
        fields[f"{self.prefix}IdUser"] = block.user if block else None
        fields[f"{self.prefix}Text"] = block.text if block else None
        return fields

    def _tag(self, i: int) -> str:
        return f"{self.prefix}IdSupplyTag{i}"


@dataclass(frozen=True)
class TargetFamily(Family):
    """Start a sequence or add to a campaign: `<P>Has<T>`, `<P>Id<T>`, `<P><T>NumberOfDays`."""

    prefix: str = ""
    target: str = ""  # "Sequence" or "Campaign"

    def read(self, action: Action) -> StartSequence | Campaign | None:
        p, t = self.prefix, self.target
        if not action.get(f"{p}Has{t}"):
            return None
        model = StartSequence if t == "Sequence" else Campaign
        key = "sequence" if t == "Sequence" else "campaign"
        values: dict[str, Any] = {
            key: action.get(f"{p}Id{t}"),
            "afterDays": action.get(f"{p}{t}NumberOfDays"),
        }  # live values as they are: built without validation, compared by the audit
        return model.model_construct(**values)

    def write(self, block: StartSequence | Campaign | None) -> Action:
        p, t = self.prefix, self.target
        target_id = getattr(block, "sequence" if t == "Sequence" else "campaign", None)
        return {
            f"{p}Has{t}": block is not None,
            f"{p}Id{t}": target_id,
            f"{p}{t}NumberOfDays": block.afterDays if block else None,
        }


@dataclass(frozen=True)
class PersonaCampaignFamily(Family):
    """Failure campaign of a persona / enriched contact: a `HasSame...` and a `Has...` flag."""

    has_same: str = ""
    has: str = ""
    id: str = ""
    days: str = ""

    def read(self, action: Action) -> PersonaCampaign | None:
        same = bool(action.get(self.has_same))
        if not (same or action.get(self.has)):
            return None
        campaign = None if same else action.get(self.id)
        return PersonaCampaign.model_construct(
            sameCampaign=same, campaign=campaign, afterDays=action.get(self.days)
        )

    def write(self, block: PersonaCampaign | None) -> Action:
        return {
            self.has_same: bool(block and block.sameCampaign),
            self.has: block is not None,
            self.id: block.campaign if block else None,
            self.days: block.afterDays if block else None,
        }


_OPPORTUNITY = {
    "title": "automateSuccessOpportunityTitle",
    "deadline": "automateSuccessOpportunityDeadline",
    "status": "automateSuccessOpportunityIdOpportunityStatus",
    "amount": "automateSuccessOpportunityAmount",
    "user": "automateSuccessOpportunityIdUser",
    "text": "automateSuccessOpportunityText",
}


@dataclass(frozen=True)
class OpportunityFamily(Family):
    has: str = "automateSuccessHasOpportunity"

    def read(self, action: Action) -> Opportunity | None:
        if not action.get(self.has):
            return None
        values: dict[str, Any] = {k: action.get(f) for k, f in _OPPORTUNITY.items()}
        return Opportunity.model_construct(**values)

    def write(self, block: Opportunity | None) -> Action:
        values = {f: getattr(block, k) if block else None for k, f in _OPPORTUNITY.items()}
        return {self.has: block is not None, **values}


@dataclass(frozen=True)
class FlagFamily(Family):
    """A bare on/off automation: `onNoSuccess.unsubscribe`."""

    flag: str = ""

    def read(self, action: Action) -> bool:
        return bool(action.get(self.flag))

    def write(self, block: bool | None) -> Action:
        return {self.flag: bool(block)}


@dataclass(frozen=True)
class UnsubscribeFamily(Family):
    """The top-level unsubscribe link (`hasUnsubscribe`); its texts only matter when it is on."""

    def read(self, action: Action) -> Unsubscribe | None:
        if not action.get("hasUnsubscribe"):
            return None
        return Unsubscribe.model_construct(
            enabled=True,
            linkText=action.get("unsubscribeLinkText"),
            text=action.get("unsubscribeText"),
        )

    def write(self, block: Unsubscribe | None) -> Action:
        if block is None or not block.enabled:
            return {"hasUnsubscribe": False, "unsubscribeLinkText": None, "unsubscribeText": None}
        return {
            "hasUnsubscribe": True,
            "unsubscribeLinkText": block.linkText,
            "unsubscribeText": block.text,
        }


def _relaunch(outcome: str, name: str, has: str, prefix: str) -> RelaunchFamily:
    return RelaunchFamily(outcome, name, "relaunch", f"{prefix}Executed", has=has, prefix=prefix)


def _target(outcome: str, prefix: str, target: str) -> TargetFamily:
    name, kind = ("startSequence", "sequence") if target == "Sequence" else ("campaign", "campaign")
    executed = f"{prefix}{target}Executed"
    return TargetFamily(outcome, name, kind, executed, prefix=prefix, target=target)


FAMILIES: tuple[Family, ...] = (
    _relaunch("onSuccess", "relaunch", "automateSuccessHasRelaunch", "automateSuccessRelaunch"),
    _target("onSuccess", "automateSuccess", "Sequence"),
    _target("onSuccess", "automateSuccess", "Campaign"),
    OpportunityFamily(
        "onSuccess", "opportunity", "opportunity", "automateSuccessOpportunityExecuted"
    ),
    _relaunch("onFailure", "relaunch", "automateFailureHasRelaunch", "automateFailureRelaunch"),
    _target("onFailure", "automateFailure", "Sequence"),
    _target("onFailure", "automateFailure", "Campaign"),
    _relaunch(
        "onFailure",
        "relaunchPersona",
        "automateFailureHasRelaunchPersona",
        "automateFailureRelaunchPersona",
    ),
    PersonaCampaignFamily(
        "onFailure",
        "campaignPersona",
        "campaign",
        "automateFailureCampaignPersonaExecuted",
        has_same="automateFailureHasSameCampaignPersona",
        has="automateFailureHasCampaignPersona",
        id="automateFailureIdCampaignPersona",
        days="automateFailureCampaignNumberOfDaysPersona",
    ),
    _relaunch(
        "onFailure",
        "relaunchEnrichContact",
        "automateFailureHasRelaunchEnrichContact",
        "autoFailRelEnrichContact",
    ),
    PersonaCampaignFamily(
        "onFailure",
        "campaignEnrichContact",
        "campaign",
        "autoFailCampaignEnrichContactExecuted",
        has_same="autoFailHasSameCampaignEnrichContact",
        has="autoFailHasCampaignEnrichContact",
        id="autoFailIdCampaignEnrichContact",
        days="autoFailCampaignNumberOfDaysEnrichContact",
    ),
    FlagFamily(
        "onNoSuccess",
        "unsubscribe",
        "unsubscribe",
        "automateFailureNoSuccessUnsubscribeExecuted",
        flag="automateFailureNoSuccessUnsubscribe",
    ),
    _relaunch(
        "onNoSuccess",
        "relaunch",
        "automateFailureNoSuccessHasRelaunch",
        "automateFailureNoSuccessRelaunch",
    ),
    _target("onNoSuccess", "automateFailureNoSuccess", "Sequence"),
    _target("onNoSuccess", "automateFailureNoSuccess", "Campaign"),
    UnsubscribeFamily(None, "unsubscribe", "unsubscribe", "unsubscribeExecuted"),
)
FAMILY_PATHS = tuple(f.path for f in FAMILIES)
UNSUBSCRIBE = next(f for f in FAMILIES if f.outcome is None)


def spec_from_action(action: Action) -> AutomationRuleSpec:
    """Every automation of `action` as a complete spec (all outcome blocks given)."""
    blocks: dict[str, dict[str, Any]] = {outcome: {} for outcome in OUTCOMES}
    for family in FAMILIES:
        if family.outcome:
            blocks[family.outcome][family.name] = family.read(action)
    outcomes: dict[str, Any] = {
        o: OUTCOMES[o].model_construct(**values) for o, values in blocks.items()
    }
    unsubscribe = UNSUBSCRIBE.read(action) or Unsubscribe(enabled=False)
    sequence: Any = action.get("idSequence")
    return AutomationRuleSpec.model_construct(
        sequence=sequence, unsubscribe=unsubscribe, **outcomes
    )


def fields_from_spec(spec: AutomationRuleSpec) -> Action:
    """The `automate*` fields that say `spec`; families of blocks left out are omitted."""
    fields: Action = {}
    for family in FAMILIES:
        parent = getattr(spec, family.outcome) if family.outcome else spec
        if parent is not None and (family.outcome or spec.unsubscribe is not None):
            fields.update(family.write(getattr(parent, family.name)))
    return fields


def executed_automations(action: Action) -> dict[str, bool]:
    """Family path (`onFailure.relaunchPersona`, ...) -> has that automation executed."""
    return {family.path: family.executed(action) for family in FAMILIES}
