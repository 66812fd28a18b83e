"""What a finding says, word for word, where it says it, and how severe it is: the message is
all a person reading `FILE:LINE:COL: RULE SEVERITY: MESSAGE` has to act on."""

from __future__ import annotations

import textwrap
from pathlib import Path

from seqops.lint import Linter, LintSettings
from seqops.lint.engine import reported
from seqops.manifest import load

from .conftest import RULESET, TODAY


def template(
    subject: str = "Quick question", body: str = "<p>Hi {{first_name}},</p>", name: str = "t"
) -> str:
    """A template used by a sequence, its ruleset after them (lines 5 and 7: subject, body)."""
    return (
        textwrap.dedent(f"""\
        apiVersion: seqops/v1
        kind: Template
        metadata: {{name: {name}}}
        spec:
          subject: {subject}
          bodyHtml: |
            @BODY@
        ---
        apiVersion: seqops/v1
        kind: Sequence
        metadata: {{name: s}}
        spec:
          ruleset: rs
          steps: [{{type: auto_email, wait: 0, template: {name}}}]
        """)
        .replace("name: s}", f"name: s{name}}}")
        .replace("@BODY@", body)
        + RULESET
    )


def said(findings, rule: str) -> list[tuple[str, int, int, int | None, str]]:
    return [
        (f.severity.value, f.line, f.column, f.end_column, f.message)
        for f in findings
        if f.rule == rule
    ]


def test_numbers_no_line_has_are_stand_ins_with_or_without_the_us_country_code(lint):
    """A 555 exchange after an area code (`800-555-0199`), a 555 area code (`(555) 234-5678`),
    and both again behind the US `1`: each is a stand-in, said as written."""
    findings = lint(
        template(
            subject="Call 1-800-555-0199 or 800-555-0199",
            body="<p>Or (555) 234-5678, or 1 (555) 234-5678.</p>",
        )
    )
    assert said(findings, "content/stand-in") == [
        ("warning", 5, 17, 31, "stand-in phone number '1-800-555-0199'"),
        ("warning", 5, 35, 47, "stand-in phone number '800-555-0199'"),
        ("warning", 7, 11, 25, "stand-in phone number '(555) 234-5678'"),
        ("warning", 7, 30, 46, "stand-in phone number '1 (555) 234-5678'"),
    ]


def test_real_numbers_with_or_without_the_country_code_are_left_alone(lint):
    findings = lint(template(subject="Call +1 415 867 5309 or 415-867-5309", body="<p>Hi</p>"))
    assert said(findings, "content/stand-in") == []


def test_a_tag_that_is_no_html_element_is_a_placeholder_the_reader_never_sees(lint):
    findings = lint(template(body="<p>Hi <First Name>, a quick one.</p>"))
    assert said(findings, "content/placeholder") == [
        ("error", 7, 11, 23, "placeholder `<First Name>` is not an HTML element: mail clients "
         "hide it, so the reader sees nothing"),
    ]  # fmt: skip


def test_single_braces_in_a_link_are_said_to_be_sent_as_written(lint):
    findings = lint(template(body='<p><a href="https://acme.test/{first_name}">this</a></p>'))
    assert said(findings, "merge-field/malformed") == [
        ("error", 7, 35, 47, "`{first_name}` is sent as written: Outreach fills only merge "
         "fields in double braces ({{name}}): did you mean {{first_name}}?"),
    ]  # fmt: skip


def test_an_unknown_rule_in_a_comment_is_reported_in_every_file_that_does_not_turn_it_off(
    tmp_path: Path,
):
    """`lint/unknown-rule` turned off for legacy files still reports the typos of the others,
    each at its own FILE:LINE:COL, as a warning (the comment silences nothing)."""
    typo = "# seqops-lint: disable=content/stand-inn\n"
    legacy, current = tmp_path / "a_legacy.yaml", tmp_path / "b_current.yaml"
    legacy.write_text(typo + template(name="old"))
    current.write_text("\n" + typo + template(name="new"))
    off = {"paths": ["*legacy*"], "rules": {"lint/unknown-rule": "off"}}
    loaded = load([legacy, current])
    findings = reported(loaded, Linter(loaded, LintSettings(overrides=[off]), today=TODAY))
    unknown = [f for f in findings if f.rule == "lint/unknown-rule"]
    assert [(Path(f.file).name, f.line, f.column, f.severity.value, f.message) for f in unknown] == [
        ("b_current.yaml", 2, 1, "warning", "seqops-lint comment names unknown rule "
         "'content/stand-inn': did you mean 'content/stand-in'?"),
    ]  # fmt: skip


