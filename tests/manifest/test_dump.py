"""Writing manifests, the one YAML writer: what `dump` writes, `load` reads back to equal
resources; any text survives `to_yaml` exactly; multi-line text reads as a `|` block."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from seqops.manifest import dump, load
from seqops.manifest.dump import to_yaml
from seqops.manifest.models import Template

from .documents import EXAMPLES, template

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def reloaded(text: str):
    return YAML(typ="rt", pure=True).load(text)


def test_the_examples_round_trip(tmp_path):
    original = load([EXAMPLES])
    (tmp_path / "all.yaml").write_text(dump(original.resources))
    again = load([tmp_path])
    assert again.ok, [str(e) for e in again.errors]
    assert again.resources == original.resources


def test_the_output_reads_like_a_hand_written_manifest():
    result = load([EXAMPLES / "sequences" / "webinar-followup.yaml"])
    text = dump(result.resources)
    assert text.startswith("apiVersion: seqops/v1\nkind: Sequence\nmetadata:\n  name: webinar")
    assert "primaryReplyPauseDuration: 1w\n" in text
    assert "    - type: auto_email\n      date: 2027-02-11\n" in text
    assert "isReply: false" not in text and "state:" not in text, "defaults are left out"


def test_durations_and_multi_line_text(tmp_path):
    result = load([EXAMPLES / "templates" / "inbound-thanks.yaml", EXAMPLES / "rulesets"])
    text = dump(result.resources)
    assert "  bodyHtml: |\n    <p>Hi {{first_name}},</p>\n" in text
    assert "autoResumeOotoProspectsIn: 1d\n" in text
    assert "\n---\n" in text


def test_resources_with_line_separators_and_yaml_1_1_booleans_round_trip(tmp_path):
    spec = {"subject": "yes", "bodyHtml": "<p>a\u2028b\x85c</p>\n<p>🎉 ünï</p>"}
    [resource] = load_text(tmp_path, to_yaml(template(**spec))).resources
    text = dump([resource])
    assert "subject: 'yes'\n" in text
    assert '"<p>a\\Lb\\Nc</p>\\n<p>🎉 ünï</p>"' in text, "escaped, emoji kept raw"
    assert load_text(tmp_path, text).resources == [resource]


def load_text(tmp_path, text: str):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    result = load([path])
    assert result.ok, [str(e) for e in result.errors]
    return result


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=10), values, max_size=4))
def test_round_trip_is_exact(document):
    assert reloaded(to_yaml(document)) == document


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_any_unicode_string_round_trips(text):
    assert reloaded(to_yaml({"bodyHtml": text}))["bodyHtml"] == text


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_any_subject_survives_dump_and_load(tmp_path_factory, text):
    resource = Template.model_validate(template(subject=text))
    path = tmp_path_factory.mktemp("dump") / "m.yaml"
    path.write_text(dump([resource]), encoding="utf-8")
    assert load([path]).resources == [resource]


def test_multi_line_html_is_a_literal_block():
    text = to_yaml({"bodyHtml": "<p>Hi 👋</p>\n<p>Bye</p>"})
    assert text == "bodyHtml: |-\n  <p>Hi 👋</p>\n  <p>Bye</p>\n"


def test_yaml_1_1_booleans_stay_strings_for_every_reader():
    assert to_yaml({"subject": "yes", "note": "No"}) == "subject: 'yes'\nnote: 'No'\n"


def test_long_lines_are_never_folded():
    subject = "word " * 100
    assert to_yaml({"subject": subject.strip()}).count("\n") == 1
