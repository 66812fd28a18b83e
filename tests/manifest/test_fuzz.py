"""Whatever the bytes, the loader answers with resources or located errors, never a crash."""

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from seqops.manifest import dump, load
from seqops.manifest.yamlnodes import _parse_pure, parse

YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`?,\n\t 0123456789.~<")),
    max_size=120,
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_answer(path: Path) -> None:
    result = load([path])
    assert result.resources or result.errors
    for error in result.errors:
        if error.line is None:  # about the set as a whole: nothing in it is a seqops manifest
            assert (str(error), result.resources) == (f"error: no manifests under {path}", [])
            continue
        assert error.file == str(path)
        assert error.line >= 1 and error.column >= 1
        assert error.message and "\n" not in str(error)
    for note in result.notes:
        assert note.file == str(path) and note.line >= 1 and note.column >= 1


@FUZZ
@given(text=YAMLISH)
def test_yaml_like_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "m.yaml"
    path.write_text(text, encoding="utf-8")
    check_answer(path)


@FUZZ
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "m.yaml"
    path.write_bytes(data)
    check_answer(path)


@FUZZ
@given(text=st.text(max_size=200) | YAMLISH)
@example(text="\r\ufeff")  # a byte order mark past the start: libyaml and the pure parser differ
def test_arbitrary_text_parses_or_fails_cleanly(text):
    parsed = parse(text)
    lines = len(text.splitlines()) + 1
    for problem in parsed.problems:
        assert str(problem) and "\n" not in str(problem)
        assert 1 <= problem.line <= lines and problem.column >= 1
    for document in parsed.documents:
        assert 1 <= document.position[0] <= lines
    # the C fast path, when it answers, says exactly what the reference (pure) parser says
    reference = _parse_pure(text, False)
    assert [d.data for d in parsed.documents] == [d.data for d in reference.documents]
    assert [(p.line, p.column) for p in parsed.problems] == [
        (p.line, p.column) for p in reference.problems
    ]


@FUZZ
@given(data=JSON, kind=st.sampled_from(["Sequence", "Template", "Ruleset", "AutomationRule"]))
def test_manifest_shaped_documents_with_random_contents(tmp_path_factory, data, kind):
    import json

    document = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": "x"}, "spec": data}
    path = tmp_path_factory.mktemp("fuzz") / "m.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    check_answer(path)
    result = load([path])
    if result.ok:  # whatever loads, dumps and loads back the same
        again = tmp_path_factory.mktemp("again") / "m.yaml"
        again.write_text(dump(result.resources), encoding="utf-8")
        assert load([again]).resources == result.resources