ASSETS = """\
<p>Hi {{first_name}},</p>
    <img src="" alt="a">
    <img src="data:image/png;base64,AAAA" alt="b">
    <img src="cid:logo" alt="c"><img src="{{account.website_url}}" alt="d">
    <link rel="stylesheet" href="https://cdn.acme.com/s.css">
    <div style="background: url('http://cdn.acme.com/a.png')">x</div>
    <table><tr><td background="img/bg.png">y</td></tr></table>
    <style>@import 'https://cdn.acme.com/t.css'; .a { background: url(http://cdn.acme.com/b.png) }</style>
    <p><a href="https://go.acme.com/x">acme.com</a> <a href="https://acme.com">www.acme.com</a></p>
    <p><a href="https://www.bit.ly/x">here</a> <a href="https://TinyURL.com/y">there</a></p>
    <p><a href="https://track.example.net/c/1">https://acme.com/case</a></p>"""


def test_what_the_email_loads_and_where_its_links_go_are_said_one_by_one(lint):
    """Each asset says what it is and why no mail client shows it (a cid: or merge-field image
    is fine); a shortener's link is named as written; a link whose text names its own site is
    left alone, one naming another is not."""
    findings = lint(template(body=ASSETS))
    assert [(f.rule, f.line, f.column, f.message) for f in findings] == [
        ("content/asset-url", 8, 10,
         "image '(empty)' is not an absolute https:// URL: no mail client can load it"),
        ("content/asset-url", 9, 15, "image is a data: URI, which Gmail and Outlook do not show"),
        ("content/asset-url", 11, 34,
         "external stylesheet 'https://cdn.acme.com/s.css': Gmail and Outlook drop it; inline "
         "the styles"),
        ("content/asset-url", 12, 29,
         "background 'http://cdn.acme.com/a.png' loads over plain http: mail clients block or "
         "flag it"),
        ("content/asset-url", 13, 32,
         "background 'img/bg.png' is not an absolute https:// URL: no mail client can load it"),
        ("content/asset-url", 14, 12,
         "external stylesheet 'https://cdn.acme.com/t.css': Gmail and Outlook drop it; inline "
         "the styles"),
        ("content/asset-url", 14, 67,
         "background 'http://cdn.acme.com/b.png' loads over plain http: mail clients block or "
         "flag it"),
        ("content/url-shortener", 16, 17, "link 'https://www.bit.ly/x' goes through a URL shortener"),
        ("content/url-shortener", 16, 57,
         "link 'https://TinyURL.com/y' goes through a URL shortener"),
        ("content/link-text-mismatch", 17, 8,
         "link text shows 'https://acme.com/case' but the link goes to "
         "'https://track.example.net/c/1'"),
    ]  # fmt: skip
    assert {f.severity.value for f in findings} == {"warning"}


def test_a_subject_in_capitals_is_said_over_the_whole_subject_and_title_case_is_not(lint):
    """`copy/spam-subject` (when on): a subject whose letters are all capitals is one finding
    from its first to its last character; many capitals in title case are no shouting."""
    on = LintSettings(rules={"copy/spam-subject": True})
    shouting = lint(template(subject='"QUICK QUESTION ABOUT {{account.name}}"'), on)
    assert said(shouting, "copy/spam-subject") == [("info", 5, 13, 50, "subject is in capitals")]
    title = lint(template(subject="Quick Question About The New NYC Office Plan"), on)
    assert said(title, "copy/spam-subject") == []


def test_a_mention_running_into_the_next_paragraph_is_located_in_its_own(lint):
    """`find attached` across two paragraphs: the region ends with the first paragraph's text,
    not inside the markup between them."""
    on = LintSettings(rules={"copy/attachment-mention": True})
    body = "<p>Hello. Please find</p><p>attached the deck.</p>"
    found = said(lint(template(body=body), on), "copy/attachment-mention")
    assert [(line, column, end) for _, line, column, end, _ in found] == [(7, 15, 26)]


THREAD = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: first}
spec:
  subject: Quick question
  bodyHtml: "<p>Hi {{first_name}}. <a href='https://acme.io/unsubscribe'>Unsubscribe</a></p>"
---
apiVersion: seqops/v1
kind: Template
metadata: {name: bump}
spec:
  subject: Following up
  bodyHtml: "<p>Any thoughts, {{first_name}}?</p>"
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: cold}
spec:
  ruleset: plain
  steps:
    - {type: auto_email, wait: 0, template: first}
    - {type: auto_email, wait: 2d, template: bump, isReply: true}
    - {type: auto_email, wait: 2d, template: bump, isReply: true}
    - {type: auto_email, wait: 2d, template: bump}
    - {type: auto_email, wait: 2d, template: bump, isReply: true}
---
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: plain}
spec: {}
"""


def test_replies_are_covered_by_the_way_out_where_their_thread_starts(lint):
    """Steps 2 and 3 reply in the thread step 1 starts, which offers a way out; step 4 starts
    a new thread without one, and step 5 replies in it."""
    found = [(f.line, f.message) for f in lint(THREAD) if f.rule == "compliance/opt-out"]
    assert [line for line, _ in found] == [24, 25]
    assert found[0][1].startswith("step 4 sends 'bump' automatically with no way to opt out")
