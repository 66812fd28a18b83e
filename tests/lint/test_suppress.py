"""`# seqops-lint: disable=RULE-ID` on a line, on the key of a block, on the line before, or
for a whole document; unknown ids in those comments are reported."""

from __future__ import annotations

BASE = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: t}
spec:
  subject: "Hi {{first_nmae}}"@S@
  bodyHtml: |@B@
    <p>Hi {{frist_name}}</p>
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: s}
spec:
  ruleset: r
  steps: [{type: auto_email, wait: 0, template: t}]
---
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: r}
spec: {includeUnsubscribeLinks: true}
"""


def case(subject_comment: str = "", body_comment: str = "", before: str = "") -> str:
    return before + BASE.replace("@S@", subject_comment).replace("@B@", body_comment)


def lines(findings):
    return sorted((f.rule, f.line) for f in findings)


def test_without_comments_both_fields_are_reported(lint):
    assert lines(lint(case())) == [("merge-field/unknown", 5), ("merge-field/unknown", 7)]


def test_a_comment_at_the_end_of_a_line_silences_that_line(lint):
    findings = lint(case(subject_comment="  # seqops-lint: disable=merge-field/unknown"))
    assert lines(findings) == [("merge-field/unknown", 7)]


def test_a_comment_on_a_block_scalar_key_silences_the_whole_block(lint):
    findings = lint(case(body_comment="  # seqops-lint: disable=merge-field/unknown"))
    assert lines(findings) == [("merge-field/unknown", 5)]


def test_a_comment_names_the_rule_it_silences(lint):
    findings = lint(case(subject_comment="  # seqops-lint: disable=content/placeholder"))
    assert lines(findings) == [("merge-field/unknown", 5), ("merge-field/unknown", 7)]


def test_a_document_level_comment_silences_its_document_only(lint):
    text = case().replace(
        "apiVersion: seqops/v1\nkind: Template",
        "# seqops-lint: disable=merge-field/unknown,hygiene/no-ruleset\napiVersion: seqops/v1\nkind: Template",
    )
    text = text.replace("spec:\n  ruleset: r\n", "spec:\n")  # the sequence loses its ruleset
    assert lines(lint(text)) == [("compliance/opt-out", 14), ("hygiene/no-ruleset", 12)]


def test_an_indented_comment_silences_the_next_line(lint):
    text = case().replace(
        '  subject: "Hi', '  # seqops-lint: disable=merge-field/unknown\n  subject: "Hi'
    )
    assert lines(lint(text)) == [("merge-field/unknown", 8)]


def test_disable_all(lint):
    assert lines(lint(case(subject_comment="  # seqops-lint: disable=all"))) == [
        ("merge-field/unknown", 7)
    ]


def test_an_unknown_rule_id_in_a_comment_is_reported_with_a_suggestion(lint):
    findings = lint(case(subject_comment="  # seqops-lint: disable=merge-field/unknwn"))
    unknown = [f for f in findings if f.rule == "lint/unknown-rule"]
    assert [(f.line, f.column) for f in unknown] == [(5, 33)]
    assert "did you mean 'merge-field/unknown'?" in unknown[0].message
    assert ("merge-field/unknown", 5) in lines(findings)  # a typo silences nothing


def test_a_comment_ending_a_documents_first_line_silences_that_line_only(lint):
    """Only a comment on its own line above a document covers all of it; one at the end of
    `apiVersion:` is about that line, which holds no finding."""
    text = case().replace(
        "apiVersion: seqops/v1\nkind: Template",
        "apiVersion: seqops/v1  # seqops-lint: disable=merge-field/unknown\nkind: Template",
    )
    assert lines(lint(text)) == [("merge-field/unknown", 5), ("merge-field/unknown", 7)]
