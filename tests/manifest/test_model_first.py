"""`load(model_first=True)` (what `seqops lint` uses) finds exactly what the schema-first load
(`seqops validate`) finds: the same resources and the same located errors, on every example,
every bad manifest of the reliability corpus and every mutation of the fully populated
documents that `test_schema_agreement` holds both validators to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seqops.manifest import load
from tests.reliability.bad_manifests import CORPUS

from .documents import EXAMPLES
from .test_schema_agreement import RICH, mutations


def both_ways(paths: list[Path]) -> tuple[tuple, tuple]:
    answers = []
    for model_first in (False, True):
        result = load(paths, jobs=1, model_first=model_first)
        errors = sorted((e.file, e.line, e.column, str(e)) for e in result.errors)
        resources = [(r.kind, r.name, r.model_dump()) for r in result.resources]
        answers.append((errors, resources))
    return answers[0], answers[1]


def test_the_examples_load_the_same():
    schema_first, model_first = both_ways([EXAMPLES])
    assert schema_first == model_first
    assert model_first[1], "the examples hold resources"


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_each_bad_manifest_gets_the_same_errors(tmp_path, case):
    path = tmp_path / "m.yaml"
    path.write_text(case.text)
    schema_first, model_first = both_ways([path])
    assert schema_first == model_first
    assert model_first[0], f"{case.id} is an error"


@pytest.mark.parametrize("kind", list(RICH))
def test_every_mutation_of_a_full_document_gets_the_same_answer(tmp_path, kind):
    for index, (_, document) in enumerate(mutations(RICH[kind])):
        (tmp_path / f"{index:04d}.yaml").write_text(json.dumps(document))
    schema_first, model_first = both_ways([tmp_path])
    assert schema_first == model_first
    assert schema_first[0] and schema_first[1], "the corpus holds valid and invalid documents"
