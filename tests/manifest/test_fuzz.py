"""Whatever the bytes, the loader answers with resources or located errors, never a crash."""

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqops.manifest import dump, load
from seqops.manifest.yamlnodes import parse

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
        assert error.file == str(path)
        assert error.line >= 1 and error.column >= 1
        assert error.message and "\n" not in str(error)


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
@given(text=st.text(max_size=200))
def test_arbitrary_text_parses_or_fails_cleanly(text):
    parse(text)


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
