"""The C parser gives the pure parser's answer, value for value and position for position,
or hands the text to it; and no text can crash the process through it."""

import json
import os
import re
from io import StringIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from seqops.manifest import yamlcompose
from seqops.manifest.yamlnodes import Parsed, _parse_c, _parse_pure, parse
from tests.reliability.bad_manifests import CORPUS

from .documents import EXAMPLES, dedent

needs_c = pytest.mark.skipif(yamlcompose.CParser is None, reason="ruamel.yaml.clib missing")

TRICKY = [
    "a: 1\n---\n---\nb: [x, {c: d}]\n...\n",
    "when: 2024-05-01\nat: 2024-05-01T10:00:00Z\nn: 0o17\nh: 0x1F\nf: 1.0\nyes: no\nz: ~\n",
    "k: |\n  two\n  lines\n\nq: >-\n  folded\n  text\n",
    "é: ünïcödé 🎉\n😀: 'emoji key'\nx: [é, 😀, 中文]\n",
    "a:\r\n  b: 1\r\n  c:\r\n    - d\r\n",
    "a:\r  b: 1\r",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n",
    "- - - x\n- ? complex\n  : key\n",
    "a:\n- b\n- c: d\n  e: f\n",
    "a:\tb\n",
    "a: 'it''s'\nb: \"tab\\there\"\n",
    '{"apiVersion": "seqops/v1", "kind": "Template", "spec": {"subject": "x"}}',
    "a: 1\na: 2\n",
    "a:\nb: ! x\nc: !\nd: !!str\n- \n",
    "a:\n  -\n  - ''\n  -\nb:\n",
    "a: !!binary aGk=\n",
    "a:\n\tb: 1\n",
    "a: [1, 2\n",
    "a: .inf\n",
    "%YAML 1.1\n---\na: yes\n",
    'a: "line\u2028separator"\n',
    "a: \x07\n",
    "é: \x07\n",
    "a: ! &x 5\nb: !!str &y 6\nc: &z ! 7\n",
    "a: &x:y 5\n",
    "a: >#\nb: |-\n",
    "a: |#x\n  text\n",
    "a: |\n  \n    text\nb: >\n\n  x\n",
    "!%25?b'",
    "",
    "# only a comment\n",
]


def corpus() -> list[str]:
    texts = [*TRICKY, *(case.text for case in CORPUS)]
    texts += [p.read_text() for p in sorted(EXAMPLES.rglob("*.y*ml"))]
    return texts


def answer(parsed: Parsed) -> tuple:
    documents = [(d.data, d.position, d.index) for d in parsed.documents]
    problems = [(p.message, p.line, p.column) for p in parsed.problems]
    return documents, problems


def assert_same_as_pure(text: str) -> None:
    assert answer(parse(text, positions=True)) == answer(_parse_pure(text, positions=True))
    assert answer(parse(text)) == answer(_parse_pure(text, positions=True))  # lazy positions


@pytest.mark.parametrize("text", corpus())
def test_every_text_gets_the_pure_parsers_answer(text):
    assert_same_as_pure(text)


@needs_c
def test_the_c_path_takes_ordinary_manifests():
    manifests = [p for p in sorted(EXAMPLES.rglob("*.y*ml")) if "ci" not in p.parts]
    examples = [p.read_text() for p in manifests]
    assert examples and all(yamlcompose.c_parsable(text) for text in examples)
    for text in examples:
        assert answer(_parse_c(text, positions=True)) == answer(_parse_pure(text, True))


@needs_c
@pytest.mark.parametrize(
    "text",
    ["%YAML 1.1\n---\na: yes\n", "a: x\x85y\n", "a: '\u2029'\n", "[" * 1000 + "]" * 1000],
)
def test_what_the_c_parser_reads_differently_goes_to_the_pure_one(text):
    assert not yamlcompose.c_parsable(text)


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 30_000 + "]" * 30_000 + "\n",
        "a: " + "{a: " * 30_000 + "}" * 30_000 + "\n",
        "- " * 30_000 + "x\n",
        "".join(" " * i + "a:\n" for i in range(2_000)),
    ],
    ids=["flow-sequences", "flow-mappings", "compact-sequences", "indented-mappings"],
)
def test_deep_nesting_is_refused_not_a_crash(text):
    assert not yamlcompose.c_parsable(text)
    [problem] = parse(text).problems
    assert "nested too deeply" in problem.message


FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`?,\n\r\t 0123456789.~<é😀")),
    max_size=120,
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(text=YAMLISH)
def test_yaml_like_text_gets_the_pure_parsers_answer(text):
    assert_same_as_pure(text)


@FUZZ
@given(text=st.text(max_size=200))
def test_any_text_gets_the_pure_parsers_answer(text):
    assert_same_as_pure(text)


@FUZZ
@given(data=JSON, flow=st.booleans())
def test_dumped_data_gets_the_pure_parsers_answer(data, flow):
    text = json.dumps({"data": data}) if flow else _block(data)
    assert_same_as_pure(text)


SPEC = re.compile(
    r"%YAML|[\t\x85\u2028\u2029\ufeff]"
    r"|(?:^|[\s\[{,])[&*][A-Za-z0-9_-]*[^A-Za-z0-9_\s\[\]{},-]"
    r"|(?:^|[\s\[{,])![^\s\[\]{},]*\s+&"
    r"|(?:^|\s)[|>][0-9+-]*#"
    r"|(?:^|\s)[|>][0-9+-]*[ ]*(?:#[^\r\n]*)?(?:\r\n|\r|\n) +[\r\n]"
)
"""What the C parser reads differently, as one plain pattern: `yamlcompose` tests the same
with one pattern per leading character, which `re` runs a hundred times faster."""
TRIGGERS = st.lists(
    st.sampled_from(
        [
            *"&*!|>#%[]{},:-?_aZ09+ ",
            "\n",
            "\r",
            "\t",
            "\x0b",
            "\x1c",
            "\x85",
            "\u2028",
            "\ufeff",
            "YAML",
        ]
    ),
    max_size=60,
).map("".join)


def builder_like(seed: int) -> str:
    """A manifest with a long email-builder body: the text the fast tests exist for."""
    rows = "".join(
        f'    <tr><td style="padding:{i}px" class="c{i}">Row {i} &amp; more {{{{first_name}}}}'
        f"</td></tr>\n    <!--[if mso]><v:rect>{i}</v:rect><![endif]-->\n"
        for i in range(seed, seed + 400)
    )
    return f"kind: Template\nspec:\n  bodyHtml: |\n    <style>a {{ color: red }}</style>\n{rows}"


@pytest.mark.parametrize(
    "text",
    [
        *corpus(),
        builder_like(1),
        builder_like(7) + "    Tom & Jerry!\n",
        builder_like(3) + "  x: &anchor:name 1\n",
        builder_like(5) + "  y: !!str &a 1\n",
        builder_like(9) + "  z: >-#\n",
        "a: |  # comment\n   \n    text\n",
        "a: >\r\n  \r\n",
        "&a: 1",
        "*a]",
        "|#",
    ],
)
def test_the_fast_test_is_the_plain_pattern(text):
    assert yamlcompose._pure_only(text) == bool(SPEC.search(text))
    assert yamlcompose._shallow(text) == (yamlcompose._depth_bound(text) < yamlcompose.C_MAX_DEPTH)


def test_the_fast_test_is_the_plain_pattern_around_every_leading_character():
    before = ["", " ", "\n", "\x0b", "[", "{", ",", "]", "a", "-", "<"]
    after = [":", "a:", "a-b", "a]", " x", "a &", "x\t&", "#", "1#", "- #c\n \n", "+\r\n  \r", "\n"]
    for lead in "&*!|>":
        for one in before:
            for two in after:
                text = f"k{one}{lead}{two}"
                assert yamlcompose._pure_only(text) == bool(SPEC.search(text)), repr(text)
                assert yamlcompose._pure_only(text[1:]) == bool(SPEC.search(text[1:])), repr(text)


@FUZZ
@given(text=TRIGGERS)
def test_the_fast_test_is_the_plain_pattern_on_any_text(text):
    assert yamlcompose._pure_only(text) == bool(SPEC.search(text))


@FUZZ
@given(
    prefixes=st.lists(
        st.tuples(st.integers(0, 600), st.sampled_from([" ", "- ", "? ", ": ", " -", "\t"])),
        max_size=6,
    ),
    brackets=st.integers(0, 1_000),
    newline=st.sampled_from(["\n", "\r", "\r\n"]),
)
def test_the_fast_depth_test_is_the_measured_one(prefixes, brackets, newline):
    lines = [(marker * width)[:width] + "a:" for width, marker in prefixes]
    text = newline.join([*lines, "x: " + "[" * brackets])
    shallow = yamlcompose._depth_bound(text) < yamlcompose.C_MAX_DEPTH
    assert yamlcompose._shallow(text) == shallow


def _block(data) -> str:
    stream = StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.dump({"data": data}, stream)
    return stream.getvalue()


def test_a_files_positions_are_found_again_once_for_all_its_documents():
    text = dedent(
        """
        a: 1
        ---
        b:
          c: 2
        """
    )
    first, second = parse(text).documents
    assert first.text is second.text
    assert second.locate(("b", "c")) == (4, 6)
    assert first.locate(("a",)) == (1, 4)
