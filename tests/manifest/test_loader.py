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
    assert result.files == 10
    assert [r.key for r in result.resources] == [
        ("AutomationRule", "coefficy-meeting-booked"),
        ("Ruleset", "event-follow-up"),
        ("Ruleset", "standard-prospecting"),
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
        f"{path}:9:17: Sequence/inbound: spec.steps[1].template: no Template named 'intro'"
    )
    assert error == ManifestError(
        file=str(path),
        line=9,
        column=17,
        path="spec.steps[1].template",
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
    assert error.message.endswith(f"(also at {tmp_path / 'a.yaml'}:3)")  # its metadata.name


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("", "no YAML document, skipped"),
        ("# just a comment\n", "no YAML document, skipped"),
        ("just text\n", "not a seqops manifest, skipped"),
        ("42\n", "not a seqops manifest, skipped"),
        ("- a\n- b\n", "not a seqops manifest, skipped"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "not a seqops manifest"),
        ("apiVersion: apps/v1\nkind: Sequence\n", "not a seqops manifest, skipped"),
    ],
)
def test_yaml_that_is_no_seqops_manifest_is_a_note_and_alone_no_manifest_at_all(
    load_text, text, note
):
    result = load_text(text)
    [skipped] = result.notes
    assert note in skipped.message and (skipped.line, skipped.column) == (1, 1)
    [error] = result.errors
    assert str(error) == f"error: no manifests under {skipped.file}"
    assert result.skipped == [skipped.file] and result.files == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- apiVersion: seqops/v1\n", "not a list: write each manifest as its own document"),
        ("kind: Sequence\nmetadata: {name: x}\nspec: {}\n", "missing required key 'apiVersion'"),
        (TEMPLATE.replace("seqops/v1", "seqops/v9"), "must be 'seqops/v1', not 'seqops/v9'"),
    ],
)
def test_what_looks_like_a_seqops_manifest_is_checked_never_skipped(load_text, text, message):
    """Skipping a manifest by mistake would plan the retirement of what it describes."""
    result = load_text(text)
    assert not result.notes
    [error] = result.errors
    assert message in error.message


KIND_DOCUMENTS = {
    "Sequence": "metadata: {name: x}\nspec: {steps: []}\n",
    "Template": "metadata: {name: x}\nspec: {subject: Hi}\n",
    "Ruleset": "metadata: {name: x}\nspec: {}\n",
    "AutomationRule": "metadata: {name: x}\nspec: {sequence: 1}\n",
}


@pytest.mark.parametrize("kind", list(KIND_DOCUMENTS))
@pytest.mark.parametrize("version", ["Seqops/v1", "seqop/v1", "v1", "seqops/v2", "SEQOPS/V1"])
def test_a_seqops_kind_with_metadata_and_spec_is_a_manifest_whatever_its_api_version(
    load_text, kind, version
):
    """DESIGN §3: a wrong apiVersion is a located error with a did-you-mean, never a skip."""
    result = load_text(f"apiVersion: {version}\nkind: {kind}\n" + KIND_DOCUMENTS[kind])
    assert not result.notes and not result.skipped_documents
    wrong = [e for e in result.errors if e.path == "apiVersion"]
    assert [(e.line, e.column, e.kind, e.name) for e in wrong] == [(1, 13, kind, "x")]
    assert wrong[0].message == (f"must be 'seqops/v1', not '{version}' (did you mean 'seqops/v1'?)")


@pytest.mark.parametrize("version", ["apiVersion: v1\n", "apiVersion: seqops/v1\n", ""])
def test_a_seqops_kind_in_the_wrong_case_is_a_manifest_with_a_did_you_mean(load_text, version):
    result = load_text(f"{version}kind: sequence\nmetadata: {{name: x}}\nspec: {{steps: []}}\n")
    assert not result.notes
    [kind] = [e for e in result.errors if e.path == "kind"]
    assert kind.message.endswith("(did you mean 'Sequence'?)")


def test_a_missing_api_version_says_what_to_write(load_text):
    [error] = load_text("kind: Template\nmetadata: {name: x}\nspec: {subject: Hi}\n").errors
    assert error.message == "missing required key 'apiVersion' (apiVersion: seqops/v1)"


def test_an_empty_api_version_is_one_error_not_two(load_text):
    result = load_text("apiVersion:\nkind: Template\nmetadata: {name: x}\nspec: {subject: Hi}\n")
    assert messages(result) == ["must be 'seqops/v1', not null"]


@pytest.mark.parametrize(
    "text",
    [
        # OpenShift's Template has metadata but no spec
        "apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: x}\nobjects: []\n",
        "apiVersion: apps/v1\nkind: Sequence\n",
        "apiVersion: v1\nkind: Sequencer\nmetadata: {name: x}\nspec: {}\n",
    ],
)
def test_other_tools_documents_are_still_skipped(load_text, text):
    result = load_text(text)
    assert [n.message for n in result.notes] == ["not a seqops manifest, skipped"]


