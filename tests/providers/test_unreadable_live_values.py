"""Live values the manifest schema cannot express: an optional one is dropped with a warning
and the rest of the object is read; a required one stops the read with a message naming the
object, the field and `seqops doctor`."""

from __future__ import annotations

import logging

import pytest

from seqops.manifest.models import Sequence, Template
from seqops.providers.base import ProviderError
from seqops.providers.outreach import records
from seqops.providers.outreach.mapping import (
    Names,
    document,
    sequence_from,
    step_from,
    template_from,
    validated,
)

DOCTOR = "(`seqops doctor` lists what the account holds that seqops cannot read)"


def template_record(id: int, **attrs) -> records.Record:
    return records.of({"type": "template", "id": id, "attributes": attrs})


def test_an_unknown_enum_value_is_dropped_with_a_warning_and_the_rest_is_read(caplog):
    record = template_record(4, name="Intro", shareType="everyone", subject="Hi", archived=True)
    with caplog.at_level(logging.WARNING, logger="seqops.providers.outreach"):
        template = template_from(record, "intro")
    assert template.spec.shareType is None
    assert (template.spec.subject, template.spec.archived) == ("Hi", True)
    assert template.metadata.id == 4 and template.display_name == "Intro"
    [message] = caplog.messages
    assert message.startswith("ignoring the live value of spec.shareType: Input should be")


def test_every_bad_optional_value_is_dropped_and_each_warned_about(caplog):
    body = document(
        "sequence",
        {"name": "x" * 300, "description": "d" * 2000, "shareType": "?", "throttleCapacity": 3},
    )
    record = records.of({**body["data"], "id": 8})
    with caplog.at_level(logging.WARNING, logger="seqops.providers.outreach"):
        sequence = sequence_from(record, "long", [], Names())
    spec = sequence.spec
    assert (spec.displayName, spec.description, spec.shareType) == (None, None, None)
    assert spec.throttleCapacity == 3 and sequence.display_name == "long"
    warned = sorted(m.split(":")[0] for m in caplog.messages)
    assert warned == [
        "ignoring the live value of spec.description",
        "ignoring the live value of spec.displayName",
        "ignoring the live value of spec.shareType",
    ]


def test_a_live_object_whose_name_is_no_manifest_name_cannot_be_read():
    with pytest.raises(ProviderError) as info:
        template_from(template_record(12, name="Intro"), "Not A Name")
    message = str(info.value)
    assert message.startswith("cannot read live Template Not A Name (id 12): metadata.name: ")
    assert message.endswith(DOCTOR)


def test_a_live_step_of_an_unknown_type_cannot_be_read():
    record = records.of({"type": "sequenceStep", "id": 3, "attributes": {"stepType": "linkedin"}})
    with pytest.raises(ProviderError) as info:
        step_from(record, None, [], "interval", Names())
    message = str(info.value)
    assert message.startswith("cannot read live Step: type: Input should be ")
    assert message.endswith(DOCTOR)


def test_data_missing_a_required_part_is_refused_not_crashed_on():
    data = {"apiVersion": "seqops/v1", "kind": "Sequence", "metadata": {"name": "s", "id": 2}}
    with pytest.raises(ProviderError) as info:
        validated(Sequence, data)
    assert str(info.value) == f"cannot read live Sequence s (id 2): spec: Field required {DOCTOR}"


def test_valid_data_is_read_unchanged_and_the_input_is_not_modified():
    data = {
        "apiVersion": "seqops/v1",
        "kind": "Template",
        "metadata": {"name": "t", "id": 1},
        "spec": {"subject": "s", "shareType": "nope"},
    }
    template = validated(Template, data)
    assert template.spec.subject == "s" and template.spec.shareType is None
    assert data["spec"] == {"subject": "s", "shareType": "nope"}


def sequence_data(*steps: dict) -> dict:
    spec = {"displayName": "S", "steps": list(steps)}
    return {
        "apiVersion": "seqops/v1",
        "kind": "Sequence",
        "metadata": {"name": "s", "id": 2},
        "spec": spec,
    }


def test_a_bad_optional_value_inside_a_step_is_dropped_from_that_step_only(caplog):
    data = sequence_data(
        {"type": "call", "note": "n" * 70000, "wait": 60},
        {"type": "task", "note": "keep"},
    )
    with caplog.at_level(logging.WARNING, logger="seqops.providers.outreach"):
        sequence = validated(Sequence, data)
    first, second = sequence.spec.steps
    assert (first.type, first.note, first.wait) == ("call", None, 60)
    assert second.note == "keep" and sequence.spec.displayName == "S"
    [message] = caplog.messages
    assert message.startswith("ignoring the live value of spec.steps.0.note: ")


def test_a_required_value_inside_a_step_names_its_full_path():
    with pytest.raises(ProviderError) as info:
        validated(Sequence, sequence_data({"type": "task"}, {"type": "fax"}))
    message = str(info.value)
    assert message.startswith("cannot read live Sequence s (id 2): spec.steps.1.type: Input ")
    assert message.endswith(DOCTOR)


def test_several_bad_values_nested_or_not_are_all_dropped(caplog):
    data = sequence_data({"type": "task", "autoskipAfter": -5, "note": "n" * 70000})
    data["spec"]["description"] = "d" * 2000
    with caplog.at_level(logging.WARNING, logger="seqops.providers.outreach"):
        sequence = validated(Sequence, data)
    (step,) = sequence.spec.steps
    assert (step.autoskipAfter, step.note, sequence.spec.description) == (None, None, None)
    assert len(caplog.messages) == 3
