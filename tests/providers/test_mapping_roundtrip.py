"""Model -> JSON:API document -> live record -> model, in process: what seqops writes for a
manifest reads back as the same manifest, references resolved both ways, ownership tagged.

The API side is the document itself given an id (what the server echoes), reduced to the
record `read()` keeps (`records.of`)."""

from __future__ import annotations

import datetime

import pytest

from seqops.manifest.models import Ruleset, Sequence, Step, Template
from seqops.manifest.models.ruleset import PRIORITY_FIELDS, STAGE_FIELDS
from seqops.providers.base import Ids, ProviderError
from seqops.providers.outreach import records
from seqops.providers.outreach.mapping import (
    RULESET_ATTRIBUTES,
    SEQUENCE_ATTRIBUTES,
    TEMPLATE_ATTRIBUTES,
    Names,
    document,
    owner_key,
    ruleset_document,
    ruleset_from,
    sequence_document,
    sequence_from,
    sequence_template_document,
    step_document,
    step_from,
    template_document,
    template_from,
)

IDS = Ids(
    templates={"intro": 101, "intro-b": 102, "follow-up": 103},
    rulesets={"default-rules": 201},
    users={"ana@example.com": 301},
    stages={f"Stage {i}": 400 + i for i in range(len(STAGE_FIELDS))},
    task_priorities={"high": 501, "medium": 502, "low": 503},
)
NAMES = Names(
    users={v: k for k, v in IDS.users.items()},
    stages={v: k for k, v in IDS.stages.items()},
    task_priorities={v: k for k, v in IDS.task_priorities.items()},
    templates={v: k for k, v in IDS.templates.items()},
    rulesets={v: k for k, v in IDS.rulesets.items()},
)


