"""What a careful reviewer flags in email written elsewhere or in a hurry, seen whole through
the linter on a real file: other tools' merge tags, hints in parentheses, counts and
instructions left in capitals, addresses written out in the text (mail clients make them
links), and a page of the site shown while another one is linked. Each class has its real
text beside it, which must stay clean."""

from __future__ import annotations

import pytest

TEMPLATE = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {{name: rs}}
spec: {{includeUnsubscribeLinks: {unsubscribe}}}
---
apiVersion: seqops/v1
kind: Template
metadata: {{name: t}}
spec:
  subject: {subject}
  bodyHtml: |
    {body}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {{name: s}}
spec:
  ruleset: rs
  steps:
    - {{type: auto_email, wait: 0, template: t}}
"""
BODY_LINE = 12
"""The line of the file the body's first line stands on."""


def said(lint, body: str, subject: str = "Hello", unsubscribe: str = "true") -> list[tuple]:
    text = TEMPLATE.format(subject=subject, body=body, unsubscribe=unsubscribe)
    return [(f.rule, f.line, f.column, f.message) for f in lint(text)]


@pytest.mark.parametrize(
    ("body", "column", "message"),
    [
        (
            "<p>Hi *|FNAME|*,</p>",
            11,
            "`*|FNAME|*` is another tool's merge tag: Outreach sends it as written: "
            "write {{first_name}}",
        ),
        (
            "<p>%SENDER_NAME%</p>",
            8,
            "`%SENDER_NAME%` is another tool's merge tag: Outreach sends it as written: "
            "write {{sender.name}}",
        ),
        (
            "<p>Thanks, %signature_block%</p>",
            16,
            "`%signature_block%` is another tool's merge tag: Outreach sends it as written: "
            "write a merge field as {{name}}",
        ),
        (
            "<p>Hi {!Contact.FirstName},</p>",
            11,
            "`{!Contact.FirstName}` is sent as written: Outreach fills only merge fields in "
            "double braces ({{name}}): did you mean {{first_name}}?",
        ),
    ],
)
def test_other_tools_merge_tags_are_malformed_at_their_column(lint, body, column, message):
    assert said(lint, body) == [("merge-field/malformed", BODY_LINE, column, message)]


def test_another_tools_merge_tag_in_the_subject_is_reported_there(lint):
    found = said(lint, "<p>Hi {{first_name}}</p>", subject='"*|FNAME|*, a quick idea"')
    assert [(rule, line, column) for rule, line, column, _ in found] == [
        ("merge-field/malformed", 10, 13)
    ]


@pytest.mark.parametrize(
    "body",
    [
        "<p>We cut costs by 30% and churn by 12%.</p>",
        "<p>Read it: https://acme.io/a%E2%80%99b%20c</p>",
        '<p><a href="https://acme.io/q?x=%ABC%">the report</a></p>',
        "<p>Margins went from 20% to 35%, see page 4.</p>",
    ],
)
def test_percent_signs_of_real_text_are_no_merge_tags(lint, body):
    assert said(lint, body) == []


@pytest.mark.parametrize(
    ("body", "column", "message"),
    [
        ("<p>We need the PO by (date).</p>", 26, "placeholder '(date)' left in the text"),
        (
            "<p>Teams like (company name) save hours.</p>",
            19,
            "placeholder '(company name)' left in the text",
        ),
        ("<p>Watch it here (LINK).</p>", 22, "placeholder '(LINK)' left in the text"),
        ("<p>Sent on (dates) below.</p>", 16, "placeholder '(dates)' left in the text"),
        ("<p>Ship it to (address).</p>", 19, "placeholder '(address)' left in the text"),
        ("<p>We grew (XX) this year.</p>", 16, "placeholder '(XX)' left in the text"),
        (
            "<p>Ship to (city state country region).</p>",
            16,
            "placeholder '(city state country region)' left in the text",
        ),
        (
            "<p>See (insert case study) for the numbers.</p>",
            12,
            "placeholder '(insert case study)' left in the text",
        ),
        (
            "<p>Here is how INSERT SIMILAR COMPANY did it.</p>",
            20,
            "placeholder text 'INSERT SIMILAR COMPANY'",
        ),
    ],
)
def test_hints_in_parentheses_and_capitals_are_placeholders(lint, body, column, message):
    assert said(lint, body) == [("content/placeholder", BODY_LINE, column, message)]


