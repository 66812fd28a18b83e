"""Any text survives the YAML writer exactly; multi-line text reads as a `|` block."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from seqops.export.yaml_text import to_yaml

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def reloaded(text: str):
    return YAML(typ="rt", pure=True).load(text)


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=10), values, max_size=4))
def test_round_trip_is_exact(document):
    assert reloaded(to_yaml(document)) == document


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_any_unicode_string_round_trips(text):
    assert reloaded(to_yaml({"bodyHtml": text}))["bodyHtml"] == text


def test_multi_line_html_is_a_literal_block():
    text = to_yaml({"bodyHtml": "<p>Hi 👋</p>\n<p>Bye</p>"})
    assert text == "bodyHtml: |-\n  <p>Hi 👋</p>\n  <p>Bye</p>\n"


def test_yaml_1_1_booleans_stay_strings_for_every_reader():
    assert to_yaml({"subject": "yes", "note": "No"}) == "subject: 'yes'\nnote: 'No'\n"


def test_long_lines_are_never_folded():
    subject = "word " * 100
    assert to_yaml({"subject": subject.strip()}).count("\n") == 1