def envelope(kind: str, name: str, spec: dict) -> dict:
    return {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def served(body: dict, id: int) -> records.Record:
    """The record of what the server holds after this write (the document, given an id)."""
    return records.of({**body["data"], "id": id})


def pinned(model, id: int):
    """The model as read: metadata.id pins the live object."""
    return model.model_copy(update={"metadata": model.metadata.model_copy(update={"id": id})})


TEMPLATE = Template.model_validate(
    envelope(
        "Template",
        "intro",
        {
            "displayName": "Intro (v2)",
            "subject": "Hi {{first_name}}",
            "bodyHtml": "<p>Hello</p>",
            "trackOpens": True,
            "trackLinks": False,
            "shareType": "shared",
            "archived": False,
            "tags": ["news", "q3"],
            "toRecipients": ["A <a@x.test>"],
            "ccRecipients": ["c@x.test"],
            "bccRecipients": ["b@x.test", "d@x.test"],
        },
    )
)


def test_a_template_round_trips_with_every_field_and_its_ownership_tag():
    body = template_document(TEMPLATE, "intro")
    attrs = body["data"]["attributes"]
    assert body["data"]["type"] == "template" and "id" not in body["data"]
    assert attrs["name"] == "Intro (v2)"
    assert attrs["tags"] == ["news", "q3", "seqops:intro"]
    assert set(attrs) == {*TEMPLATE_ATTRIBUTES, "name", "tags"}
    record = served(body, 7)
    assert owner_key(record.get("tags")) == "intro"
    assert template_from(record, "intro") == pinned(TEMPLATE, 7)


def test_a_template_update_names_its_id_and_sends_only_managed_fields():
    bare = Template.model_validate(envelope("Template", "bare", {"subject": "S"}))
    body = template_document(bare, "bare", id=9)
    assert body == {
        "data": {
            "type": "template",
            "attributes": {"subject": "S", "name": "bare", "tags": ["seqops:bare"]},
            "id": 9,
        }
    }
    read = template_from(served(body, 9), "bare")
    assert read.spec.subject == "S" and read.spec.tags == [] and read.display_name == "bare"


def test_a_template_whose_manifest_carries_a_stale_ownership_tag_gets_only_its_own():
    stale = Template.model_validate(
        envelope("Template", "intro", {"tags": ["seqops:old-name", "keep"]})
    )
    tags = template_document(stale, "intro")["data"]["attributes"]["tags"]
    assert tags == ["keep", "seqops:intro"]


RULESET = Ruleset.model_validate(
    envelope(
        "Ruleset",
        "default-rules",
        {
            "displayName": "Default Rules",
            "applyCompletedStageIn": 3600,
            "autoResumeOotoProspects": True,
            "autoResumeOotoProspectsExpiresIn": 7200,
            "autoResumeOotoProspectsIn": 60,
            "callOptOutAction": "fini",
            "clicksNeededBeforeCallTaskCreated": 3,
            "emailOptOutAction": "stop",
            "includeUnsubscribeLinks": False,
            "meetingBookedAction": "finish",
            "minimumProspectTouchedInterval": 86400,
            "ootoAutoExtractionEnabled": True,
            "opensNeededBeforeCallTaskCreated": 5,
            "permitDuplicateProspects": "allow",
            "sequenceExclusivity": "none",
            "smsOptOutAction": "halt",
            "smsReceivedAction": "pause",
            "stepOverridesEnabled": False,
            **{rel: f"Stage {i}" for i, rel in enumerate(STAGE_FIELDS)},
            **dict(zip(PRIORITY_FIELDS, ["high", "medium", "low"], strict=True)),
        },
    )
)


def test_a_ruleset_round_trips_with_its_stage_and_priority_relationships():
    body = ruleset_document(RULESET, IDS)
    data = body["data"]
    assert data["type"] == "ruleset" and data["attributes"]["name"] == "Default Rules"
    assert set(data["attributes"]) == {*RULESET_ATTRIBUTES, "name"}
    assert data["relationships"]["startedStage"] == {
        "data": {"type": "stage", "id": IDS.stages[RULESET.spec.startedStage]}
    }
    assert data["relationships"]["callTaskPriorityFromOpens"] == {
        "data": {"type": "taskPriority", "id": 503}
    }
    assert set(data["relationships"]) == {*STAGE_FIELDS, *PRIORITY_FIELDS}
    assert ruleset_from(served(body, 8), "default-rules", NAMES) == pinned(RULESET, 8)


def test_a_ruleset_without_references_sends_no_relationships():
    bare = Ruleset.model_validate(envelope("Ruleset", "bare", {"stepOverridesEnabled": True}))
    body = ruleset_document(bare, Ids(), id=3)
    assert body == {
        "data": {
            "type": "ruleset",
            "attributes": {"stepOverridesEnabled": True, "name": "bare"},
            "id": 3,
        }
    }
    read = ruleset_from(served(body, 3), "bare", Names())
    assert read.spec.displayName == "bare" and read.spec.stepOverridesEnabled is True
    assert all(getattr(read.spec, rel) is None for rel in (*STAGE_FIELDS, *PRIORITY_FIELDS))


def test_a_ruleset_naming_a_missing_stage_or_priority_is_refused_by_name():
    missing_stage = Ruleset.model_validate(envelope("Ruleset", "r", {"repliedStage": "Nowhere"}))
    with pytest.raises(ProviderError) as info:
        ruleset_document(missing_stage, IDS)
    assert str(info.value) == "Ruleset/r: stage 'Nowhere' does not exist in the account"
    missing_priority = Ruleset.model_validate(
        envelope("Ruleset", "r", {"callTaskPriority": "urgent"})
    )
    with pytest.raises(ProviderError) as info:
        ruleset_document(missing_priority, IDS)
    assert str(info.value) == "Ruleset/r: task priority 'urgent' does not exist in the account"


def sequence(sequence_type: str, steps: list[dict], **spec) -> Sequence:
    return Sequence.model_validate(
        envelope("Sequence", "onboarding", {"sequenceType": sequence_type, "steps": steps, **spec})
    )


SEQUENCE_SPEC = {
    "displayName": "Onboarding",
    "description": "New customers",
    "scheduleIntervalType": "schedule",
    "shareType": "private",
    "tags": ["cs"],
    "ruleset": "default-rules",
    "owner": "ana@example.com",
    "salesMotion": "inbound",
    "primaryReplyAction": "pause",
    "primaryReplyPauseDuration": 86400,
    "secondaryReplyAction": "continue",
    "throttleCapacity": 100,
    "throttleMaxAddsPerDay": 20,
    "throttlePaused": False,
    "transactional": True,
}
INTERVAL_STEPS = [
    {"type": "auto_email", "wait": 0, "template": "intro", "isReply": False},
    {"type": "manual_email", "wait": 3600, "templates": ["intro", "intro-b"], "isReply": True},
    {"type": "call", "wait": 86400, "priority": "high", "note": "ring", "autoskipAfter": 600},
    {"type": "task", "wait": 60},
]


def write_and_read_steps(model: Sequence, sequence_id: int) -> list[Step]:
    """Each step written as the provider writes it (step, then one binding per variant) and
    read back as `read()` assembles it."""
    read = []
    for order, step in enumerate(model.spec.steps, start=1):
        step_id = 1000 + order
        body = step_document(step, IDS, sequence_id=sequence_id, order=order)
        record = served(body, step_id)
        assert record.related("sequence") == sequence_id and record.get("order") == order
        bound = [
            served(sequence_template_document(step_id, IDS.templates[v], step.isReply), 2000 + i)
            for i, v in enumerate(step.variants)
        ]
        binding = bound[0] if bound else None
        read.append(step_from(record, binding, bound, model.spec.sequenceType, NAMES))
    return read


def test_an_interval_sequence_round_trips_with_its_steps_and_references():
    model = sequence("interval", INTERVAL_STEPS, **SEQUENCE_SPEC)
    body = sequence_document(model, IDS, "onboarding", tags=["live-only"])
    data = body["data"]
    assert data["attributes"]["tags"] == ["cs", "seqops:onboarding"]
    assert data["attributes"]["name"] == "Onboarding"
    unset = {"secondaryReplyPauseDuration", "maxActivations"}
    assert set(data["attributes"]) == {*SEQUENCE_ATTRIBUTES, "name", "tags"} - unset
    assert data["relationships"] == {
        "ruleset": {"data": {"type": "ruleset", "id": 201}},
        "owner": {"data": {"type": "user", "id": 301}},
    }
    record = served(body, 60)
    steps = write_and_read_steps(model, 60)
    assert steps == model.spec.steps
    assert sequence_from(record, "onboarding", steps, NAMES) == pinned(model, 60)


def test_a_date_sequence_round_trips_its_days_and_max_activations():
    steps = [
        {"type": "auto_email", "date": "2027-01-04", "template": "follow-up"},
        {"type": "task", "date": "2027-02-28", "priority": "low"},
    ]
    model = sequence("date", steps, maxActivations=50, displayName="Dated", tags=[])
    body = sequence_document(model, IDS, "onboarding", tags=None)
    assert body["data"]["attributes"]["maxActivations"] == 50
    assert "relationships" not in body["data"]
    step_body = step_document(model.spec.steps[0], IDS)
    assert step_body["data"]["attributes"] == {"stepType": "auto_email", "date": "2027-01-04"}
    read = write_and_read_steps(model, 61)
    assert read[1].date == datetime.date(2027, 2, 28) and read[1].wait is None
    assert read == model.spec.steps
    assert sequence_from(served(body, 61), "onboarding", read, NAMES) == pinned(model, 61)


def test_a_sequence_that_does_not_manage_tags_keeps_the_live_ones_and_its_ownership():
    model = sequence("interval", [])
    live = ["team-a", "seqops:someone-else", "b"]
    tags = sequence_document(model, IDS, "onboarding", live)["data"]["attributes"]["tags"]
    assert tags == ["team-a", "b", "seqops:onboarding"]
    assert sequence_document(model, IDS, "onboarding", None)["data"]["attributes"]["tags"] == [
        "seqops:onboarding"
    ]
    managed = sequence("interval", [], tags=[])
    tags = sequence_document(managed, IDS, "onboarding", live)["data"]["attributes"]["tags"]
    assert tags == ["seqops:onboarding"]


def test_a_sequence_update_names_its_id_and_its_display_name_defaults_to_its_key():
    body = sequence_document(sequence("interval", []), Ids(), "onboarding", None, id=61)
    assert body == {
        "data": {
            "type": "sequence",
            "attributes": {
                "sequenceType": "interval",
                "name": "onboarding",
                "tags": ["seqops:onboarding"],
            },
            "id": 61,
        }
    }


def test_a_live_sequence_without_a_type_reads_as_interval():
    body = document("sequence", {"name": "Legacy", "tags": ["x", "seqops:legacy"], "enabled": True})
    read = sequence_from(served(body, 5), "legacy", [], NAMES)
    assert read.spec.sequenceType == "interval" and read.spec.enabled is True
    assert read.spec.tags == ["x"] and read.spec.displayName == "Legacy"
    assert read.spec.ruleset is None and read.spec.owner is None
    assert read.metadata.id == 5 and read.name == "legacy"


def test_a_sequence_naming_a_missing_ruleset_or_owner_is_refused_by_name():
    with pytest.raises(ProviderError) as info:
        sequence_document(sequence("interval", [], ruleset="gone"), IDS, "onboarding", None)
    assert str(info.value) == "Sequence/onboarding: ruleset 'gone' does not exist in the account"
    with pytest.raises(ProviderError) as info:
        sequence_document(sequence("interval", [], owner="x@y.test"), IDS, "onboarding", None)
    assert str(info.value) == ("Sequence/onboarding: user 'x@y.test' does not exist in the account")


def test_a_step_document_writes_its_fields_position_and_priority():
    step = Step(type="call", wait=120, priority="medium", note="n", autoskipAfter=30)
    body = step_document(step, IDS, sequence_id=4, order=2, id=77)
    assert body == {
        "data": {
            "type": "sequenceStep",
            "attributes": {
                "stepType": "call",
                "taskNote": "n",
                "taskAutoskipDelay": 30,
                "interval": 120,
                "order": 2,
            },
            "id": 77,
            "relationships": {
                "sequence": {"data": {"type": "sequence", "id": 4}},
                "taskPriority": {"data": {"type": "taskPriority", "id": 502}},
            },
        }
    }


def test_a_step_without_a_wait_is_written_with_an_interval_of_zero():
    body = step_document(Step(type="task"), Ids())
    assert body == {
        "data": {"type": "sequenceStep", "attributes": {"stepType": "task", "interval": 0}}
    }


def test_a_step_naming_a_missing_priority_is_refused_by_name():
    with pytest.raises(ProviderError) as info:
        step_document(Step(type="call", priority="urgent"), IDS)
    assert str(info.value) == "task priority 'urgent' does not exist in the account"


def test_a_binding_document_links_its_step_and_template():
    assert sequence_template_document(5, 6, True) == {
        "data": {
            "type": "sequenceTemplate",
            "attributes": {"isReply": True},
            "relationships": {
                "sequenceStep": {"data": {"type": "sequenceStep", "id": 5}},
                "template": {"data": {"type": "template", "id": 6}},
            },
        }
    }


def test_a_read_step_without_interval_or_binding_waits_zero_and_is_no_reply():
    record = served(document("sequenceStep", {"stepType": "auto_email"}), 9)
    assert step_from(record, None, [], "interval", NAMES) == Step(type="auto_email", wait=0)
    assert "isReply" not in step_from(record, None, [], "interval", NAMES).model_fields_set
    binding = served(sequence_template_document(9, 101, False), 10)
    read = step_from(record, binding, [binding], "interval", NAMES)
    assert read.template == "intro" and read.templates is None and read.isReply is False
    assert "isReply" in read.model_fields_set


def test_a_read_step_lists_its_variants_sorted_once_each_and_the_main_binding_s_reply():
    record = served(document("sequenceStep", {"stepType": "manual_email", "interval": 5}), 9)
    bound = [
        served(sequence_template_document(9, template_id, is_reply), 20 + i)
        for i, (template_id, is_reply) in enumerate([(103, True), (101, False), (103, False)])
    ]
    read = step_from(record, bound[0], bound, "interval", NAMES)
    assert read.templates == ["follow-up", "intro"] and read.template is None
    assert read.isReply is True and read.wait == 5


def test_a_read_date_step_takes_its_day_and_no_wait():
    body = document("sequenceStep", {"stepType": "task", "date": "2027-03-01", "interval": 99})
    read = step_from(served(body, 9), None, [], "date", NAMES)
    assert read == Step(type="task", date=datetime.date(2027, 3, 1))
    assert read.wait is None