@pytest.mark.parametrize(
    "body",
    [
        "<p>What's new (SSO, audit logs, the new API limits).</p>",
        "<p>Happy to talk (your call) this week.</p>",
        "<p>Teams like yours (e.g. Northwind) moved first.</p>",
        "<p>Pick any customer(s) you like, or a plan (a) or (b).</p>",
        "<p>Our CEO (Dana Ruiz) and our CFO (US) will join.</p>",
        "<p>Call me (or email) whenever (before Friday).</p>",
        "<p>Press INSERT to add a row.</p>",
        "<p>Calls f(x) and g(y) in the formula sheet.</p>",
        "<p>Tick the box (x) or write (n) for none.</p>",
    ],
)
def test_parentheses_and_capitals_of_prose_are_left_alone(lint, body):
    assert said(lint, body) == []


@pytest.mark.parametrize(
    ("body", "column", "shown"),
    [
        ("<p>Your usage: XX active users this year.</p>", 20, "XX"),
        ("<p>We saved YY projects from slipping.</p>", 17, "YY"),
        ("<p>About X,XXX tickets a month.</p>", 14, "X,XXX"),
    ],
)
def test_counts_left_as_letters_are_stand_ins(lint, body, column, shown):
    assert said(lint, body) == [
        ("content/stand-in", BODY_LINE, column, f"stand-in number {shown!r}")
    ]


@pytest.mark.parametrize(
    "body",
    [
        "<p>Super Bowl XX was a long time ago.</p>",
        "<p>Sizes S to XXL, from the XX-Large line.</p>",
        "<p>Ask for YYZ at the Toronto desk.</p>",
    ],
)
def test_letters_that_are_no_count_are_left_alone(lint, body):
    assert said(lint, body) == []


def test_an_unsubscribe_address_written_out_is_a_way_out(lint):
    body = "Not for you? Unsubscribe here: https://app.acme.io/email-prefs"
    assert said(lint, body, unsubscribe="false") == []


def test_an_address_written_out_after_other_paragraphs_and_links_is_read(lint):
    body = (
        '<p>Hi</p><p>See <a href="https://acme.io/report">the report</a>.</p>'
        "<p>Unsubscribe here: https://acme.io/email-prefs</p>"
    )
    assert said(lint, body, unsubscribe="false") == []


def test_an_address_that_unsubscribes_is_a_way_out_by_the_address_alone(lint):
    body = "Had enough? https://acme.io/unsubscribe/{{email}}"
    assert said(lint, body, unsubscribe="false") == []


def test_the_word_with_an_unrelated_address_is_still_no_way_out(lint):
    body = "Read our report: https://acme.io/report. To unsubscribe, contact your admin."
    found = said(lint, body, unsubscribe="false")
    assert [(rule, line) for rule, line, _, _ in found] == [
        ("compliance/unlinked-unsubscribe", BODY_LINE),
        ("compliance/opt-out", 20),
    ]


def test_a_polite_reply_instruction_is_a_way_out(lint):
    body = "ps: if you'd rather I didn't follow up, just reply \"no thanks\"."
    assert said(lint, body, unsubscribe="false") == []


@pytest.mark.parametrize(
    ("body", "column", "message"),
    [
        (
            "Here it is: https://tinyurl.com/onb-teardown",
            17,
            "link 'https://tinyurl.com/onb-teardown' goes through a URL shortener",
        ),
        (
            "The menu: http://events.acme.io/menu.pdf.",
            15,
            "link 'http://events.acme.io/menu.pdf' is not an absolute https:// URL",
        ),
    ],
)
def test_an_address_written_out_is_held_to_the_link_rules(lint, body, column, message):
    rule = "content/url-shortener" if "shortener" in message else "content/insecure-link"
    assert said(lint, body) == [(rule, BODY_LINE, column, message)]