def test_a_skipped_document_that_names_something_is_remembered(write, tmp_path):
    write("t.yaml", TEMPLATE)
    path = write(
        "s.yaml", "# typo\napiVersion: v1\nkind: Sequence\nmetadata: {name: x}\nspecs: {}\n"
    )
    write("w.yml", "name: ci\non: [push]\n")
    result = load([tmp_path])
    assert result.ok, messages(result)
    [skipped] = result.skipped_documents
    assert str(skipped) == f"{path}:2:1: apiVersion 'v1', kind 'Sequence' named 'x'"


def test_a_kubernetes_file_beside_manifests_is_skipped_document_by_document(write, tmp_path):
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"
    mixed = write("mixed.yaml", f"{configmap}---\n{TEMPLATE.strip()}\n---\n- a\n")
    result = load([tmp_path])
    assert result.ok, messages(result)
    assert [r.key for r in result.resources] == [("Template", "intro")]
    assert [(n.file, n.line, n.message) for n in result.notes] == [
        (str(mixed), 1, "not a seqops manifest, skipped"),
        (str(mixed), 11, "not a seqops manifest, skipped"),
    ]
    assert result.files == 1 and result.skipped == []


def test_named_or_walked_foreign_yaml_is_skipped_alike(write, tmp_path):
    workflow = write("ci/workflow.yml", "name: plan\non: [pull_request]\njobs: {}\n")
    template = write("t.yaml", TEMPLATE)
    for paths in ([tmp_path], [workflow, template]):
        result = load(paths)
        assert result.ok, messages(result)
        assert result.skipped == [str(workflow)] and result.files == 1
        assert [str(n) for n in result.notes] == [
            f"{workflow}:1:1: note: not a seqops manifest, skipped"
        ]


def test_a_missing_path_is_an_error_and_the_rest_is_still_checked(write, tmp_path):
    good = write("t.yaml", TEMPLATE)
    result = load([tmp_path / "nope", good])
    assert [str(e) for e in result.errors] == [
        f"error: {tmp_path / 'nope'}: no such file or directory"
    ]
    assert len(result.resources) == 1


def test_an_empty_directory_is_no_manifest_set(tmp_path):
    (tmp_path / "empty").mkdir()
    result = load([tmp_path / "empty"])
    assert [str(e) for e in result.errors] == [f"error: no manifests under {tmp_path / 'empty'}"]


def test_locate_points_inside_a_resource(write):
    path = write("s.yaml", SEQUENCE)
    result = load([path])
    [sequence] = result.resources
    assert result.locate(sequence, ("spec", "steps", 0, "wait")) == (str(path), 8, 13)
    assert result.location(sequence) == (str(path), 1, 1)


def test_positions_kept_while_parsing_are_the_ones_found_later(write, tmp_path):
    """`lint` keeps every value's position from its one parse (`positions=True`); `validate`
    finds them by parsing a file again when it locates an error: both point at the same place,
    in one process and in workers."""
    write(
        "s.yaml", f"{TEMPLATE}---\n{SEQUENCE}\n---\n# a comment\n{SEQUENCE.replace('inbound', 'b')}"
    )
    for i in range(30):
        write(f"t{i:02}.yaml", TEMPLATE.replace("intro", f"t{i}"))
    paths = [("spec", "steps", 0, "wait"), ("spec", "steps", 0), ("spec", "subject"), ()]
    for jobs in (1, 2):
        later, kept = load([tmp_path], jobs=jobs), load([tmp_path], jobs=jobs, positions=True)
        assert [r.metadata.name for r in kept.resources] == [
            r.metadata.name for r in later.resources
        ]
        for resource_later, resource_kept in zip(later.resources, kept.resources, strict=True):
            for path in paths:
                assert kept.locate(resource_kept, path) == later.locate(resource_later, path)
    [_, _, second] = [r for r in kept.resources if r.metadata.name in ("intro", "inbound", "b")]
    written = (tmp_path / "s.yaml").read_text().splitlines()
    line, column = kept.locate(second, ("spec", "steps", 0, "wait"))[1:]
    assert (
        written[line - 1][column - 1 :] == "0" and written[line - 2].strip() == "- type: auto_email"
    )


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


@pytest.mark.parametrize("kind", ["Sequence", "Template", "Ruleset", "AutomationRule"])
def test_spec_is_required(load_text, kind):
    [error] = load_text(f"apiVersion: seqops/v1\nkind: {kind}\nmetadata: {{name: x}}\n").errors
    assert (error.line, error.message) == (1, "missing required key 'spec'")


def test_a_bad_document_never_stops_the_next_ones_of_its_file(load_text):
    result = load_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: a}\nspec: {subject: 5}\n---\n"
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: b}\nspec: {subjet: x}\n---\n"
        + TEMPLATE.strip()
        + "\n"
    )
    assert [(e.line, e.name) for e in result.errors] == [(4, "a"), (9, "b")]
    assert [r.name for r in result.resources] == ["intro"]


