"""Layer 1: YAML text to JSON data with positions; what a manifest cannot hold is refused."""

import pytest

from seqops.manifest.yamlnodes import MAX_ALIAS_EXPANSION, parse

from .documents import dedent

BILLION_LAUGHS = dedent(
    """
    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """
)


def only_data(text):
    parsed = parse(dedent(text))
    assert not parsed.problems
    [document] = parsed.documents
    return document.data


def only_problem(text):
    parsed = parse(dedent(text) if isinstance(text, str) else text)
    [problem] = parsed.problems
    return problem


def test_data_is_json_and_timestamps_stay_text():
    data = only_data(
        """
        day: 2024-05-01
        stamp: 2024-05-01T10:00:00Z
        whole: 2.0
        half: 0.5
        hex: 0x1F
        yes_is_text_in_yaml_1_2: yes
        nothing: ~
        """
    )
    assert data == {
        "day": "2024-05-01",
        "stamp": "2024-05-01T10:00:00Z",
        "whole": 2,
        "half": 0.5,
        "hex": 31,
        "yes_is_text_in_yaml_1_2": "yes",
        "nothing": None,
    }
    assert type(data["whole"]) is int


def test_multi_document_streams_skip_empty_documents():
    parsed = parse("a: 1\n---\n---\n# only a comment\n---\nb: 2\n")
    assert [d.data for d in parsed.documents] == [{"a": 1}, {"b": 2}]
    assert [d.position for d in parsed.documents] == [(1, 1), (6, 1)]


def test_positions_of_keys_values_and_items():
    [document] = parse(
        dedent(
            """
            spec:
              steps:
                - type: call
                  wait: 2d
                - {type: task}
            """
        )
    ).documents
    assert document.locate(("spec", "steps", 0, "wait")) == (4, 13)
    assert document.locate(("spec", "steps", 0, "wait"), at_key=True) == (4, 7)
    assert document.locate(("spec", "steps", 1)) == (5, 7)
    assert document.locate(("spec", "steps")) == (2, 3), "collections point at their key"
    assert document.locate(("spec", "steps", 9, "wait")) == (2, 3), "deepest existing node"
    assert document.locate(()) == (1, 1)


def test_duplicate_keys_are_refused_at_the_second_one():
    problem = only_problem("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert (problem.line, problem.column) == (4, 3)
    assert "duplicate key 'c' (first given on line 3)" in problem.message


def test_tabs_are_refused_with_a_hint():
    problem = only_problem("a:\n\tb: 1\n")
    assert (problem.line, problem.column) == (2, 1)
    assert "tabs" in problem.message


def test_syntax_errors_keep_the_documents_before_them():
    parsed = parse("a: 1\n---\nb: [1, 2\n")
    assert [d.data for d in parsed.documents] == [{"a": 1}]
    [problem] = parsed.problems
    assert problem.message.startswith("invalid YAML:")
    assert problem.line == 4


def test_a_bad_document_does_not_hide_the_next_one():
    parsed = parse("a: 1\na: 2\n---\nb: 3\n")
    assert [d.data for d in parsed.documents] == [{"b": 3}]
    assert len(parsed.problems) == 1


def test_billion_laughs_is_refused_quickly():
    problem = only_problem(BILLION_LAUGHS)
    assert "alias bomb" in problem.message
    assert str(MAX_ALIAS_EXPANSION) in problem.message


def test_recursive_aliases_are_refused():
    assert "contains it" in only_problem("a: &a [1, *a]\n").message


def test_modest_aliases_and_merge_keys_are_fine():
    data = only_data(
        """
        defaults: &call {type: call, priority: high}
        steps:
          - *call
          - <<: *call
            priority: low
        """
    )
    assert data["steps"] == [
        {"type": "call", "priority": "high"},
        {"priority": "low", "type": "call"},
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: !!binary aGk=\n", "!!binary is not supported"),
        ("a: !custom x\n", "!custom is not supported"),
        ("a: !!set {x, y}\n", "!!set is not supported"),
        ("a: .inf\n", "not a finite number"),
        ("1: x\n", "a key must be text"),
        ("? [a]\n: x\n", "a key must be text"),
        ("a: \x07\n", "invalid character"),
        ("[" * 5000, "nested too deeply"),
    ],
)
def test_what_json_cannot_hold_is_refused(text, fragment):
    assert fragment in only_problem(text).message
