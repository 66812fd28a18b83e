"""automate* fields <-> AutomationRule blocks, checked against the seed's field names."""

import pytest

from seqops.manifest.models.automation_rule import OnFailure, PersonaCampaign, Relaunch, Supply
from seqops.providers.coefficy.mapping import FAMILIES, fields_from_spec, spec_from_action
from seqops.sandbox.coefficy import blank_action, rule_for_families


@pytest.mark.parametrize("supplies", [1, 2, 3, 4])
def test_every_family_reads_back_what_it_wrote(supplies):
    spec = rule_for_families(7, supplies=supplies, seed=supplies)
    action = {**blank_action(), **fields_from_spec(spec), "idSequence": 7}
    assert spec_from_action(action).model_dump() == spec.model_dump()


def test_a_relaunch_writes_its_supplies_into_numbered_fields():
    relaunch = Relaunch(supplies=[Supply(supply=11, tag=2), Supply(supply=12), Supply(supply=13)])
    fields = fields_from_spec(
        rule_for_families(7, families=()).model_copy(
            update={"onFailure": OnFailure(relaunchEnrichContact=relaunch)}
        )
    )
    assert fields["automateFailureHasRelaunchEnrichContact"] is True
    assert [fields[f"autoFailRelEnrichContactIdSupply{i}"] for i in (1, 2, 3, 4)] == [
        11,
        12,
        13,
        None,
    ]
    assert [fields[f"autoFailRelEnrichContactIdSupplyTag{i}"] for i in (1, 2, 3, 4)] == [
        2,
        None,
        None,
        None,
    ]
    assert fields["automateFailureHasRelaunchPersona"] is False


def test_a_same_campaign_persona_sets_both_flags_and_no_id():
    spec = rule_for_families(7, families=()).model_copy(
        update={
            "onFailure": OnFailure(campaignPersona=PersonaCampaign(sameCampaign=True, afterDays=3))
        }
    )
    fields = fields_from_spec(spec)
    assert fields["automateFailureHasSameCampaignPersona"] is True
    assert fields["automateFailureHasCampaignPersona"] is True
    assert fields["automateFailureIdCampaignPersona"] is None
    assert fields["automateFailureCampaignNumberOfDaysPersona"] == 3


def test_the_no_success_unsubscribe_is_a_flag():
    fields = fields_from_spec(rule_for_families(7, families=("onNoSuccess.unsubscribe",)))
    assert fields["automateFailureNoSuccessUnsubscribe"] is True
    assert fields["automateFailureNoSuccessHasRelaunch"] is False


def test_an_outcome_left_out_writes_none_of_its_fields():
    spec = rule_for_families(7).model_copy(update={"onSuccess": None, "unsubscribe": None})
    fields = fields_from_spec(spec)
    assert not [name for name in fields if name.startswith("automateSuccess")]
    assert "hasUnsubscribe" not in fields
    assert fields["automateFailureHasRelaunch"] is True


def test_families_cover_sixteen_automations_with_seed_executed_fields():
    assert len(FAMILIES) == 16
    action = blank_action()
    for family in FAMILIES:
        assert family.executed_field in action
        assert f"{family.executed_field}Date" in action