def test_invalid_documents_still_count_for_unique_names_and_references(write, tmp_path):
    write("t.yaml", TEMPLATE.replace("{subject: Hello}", "{subject: Hello, trackOpens: maybe}"))
    write("u.yaml", TEMPLATE)
    write("s.yaml", SEQUENCE.replace("wait: 0", "wait: soon"))
    result = load([tmp_path])
    assert [
        (e.file.rsplit("/", 1)[-1], e.path, e.message.split(" (")[0]) for e in result.errors
    ] == [
        ("s.yaml", "spec.steps[1].wait", "'soon' is not a duration: write 0, 90m, 2d or 1w"),
        ("t.yaml", "spec.trackOpens", "must be true or false, not text 'maybe'"),
        ("u.yaml", "metadata.name", "Template/intro is defined twice"),
    ]
    assert result.resources[0].name == "intro" and len(result.resources) == 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "  sequenceType: date\n  steps:\n    - {type: call, date: 2024-13-45}\n",
            "'2024-13-45' is not a valid date (write it as YYYY-MM-DD)",
        ),
        (
            "  sequenceType: dated\n  steps:\n    - {type: call, date: 2024-05-01}\n",
            "'dated' is not one of 'interval', 'date' (did you mean 'date'?)",
        ),
        (
            "  steps:\n    - {type: auto_email, wait: 1d, template: Intro!}\n",
            "'Intro!' is not a valid name (did you mean 'intro'?)",
        ),
    ],
)
def test_a_value_cut_out_for_the_semantic_rules_is_not_blamed_again(load_text, spec, message):
    """Without the refused value the rest would read as "needs a `date`", "`date` is for date
    sequences" or "needs a `template`": echoes of the one mistake already reported."""
    text = "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec:\n" + spec
    assert messages(load_text(text + "---\n" + TEMPLATE.strip() + "\n")) == [message]


THANKS = """
apiVersion: seqops/v1
kind: Template
metadata: {name: inbound-thanks}
spec: {displayName: Inbound - thanks for your demo request, subject: Thanks}
"""
RULESET = "apiVersion: seqops/v1\nkind: Ruleset\nmetadata: {name: standard}\nspec: {displayName: Standard rules}\n"


@pytest.mark.parametrize(
    ("field", "written", "hint"),
    [
        ("template", "inbound-thanks.yaml", "not its file"),
        ("template", "templates/inbound-thanks.yml", "not its file"),
        ("template", '"Inbound - thanks for your demo request"', "not its displayName"),
        ("template", "Inbound_Thanks", ""),
        ("templates", "[inbound-thanks.yaml]", "not its file"),
    ],
)
@pytest.mark.parametrize("model_first", [False, True])
def test_a_reference_written_as_a_file_or_display_name_gets_the_key(
    write, tmp_path, field, written, hint, model_first
):
    write("templates/inbound-thanks.yaml", THANKS)
    step = f"{{type: auto_email, wait: 0, {field}: {written}}}"
    write(
        "s.yaml",
        f"apiVersion: seqops/v1\nkind: Sequence\nmetadata: {{name: s}}\nspec:\n  steps:\n    - {step}\n",
    )
    [error] = load([tmp_path], model_first=model_first).errors
    assert error.message.endswith(
        "is not a valid name (did you mean 'inbound-thanks'?"
        + (f" a reference names a Template's metadata.name, {hint})" if hint else ")")
    )


def test_a_ruleset_named_by_its_display_name_gets_the_key(write, tmp_path):
    write("r.yaml", RULESET)
    write(
        "s.yaml",
        'apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec: {ruleset: "Standard rules", steps: []}\n',
    )
    [error] = load([tmp_path]).errors
    assert error.path == "spec.ruleset"
    assert error.message == (
        "'Standard rules' is not a valid name (did you mean 'standard'? a reference names a "
        "Ruleset's metadata.name, not its displayName)"
    )


def test_an_invalid_name_that_means_nothing_keeps_its_message(write, tmp_path):
    write("r.yaml", RULESET)
    write(
        "s.yaml",
        'apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec: {ruleset: "%%%", steps: []}\n',
    )
    [error] = load([tmp_path]).errors
    assert error.message.startswith("'%%%' is not a valid name: use lowercase letters")


def test_defined_twice_points_at_both_names(write, tmp_path):
    write("a.yaml", "# first\n" + TEMPLATE.lstrip())
    write("b.yaml", "# second\n# file\n" + TEMPLATE.lstrip())
    [error] = load([tmp_path]).errors
    assert (error.file, error.line, error.column) == (str(tmp_path / "b.yaml"), 5, 18)
    assert error.message.endswith(f"(also at {tmp_path / 'a.yaml'}:4)")
