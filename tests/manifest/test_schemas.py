"""The committed schema files: generated from the models, valid Draft 2020-12, usable alone."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from seqops.manifest import schemagen
from seqops.manifest.durations import PATTERN as DURATION_PATTERN
from seqops.manifest.models import KINDS
from seqops.manifest.schemas import load_schema, manifest_validator, schema_dir

from .documents import EXAMPLES, good

BIN = str(Path(sys.executable).parent)
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_committed_files_are_what_the_models_generate():
    stale = schemagen.stale_files(SCHEMAS)
    assert not stale, f"{stale} out of date: run python -m seqops.manifest.schemagen"


def test_generator_check_mode_fails_on_a_stale_file(tmp_path):
    schemagen.write(tmp_path)
    assert schemagen.main([str(tmp_path), "--check"]) == 0
    (tmp_path / "sequence.schema.json").write_text("{}\n")
    assert schemagen.main([str(tmp_path), "--check"]) == 1


@pytest.mark.parametrize("name", sorted(schemagen.generate()))
def test_each_file_is_valid_draft_2020_12_with_an_id(name):
    schema = json.loads((SCHEMAS / name).read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name)


@pytest.mark.parametrize("name", sorted(schemagen.generate()))
def test_each_file_stands_alone(name):
    """Only local references: a tool given any one file needs no other, and no network."""
    text = (SCHEMAS / name).read_text()
    refs = [part.split('"')[0] for part in text.split('"$ref": "')[1:]]
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_kind_file_accepts_its_kind(kind):
    validator = manifest_validator(schemagen.file_name(kind))
    assert not list(validator.iter_errors(good(kind)))


def test_the_dispatcher_names_the_one_kind_that_failed():
    document = good("Sequence")
    document["spec"]["steps"][0]["type"] = "fax"
    errors = list(manifest_validator().iter_errors(document))
    assert [list(e.absolute_path) for e in errors] == [["spec", "steps", 0, "type"]]


def test_the_runtime_reads_the_checkout_files():
    assert schema_dir() == SCHEMAS
    assert load_schema() == json.loads((SCHEMAS / schemagen.DISPATCHER).read_text())


@pytest.mark.skipif(
    not shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)),
    reason="check-jsonschema is not installed (pip install -e '.[bench]')",
)
def test_check_jsonschema_accepts_the_examples_with_the_committed_schema():
    tool = Path(sys.executable).parent / "check-jsonschema"
    single = [p for p in EXAMPLES.rglob("*.yaml") if "---" not in p.read_text()]
    assert single
    for name in (schemagen.DISPATCHER, "sequence.schema.json"):
        files = single if name == schemagen.DISPATCHER else list(EXAMPLES.glob("sequences/*"))
        run = subprocess.run(
            [tool, "--schemafile", SCHEMAS / name, *files], capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr


CONDITIONS = ("if", "then", "else", "not")
"""Schema parts that state a rule about properties, not the properties an editor shows."""


def undescribed(node: object, path: str = "") -> list[str]:
    """Every property without a `description` (editors show it on hover)."""
    found: list[str] = []
    if isinstance(node, dict):
        for name, schema in (node.get("properties") or {}).items():
            if isinstance(schema, dict) and not schema.get("description"):
                found.append(f"{path}.{name}")
        for key, value in node.items():
            if key not in CONDITIONS:
                found += undescribed(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            found += undescribed(value, path)
    return found


@pytest.mark.parametrize("name", sorted(schemagen.generate()))
def test_every_property_has_a_description(name):
    assert undescribed(json.loads((SCHEMAS / name).read_text())) == []


def durations(node, path=()):
    """Every optional duration in a schema: (path, node)."""
    if isinstance(node, dict):
        if node.get("pattern") == DURATION_PATTERN:
            yield path, node
        for key, value in node.items():
            yield from durations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from durations(value, (*path, index))


@pytest.mark.parametrize(
    "name", ["manifest.schema.json", "sequence.schema.json", "ruleset.schema.json"]
)
def test_a_duration_is_one_node_whose_message_editors_show(name):
    """yaml-language-server (1.25) shows a node's own `errorMessage`, but for an `anyOf` (as
    pydantic writes `Duration | None`) it says "Incorrect type. Expected integer | null". So
    every duration is one node: a type list, `minimum` for numbers, `pattern` for text."""
    found = list(durations(json.loads((SCHEMAS / name).read_text())))
    assert found
    for path, node in found:
        assert node["type"] == ["integer", "string", "null"], path
        assert node["minimum"] == 0 and "0, 90m, 2d or 1w" in node["errorMessage"], path
        assert "anyOf" not in node, path


@pytest.mark.parametrize(
    ("wait", "valid"),
    [("2d", True), ("0", True), ("~", True), ("90 m", True), ("2 days", False), ("-1", False),
     ("true", False), ("1.5", False)],
)  # fmt: skip
def test_check_jsonschema_holds_durations_to_the_same_forms(tmp_path, wait, valid):
    checker = shutil.which("check-jsonschema") or shutil.which("check-jsonschema", path=BIN)
    if checker is None:
        pytest.skip("check-jsonschema is not installed (the test extra installs it)")
    document = tmp_path / "s.yaml"
    document.write_text(
        "apiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\n"
        f"spec:\n  steps:\n    - type: call\n      wait: {wait}\n"
    )
    schema = SCHEMAS / "manifest.schema.json"
    result = subprocess.run(
        [checker, "--schemafile", str(schema), str(document)], capture_output=True, text=True
    )
    assert (result.returncode == 0) == valid, result.stdout
