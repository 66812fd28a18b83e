"""The AutomationRule model mirrors the seed's automate* families and rejects what they can't say."""

import jsonschema
import pytest
from pydantic import ValidationError

from seqops.manifest.models import AutomationRule, manifest_adapter


def rule(spec: dict) -> AutomationRule:
    return manifest_adapter.validate_python(
        {
            "apiVersion": "seqops/v1",
            "kind": "AutomationRule",
            "metadata": {"name": "r"},
            "spec": spec,
        }
    )


def relaunch(n: int) -> dict:
    return {"supplies": [{"supply": i + 1} for i in range(n)]}


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_a_relaunch_carries_one_to_four_supplies(n):
    parsed = rule({"sequence": 3, "onFailure": {"relaunchEnrichContact": relaunch(n)}})
    assert len(parsed.spec.onFailure.relaunchEnrichContact.supplies) == n


@pytest.mark.parametrize("n", [0, 5])
def test_a_relaunch_outside_one_to_four_supplies_is_rejected(n):
    with pytest.raises(ValidationError, match="supplies"):
        rule({"sequence": 3, "onSuccess": {"relaunch": relaunch(n)}})


@pytest.mark.parametrize(
    "campaign", [{"sameCampaign": True, "campaign": 4}, {"afterDays": 2}, {"sameCampaign": False}]
)
def test_a_persona_campaign_is_the_same_campaign_or_another_one(campaign):
    with pytest.raises(ValidationError, match="sameCampaign"):
        rule({"sequence": 3, "onFailure": {"campaignPersona": campaign}})


def test_every_family_of_the_seed_has_a_place():
    parsed = rule(
        {
            "sequence": 3,
            "onSuccess": {
                "relaunch": relaunch(1),
                "startSequence": {"sequence": 9, "afterDays": 2},
                "campaign": {"campaign": 5},
                "opportunity": {"title": "RDV", "deadline": 30, "status": 2, "amount": 1200.5},
            },
            "onFailure": {
                "relaunch": relaunch(2),
                "startSequence": {"sequence": 9},
                "campaign": {"campaign": 5},
                "relaunchPersona": relaunch(3),
                "campaignPersona": {"sameCampaign": True},
                "relaunchEnrichContact": relaunch(4),
                "campaignEnrichContact": {"campaign": 8, "afterDays": 1},
            },
            "onNoSuccess": {
                "unsubscribe": True,
                "relaunch": relaunch(1),
                "startSequence": {"sequence": 2},
                "campaign": {"campaign": 1},
            },
            "unsubscribe": {"linkText": "Se désinscrire", "text": "Plus d'emails ?"},
        }
    )
    assert parsed.spec.onNoSuccess.unsubscribe is True
    assert parsed.spec.unsubscribe.enabled is True


def test_the_spec_and_its_sequence_are_required():
    with pytest.raises(ValidationError, match="spec"):
        manifest_adapter.validate_python(
            {"apiVersion": "seqops/v1", "kind": "AutomationRule", "metadata": {"name": "r"}}
        )
    with pytest.raises(ValidationError, match="sequence"):
        rule({"onSuccess": {}})


def test_a_misspelt_key_is_rejected_not_ignored():
    with pytest.raises(ValidationError, match="onSucess"):
        rule({"sequence": 3, "onSucess": {}})


@pytest.mark.parametrize(
    ("campaign", "valid"),
    [
        ({"sameCampaign": True}, True),
        ({"campaign": 4}, True),
        ({"sameCampaign": True, "campaign": 4}, False),
        ({}, False),
    ],
)
def test_the_json_schema_says_the_same_about_persona_campaigns(campaign, valid):
    validator = jsonschema.Draft202012Validator(AutomationRule.model_json_schema())
    document = {
        "apiVersion": "seqops/v1",
        "kind": "AutomationRule",
        "metadata": {"name": "r"},
        "spec": {"sequence": 3, "onFailure": {"campaignEnrichContact": campaign}},
    }
    assert validator.is_valid(document) is valid
