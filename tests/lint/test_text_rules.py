"""The text heuristics on both sides: what a careful reviewer flags in real sales email
(placeholders, stand-ins, spintax, braces, a way out that is no way out, hidden link
targets) and the real text people send that looks close but is fine."""

from __future__ import annotations

import pytest

from seqops.lint import optout, placeholders, urls
from seqops.lint.context import Context
from seqops.lint.html import parse
from seqops.lint.registry import RULES
from seqops.manifest.models import Template
from seqops.preview import mergefields


@pytest.mark.parametrize(
    "text",
    [
        "[BOOKING_LINK]",
        "[Client Name]",
        "[calendar link]",
        "[CUSTOMER NAME]",
        "[Your Name]",
        "[insert case study]",
        "[industry/vertical]",
        "[Company]",
        "[First Name]",
        "[X]% faster",
        "[...]",
        "[Meeting Time]",
        "[relevant pain point]",
        "[[first_name]]",
        "[e.g. a recent funding round]",
        "[Insert Customer Story Here]",
        "[Add Testimonial Here]",
    ],
)
def test_bracketed_hints_are_placeholders(text):
    assert list(placeholders.brackets(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "[1]",
        "[12]",
        "[a]",
        "[sic]",
        "[Webinar] Forecasting in an hour",
        "[Case Study] How Northwind cut churn",
        "[ACTION REQUIRED] Confirm your seat",
        "[Product Update] Spring release",
        "[Invitation]",
        "[Free Guide]",
        "jane [at] acme [dot] io",
        "[docs](https://acme.io/docs)",
        "[PDF]",
    ],
)
def test_real_bracketed_text_is_not_a_placeholder(text):
    assert list(placeholders.brackets(text)) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "We helped XYZ Construction Solutions cut costs.",
        "ABC Corp saw a 30% lift.",
        "Call +123-456-789 today.",
        "Call 555-0100.",
        "Call (555) 555-1234.",
        "Call XXX-XXX-XXXX.",
        "Write to john.doe@company.com.",
        "Visit us at 123 Main Street.",
        "It saved $XX,XXX a year.",
        "A X% lift in replies.",
    ],
)
def test_stand_ins_are_found(text):
    assert list(placeholders.stand_ins(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Call me on +1 206 438 2718.",
        "Call +44 20 7946 1234.",
        "We met on 2024-05-01 and 10-12 people came.",
        "1.234.567 emails a month",
        "ABC News covered it.",
        "XYZ",
        "Acme Analytics helped Northwind Traders.",
        "Our office: 500 Pine St, Seattle.",
        "Revenue grew 12% to $4,500,000.",
    ],
)
def test_real_names_and_numbers_are_not_stand_ins(text):
    found = [f for f in placeholders.stand_ins(text) if f[2] != "stand-in name 'XYZ'"]
    assert found == [], text


def test_filler_latin_is_found_with_or_without_lorem():
    assert list(placeholders.lorem("Sed ut perspiciatis, dolor sit amet consectetur adipiscing."))
    assert list(placeholders.lorem("Lorem ipsum dolor sit amet."))
    assert list(placeholders.lorem("Nulla? In a nutshell, magna cum laude, in vitro.")) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("{Hi|Hey|Hello} there", mergefields.Spintax),
        ("{industry/vertical}", mergefields.Malformed),
        ("{first_name}", mergefields.Malformed),
        ("{Company Name}", mergefields.Malformed),
    ],
)
def test_single_braces_in_text_are_reported(text, kind):
    assert [type(f) for f in mergefields.single_braces(text)] == [kind]


def test_double_brace_spintax_and_other_tools_syntax():
    found = mergefields.scan("{{Hi|Hey}} {{firstName|there}} {{firstName}} {{customField3}}")
    assert [type(f) for f in found] == [mergefields.Spintax, *[mergefields.Malformed] * 3]
    assert "{{first_name}}" in found[2].message and "{{custom3}}" in found[3].message


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("contact.firstname", "first_name"),
        ("contact.company", "company"),
        ("company.name", "account.name"),
        ("companyName", "account.name"),
        ("owner.firstname", "sender.first_name"),
        ("customField3", "custom3"),
        ("account.customField12", "account.custom12"),
        ("first_nmae", "first_name"),
    ],
)
def test_other_tools_spellings_get_a_did_you_mean(written, meant):
    assert mergefields.suggestion(written, frozenset()) == meant


@pytest.mark.parametrize(
    "body",
    [
        '<p>If not interested, reply "NO" and I\'ll stop.</p>',
        "<p>a) later? b) Remove you from my list? Just reply with a), b), or c).</p>",
        "<p>Reply STOP to opt out.</p>",
        "<p>Not interested? Let me know and I won't reach out again.</p>",
        '<p><a href="https://acme.io/preferences">Manage preferences</a></p>',
        '<p>Not for you? <a href="https://acme.io/u?id=1">Click here</a> to unsubscribe.</p>',
        '<p>To opt out, <a href="https://acme.io/u?id=1">click here</a>.</p>',
        '<p><a href="https://acme.io/unsubscribe?id=1">here</a></p>',
        '<p><a href="https://acme.io/account">Manage subscriptions</a></p>',
        '<p><a href="https://acme.io/account">Manage your email settings</a></p>',
        # the words after a long link are read from where the link ends, not where it starts
        '<p>Not for you? <a href="https://acme.io/u?id=1">this page where you can choose what '
        "we send you and how often we send it to you if at all</a> to unsubscribe.</p>",
    ],
)
def test_a_real_way_out(body):
    assert optout.has_way_out(body)
    assert list(optout.unlinked_offers(body)) == []


