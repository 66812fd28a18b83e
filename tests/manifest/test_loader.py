"""The loader end to end on real files: every layer, every file, all errors at once."""

import datetime

import pytest

from seqops.manifest import ManifestError, load
from seqops.manifest.models import Sequence

from .documents import EXAMPLES, messages

TEMPLATE = """
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hello}
"""

SEQUENCE = """
apiVersion: seqops/v1
kind: Sequence
metadata:
  name: inbound
spec:
  steps:
    - type: auto_email
      wait: 0
      template: intro
"""


def test_the_examples_load_in_file_and_document_order():
    result = load([EXAMPLES])
    assert result.ok, [str(e) for e in result.errors]
    assert result.files == 9
    assert [r.key for r in result.resources] == [
        ("AutomationRule", "coefficy-meeting-booked"),
        ("Ruleset", "standard-prospecting"),
        ("Ruleset", "event-follow-up"),
        ("Sequence", "inbound-demo-request"),
        ("Sequence", "outbound-enterprise"),
        ("Sequence", "webinar-followup"),
        ("Template", "follow-up-bump"),
        ("Template", "inbound-thanks"),
        ("Template", "outbound-intro"),
        ("Template", "webinar-recap"),
    ]
    webinar = next(r for r in result.resources if r.name == "webinar-followup")
    assert isinstance(webinar, Sequence)
    assert webinar.spec.steps[0].date == datetime.date(2027, 2, 11)
    assert result.location(webinar)[0].endswith("sequences/webinar-followup.yaml")


def test_references_resolve_across_files_in_any_order(write, tmp_path):
    write("a-sequences/inbound.yaml", SEQUENCE)
    write("z-templates/intro.yaml", TEMPLATE)
    result = load([tmp_path])
    assert result.ok, messages(result)


def test_every_error_of_every_layer_and_file_is_reported_in_order(write, tmp_path):
    write(
        "a.yaml", "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: a}\nspec: {subjct: x}\n"
    )
    write("b.yaml", "a: [1\n")
    write("c.yaml", SEQUENCE.replace("template: intro", "template: intor"))
    result = load([tmp_path])
    assert [(e.file.rsplit("/", 1)[-1], e.line, e.column) for e in result.errors] == [
        ("a.yaml", 4, 8),
        ("b.yaml", 2, 1),
        ("c.yaml", 9, 17),
    ]
    assert [e.kind for e in result.errors] == ["Template", None, "Sequence"]
    assert result.files == 3
    assert not result.ok


def test_the_error_format(write):
    path = write("c.yaml", SEQUENCE)
    [error] = load([path]).errors
    assert str(error) == (
        f"{path}:9:17: Sequence/inbound: spec.steps[0].template: no Template named 'intro'"
    )
    assert error == ManifestError(
        file=str(path),
        line=9,
        column=17,
        path="spec.steps[0].template",
        kind="Sequence",
        name="inbound",
        message="no Template named 'intro'",
    )


def test_a_document_that_failed_is_not_blamed_again_by_references(write, tmp_path):
    write("t.yaml", TEMPLATE.replace("subject: Hello", "subject: 5"))
    write("s.yaml", SEQUENCE)
    assert messages(load([tmp_path])) == ["must be text, not the number 5"]


def test_duplicates_across_files_name_both_places(write, tmp_path):
    write("a.yaml", TEMPLATE)
    write("b.yaml", "# again\n" + TEMPLATE.lstrip())
    [error] = load([tmp_path]).errors
    assert error.file.endswith("b.yaml")
    assert (error.line, error.column) == (4, 18)
    assert error.message.endswith(f"(also at {tmp_path / 'a.yaml'}:1)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no documents"),
        ("# just a comment\n", "no documents"),
        ("- apiVersion: seqops/v1\n", "not a list"),
        ("just text\n", "not text 'just text'"),
        ("42\n", "not the number 42"),
    ],
)
def test_documents_that_are_no_manifest(load_text, text, message):
    [error] = load_text(text).errors
    assert message in error.message
    assert (error.line, error.column) == (1, 1)


def test_foreign_yaml_found_by_walking_is_skipped_but_not_when_named(write, tmp_path):
    workflow = write("ci/workflow.yml", "name: plan\non: [pull_request]\njobs: {}\n")
    write("t.yaml", TEMPLATE)
    walked = load([tmp_path])
    assert walked.ok
    assert walked.skipped == [str(workflow)]
    assert walked.files == 1
    named = load([workflow])
    assert messages(named) == ["missing required keys 'apiVersion', 'kind'"]


def test_a_missing_path_is_an_error_and_the_rest_is_still_checked(write, tmp_path):
    good = write("t.yaml", TEMPLATE)
    result = load([tmp_path / "nope", good])
    assert messages(result) == ["no such file or directory"]
    assert len(result.resources) == 1


def test_locate_points_inside_a_resource(write):
    path = write("s.yaml", SEQUENCE)
    result = load([path])
    [sequence] = result.resources
    assert result.locate(sequence, ("spec", "steps", 0, "wait")) == (str(path), 8, 13)
    assert result.location(sequence) == (str(path), 1, 1)


def test_worker_processes_give_the_same_result_as_one(write, tmp_path):
    for i in range(30):
        write(f"t{i:02}.yaml", TEMPLATE.replace("intro", f"t{i}"))
        write(f"s{i:02}.yaml", SEQUENCE.replace("inbound", f"s{i}").replace("intro", f"t{i + 1}"))
    write("bad.yaml", "a: [\n")
    serial, parallel = load([tmp_path], jobs=1), load([tmp_path], jobs=2)
    assert parallel.errors == serial.errors and len(serial.errors) == 2
    assert parallel.resources == serial.resources and len(serial.resources) == 60
    assert [parallel.location(r) for r in parallel.resources] == [
        serial.location(r) for r in serial.resources
    ]
