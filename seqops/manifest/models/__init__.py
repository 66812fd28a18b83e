"""The manifest kinds as pydantic models; `Manifest` dispatches on `kind`."""

from typing import Annotated

from pydantic import Field, TypeAdapter

from seqops.manifest.models.automation_rule import AutomationRule, AutomationRuleSpec
from seqops.manifest.models.base import API_VERSION, Duration, Metadata, Name, Resource
from seqops.manifest.models.ruleset import Ruleset, RulesetSpec
from seqops.manifest.models.sequence import EMAIL_STEP_TYPES, Sequence, SequenceSpec, Step
from seqops.manifest.models.template import Template, TemplateSpec

KINDS = {cls.__name__: cls for cls in (Sequence, Template, Ruleset, AutomationRule)}

Manifest = Annotated[Sequence | Template | Ruleset | AutomationRule, Field(discriminator="kind")]
manifest_adapter: TypeAdapter[Manifest] = TypeAdapter(Manifest)

__all__ = [
    "API_VERSION",
    "EMAIL_STEP_TYPES",
    "KINDS",
    "AutomationRule",
    "AutomationRuleSpec",
    "Duration",
    "Manifest",
    "Metadata",
    "Name",
    "Resource",
    "Ruleset",
    "RulesetSpec",
    "Sequence",
    "SequenceSpec",
    "Step",
    "Template",
    "TemplateSpec",
    "manifest_adapter",
]