@pytest.mark.parametrize(
    "body",
    [
        "<p>Thanks!</p><p>UNSUBSCRIBE</p>",
        "<p>Click here to unsubscribe.</p>",
        "<p>Our clients see unsubscribe rates fall. Reply to learn how.</p>",
        "<p>Feel free to stop by our booth. Reply if you'd like a pass.</p>",
        "<p>No worries if not. Let me know either way.</p>",
        '<p><a href="https://acme.io/demo">Book a demo</a>. Our unsubscribe rates are tiny.</p>',
    ],
)
def test_no_way_out(body):
    assert not optout.has_way_out(body)


def test_only_an_unsubscribe_offer_that_is_no_link_is_reported():
    assert [w for *_, w in optout.unlinked_offers("<p>x</p><p>UNSUBSCRIBE</p>")] == ["UNSUBSCRIBE"]
    blog = '<p><a href="https://acme.io/blog">Read more</a></p><p>UNSUBSCRIBE</p>'
    assert [w for *_, w in optout.unlinked_offers(blog)] == ["UNSUBSCRIBE"]  # after a link
    assert list(optout.unlinked_offers("<p>Unsubscribe rates fell.</p>")) == []
    offers = optout.unlinked_offers("<p>Manage subscriptions</p>")
    assert [w for *_, w in offers] == ["Manage subscriptions"]


def test_an_offer_inside_a_merge_field_is_left_to_the_merge_field_rules():
    # one problem, one finding: `{{unsubscribe_link}}` is an unknown merge field, not text
    assert list(optout.unlinked_offers("<p>Bye. {{unsubscribe_link}}</p>")) == []
    both = optout.unlinked_offers("<p>Bye. {{unsubscribe_link}} or unsubscribe here</p>")
    assert [w for *_, w in both] == ["unsubscribe"]  # the text after the field is still read
    offers = optout.unlinked_offers("<p>{{first_name}}, unsubscribe here</p>")
    assert [w for *_, w in offers] == ["unsubscribe"]


@pytest.mark.parametrize(
    "offer",
    [
        "unsubscribe", "Unsubscribing", "opt-out", "Opt out", "email preferences",
        "Contact preferences", "manage your email subscriptions", "Manage settings",
        "update your preferences", "Preference Centre", "remove me", "stop receiving",
        "stop these e-mails",
    ],
)  # fmt: skip
def test_every_offer_holds_a_first_look_word(offer):
    assert optout.OFFER.found(offer)
    assert placeholders.mentions(offer, optout.OFFER_WORDS)


@pytest.mark.parametrize(
    ("href", "text", "shown"),
    [
        ("https://bit.ly/3x", "https://acme.io/demo", "https://acme.io/demo"),
        ("https://track.mailer.net/c/1", "acme-analytics.io", "acme-analytics.io"),
        ("https://www.acme.io/blog", "acme.io/blog", None),
        ("https://blog.acme.io/x", "acme.io", None),
        ("https://acme.io/demo", "Book a demo", None),
        ("{{account.website_url}}", "your site", None),
        ("https://bit.ly/3x", "Xerox.com", "Xerox.com"),
        ("https://www.xerox.com/print", "Xerox.com", None),
    ],
)
def test_link_text_that_shows_another_address(href, text, shown):
    assert urls.mismatch(href, text) == shown


def test_assets_images_backgrounds_and_stylesheets():
    body = (
        '<link rel="stylesheet" href="https://acme.io/s.css"><style>@import "x.css";'
        ' td{background:url(\'bg.png\')}</style><img src="assets/a.png" alt="">'
        '<td background="http://acme.io/bg.jpg"></td><div style="background-image:url(https://acme.io/ok.png)"></div>'
        '<img src="https://acme.io/fine.png" alt=""><img src="cid:logo" alt="">'
    )
    problems = [urls.problem(a) for a in urls.assets(body)]
    flagged = [p for p in problems if p]
    assert len(flagged) == 5, flagged
    assert sum(p is None for p in problems) == 3


def test_visible_text_leaves_comments_styles_and_head_out():
    body = (
        "<html><head><title>[T]</title><style>p{x:1}</style></head><body>"
        "<!--[if mso]><p>[Outlook]</p><![endif]--><!-- [note] --><p>Hi [Name]</p></body></html>"
    )
    assert [s.text for s in parse(body).texts] == ["Hi [Name]"]


def test_text_around_a_stray_angle_bracket_stays_visible():
    assert [s.text for s in parse("<p>a < b [Client Name]</p>").texts] == ["a < b [Client Name]"]


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("<p>See example.com for the demo.</p>", ["example.com"]),
        ("<!-- TODO --><p>Call us.</p>", []),  # comments are not read
        ('<p><a href="https://exampl&#101;.com">the demo</a></p>', []),
        ('<!-- example. --><p><a href="https://exampl&#101;.com">demo</a></p>', ["example.com"]),
    ],
)
@pytest.mark.parametrize("padding", [0, placeholders.LOOK_LATER_FROM])
def test_draft_markers_are_read_where_the_whole_body_says_so(body, reported, padding):
    """Markers run on a part (visible text, an attribute) when the whole subject and body
    hold a marker word: an entity-encoded address alone is not read, as before; a big body
    (`padding`) is asked only once a part could yield, with the same answer."""
    body += f"<!-- {'filler ' * (padding // 7)} -->"
    template = Template.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Template", "metadata": {"name": "t"},
         "spec": {"subject": "Hi", "bodyHtml": body}}
    )  # fmt: skip
    hits = RULES["content/placeholder"].check(Context([template]), {})
    assert [h.message.split("'")[1] for h in hits] == reported