@pytest.mark.parametrize(
    ("href", "text", "reported"),
    [
        ("https://acme.io/benchmark", "https://acme.io/benchmark-2025", True),
        ("https://www.acme.io/pricing", "acme.io/demo", True),
        ("https://acme.io/benchmark?utm_source=outreach", "acme.io/benchmark", False),
        ("https://acme.io/benchmark/", "https://www.acme.io/Benchmark", False),
        ("https://acme.io/meet/{{sender.first_name}}", "acme.io/meet", False),
        ("https://acme.io/pricing", "acme.io", False),
        ("https://go.acme.io/x", "acme.io/demo", False),
    ],
)
def test_text_showing_a_page_of_the_same_site_must_lead_to_it(lint, href, text, reported):
    found = said(lint, f'<p>Get it: <a href="{href}">{text}</a></p>')
    rules = [rule for rule, _, _, _ in found]
    assert rules == (["content/link-text-mismatch"] if reported else [])
    if reported:
        assert found[0][3] == f"link text shows {text!r} but the link goes to {href!r}"


@pytest.mark.parametrize(
    ("body", "column", "message"),
    [
        ("<p>We help ____ teams close faster.</p>", 16, "placeholder text '____'"),
        (
            "<p>Your peer at Company X said the same.</p>",
            21,
            "stand-in name 'Company X'",
        ),
        (
            "<p>Write to harriet@agencyname.co.uk today.</p>",
            25,
            "placeholder domain 'agencyname.co.uk'",
        ),
        (
            "<p>Visit companyname.com for more.</p>",
            14,
            "placeholder domain 'companyname.com'",
        ),
        (
            "<p>Ring us on 0113 496 0000.</p>",
            19,
            "stand-in phone number '0113 496 0000'",
        ),
        (
            "<p>Or +44 20 7946 0958 in London.</p>",
            11,
            "stand-in phone number '+44 20 7946 0958'",
        ),
        (
            "<p>Mobile: 07700 900123.</p>",
            16,
            "stand-in phone number '07700 900123'",
        ),
    ],
)
def test_blanks_letter_names_and_fiction_numbers_are_left_behind(lint, body, column, message):
    rule = "content/stand-in" if message.startswith("stand-in") else "content/placeholder"
    assert said(lint, body) == [(rule, BODY_LINE, column, message)]


@pytest.mark.parametrize(
    "body",
    [
        "Regards,\n    ____________\n    Harriet",
        "<p>Our office line is +44 20 3318 0958, or 0113 320 1000 in Leeds.</p>",
        "<p>Mobile: 07700 314159.</p>",
        "<p>Write to harriet@northgate-seo.co.uk or see agency.name for the team.</p>",
        "<p>Every company x-rays its own pipeline.</p>",
        "<p>The snake_case field is first_name.</p>",
    ],
)
def test_separators_real_numbers_and_names_are_left_alone(lint, body):
    assert said(lint, body) == []


def test_not_wanting_to_hear_more_by_reply_is_a_way_out(lint):
    body = "If you'd prefer not to hear from me, just reply and let me know."
    assert said(lint, body, unsubscribe="false") == []


@pytest.mark.parametrize(
    ("written", "meant"),
    [("custon12", "custom12"), ("account.custm7", "account.custom7"), ("frist_name", "first_name")],
)
def test_a_typo_gets_the_variable_it_was_meant_to_be(lint, written, meant):
    found = said(lint, f"<p>Hi {{{{{written}}}}}</p>")
    assert [message.split(": ", 1)[1] for _, _, _, message in found] == [
        f"did you mean {{{{{meant}}}}}?"
    ]


def test_a_link_element_that_is_no_stylesheet_is_no_external_stylesheet(lint):
    body = '<link rel="preconnect" href="https://fonts.gstatic.com"><p>Hi {{first_name}}</p>'
    assert said(lint, body) == []
