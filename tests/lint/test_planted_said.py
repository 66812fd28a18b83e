"""Each planted problem, as the person reading `seqops lint` sees it: the rule, its severity,
FILE:LINE:COL and the message word for word (the step counted as people count it, the text
quoted as written, what to do instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqops.lint import Linter, LintSettings
from seqops.lint.engine import reported
from seqops.manifest import load

from .conftest import CASES, RULESET, TODAY
from .test_cases import ENABLE

SAID = {
    "cadence-bare-wait": [
        (
            "cadence/bare-wait",
            "warning",
            24,
            13,
            "wait: 48 is 48 seconds: did you mean 48h? (write 48s if seconds are meant)",
        ),
    ],
    "cadence-date-past-before-later-steps": [
        ("cadence/date-past", "warning", 24, 13, "step 1 is dated 2025-02-11, in the past"),
    ],
    "cadence-date-past": [
        ("cadence/date-past", "warning", 16, 13, "step 1 is dated 2021-02-11, in the past"),
    ],
    "cadence-date-weekend": [
        ("cadence/date-weekend", "warning", 17, 13, "step 2 is dated 2099-03-07, a Saturday"),
    ],
    "cadence-simultaneous-emails": [
        (
            "cadence/simultaneous-emails",
            "warning",
            18,
            13,
            "step 2 emails at the same time as step 1",
        ),
    ],
    "cadence-task-before-email": [
        (
            "cadence/task-before-email",
            "warning",
            16,
            13,
            "step 1 (call) refers to an email that has not been sent yet",
        ),
    ],
    "cadence-too-long": [
        ("cadence/too-long", "warning", 17, 32, "step 4 runs 70 days in, longer than 60 days"),
    ],
    "cadence-too-many-emails": [
        (
            "cadence/too-many-emails",
            "warning",
            16,
            32,
            "step 3 is email 3 within 8 hours (most 2 within 3 days)",
        ),
    ],
    "compliance-opt-out": [
        (
            "compliance/opt-out",
            "warning",
            22,
            17,
            "step 1 sends 'intro' automatically with no way to opt out: looked for an unsubscribe or preferences link in its body, a reply instruction (\"reply STOP\"), and a ruleset with includeUnsubscribeLinks: true",
        ),
    ],
    "compliance-unlinked-unsubscribe": [
        (
            "compliance/unlinked-unsubscribe",
            "warning",
            9,
            31,
            "'UNSUBSCRIBE' offers a way out but is not a link: nothing to click",
        ),
    ],
    "content-asset-url": [
        (
            "content/asset-url",
            "warning",
            8,
            18,
            "image 'assets/chart.png' is not an absolute https:// URL: no mail client can load it",
        ),
        (
            "content/asset-url",
            "warning",
            9,
            32,
            "background 'http://cdn.acme-analytics.io/bg.jpg' loads over plain http: mail clients block or flag it",
        ),
    ],
    "content-img-alt": [
        (
            "content/img-alt",
            "warning",
            8,
            8,
            "<img src='https://cdn.acme-analytics.io/chart.png'> has no alt text",
        ),
    ],
    "content-insecure-link": [
        (
            "content/insecure-link",
            "warning",
            8,
            29,
            "link 'http://acme-analytics.io/book' is not an absolute https:// URL",
        ),
    ],
    "content-link-text-mismatch": [
        (
            "content/link-text-mismatch",
            "warning",
            8,
            19,
            "link text shows 'https://acme-analytics.io/case-study' but the link goes to 'https://track.mailer-hub.net/c/8812'",
        ),
    ],
    "content-malformed-html": [
        ("content/malformed-html", "warning", 8, 16, "`<b>` is never closed before `</p>`"),
    ],
    "content-placeholder-brackets": [
        ("content/placeholder", "error", 5, 39, "placeholder '[CUSTOMER NAME]' left in the text"),
        ("content/placeholder", "error", 8, 37, "placeholder '[Client Name]' left in the text"),
        ("content/placeholder", "error", 10, 30, "placeholder '[BOOKING_LINK]' left in the text"),
        (
            "content/placeholder",
            "error",
            11,
            8,
            "filler text 'Dolor sit amet, consectetur adipiscin...'",
        ),
    ],
    "content-placeholder": [
        ("content/placeholder", "error", 8, 37, "placeholder domain 'example.com'"),
        ("content/placeholder", "error", 9, 8, "placeholder text 'TODO'"),
    ],
    "content-spintax": [
        (
            "content/spintax",
            "error",
            5,
            13,
            "`{Quick|Short}` is spintax: Outreach has none and sends it as written; pick one wording",
        ),
        (
            "content/spintax",
            "error",
            7,
            8,
            "`{{Hi|Hey}}` is spintax: Outreach has none and sends it as written; pick one wording",
        ),
    ],
    "content-stand-in": [
        ("content/stand-in", "warning", 8, 18, "stand-in name 'XYZ Construction Solutions'"),
        ("content/stand-in", "warning", 9, 19, "stand-in phone number '+123-456-789'"),
    ],
    "content-subject-length": [
        ("content/subject-length", "warning", 5, 73, "subject is 87 characters, more than 60"),
    ],
    "content-url-shortener": [
        (
            "content/url-shortener",
            "warning",
            8,
            25,
            "link 'https://bit.ly/3xYzAbc' goes through a URL shortener",
        ),
    ],
    "copy-attachment-mention": [
        (
            "copy/attachment-mention",
            "info",
            9,
            8,
            '"I\'ve attached" but the template has no attachment',
        ),
    ],
    "copy-hardcoded-signature": [
        ("copy/hardcoded-signature", "info", 12, 5, "signed 'Jane Miller' in a shared template"),
    ],
    "copy-spam-subject": [
        ("copy/spam-subject", "info", 6, 13, "'50% OFF' in the subject reads as spam"),
    ],
    "hygiene-no-ruleset": [
        ("hygiene/no-ruleset", "warning", 11, 9, "sequence 'cold' has no ruleset"),
    ],
    "hygiene-unused-template": [
        (
            "hygiene/unused-template",
            "warning",
            11,
            9,
            "template 'forgotten' is not used by any sequence",
        ),
    ],
    "merge-field-malformed-single": [
        (
            "merge-field/malformed",
            "error",
            8,
            43,
            "`{industry/vertical}` is sent as written: Outreach fills only merge fields in double braces ({{name}})",
        ),
        (
            "merge-field/malformed",
            "error",
            9,
            8,
            "`{{firstName}}` is not a merge field: did you mean {{first_name}}?",
        ),
    ],
    "merge-field-malformed": [
        ("merge-field/malformed", "error", 8, 15, "`{{` is never closed with `}}`"),
    ],
    "merge-field-unknown-subject": [
        (
            "merge-field/unknown",
            "error",
            5,
            13,
            "unknown merge field {{acount.name}}: did you mean {{account.name}}?",
        ),
    ],
    "merge-field-unknown-variant": [
        (
            "merge-field/unknown",
            "error",
            14,
            14,
            "unknown merge field {{frist_name}}: did you mean {{first_name}}?",
        ),
        (
            "cadence/simultaneous-emails",
            "warning",
            26,
            13,
            "step 2 emails at the same time as step 1",
        ),
    ],
    "merge-field-unknown": [
        (
            "merge-field/unknown",
            "error",
            7,
            11,
            "unknown merge field {{first_nmae}}: did you mean {{first_name}}?",
        ),
    ],
    "threading-empty-subject": [
        (
            "threading/empty-subject",
            "warning",
            5,
            12,
            "template 'intro' has no subject but starts a new thread",
        ),
    ],
    "threading-fake-reply-subject": [
        (
            "threading/fake-reply-subject",
            "warning",
            5,
            13,
            "subject starts with 'RE:' but step 1 of 'cold' sends it as a new thread",
        ),
    ],
    "threading-first-reply": [
        (
            "threading/first-reply",
            "error",
            19,
            16,
            "the first email step is a reply: there is no thread to reply to",
        ),
    ],
}
"""Every planted case's findings: (rule, severity, line, column, message)."""


@pytest.mark.parametrize("case", sorted(SAID))
def test_a_planted_problem_is_said_word_for_word(case: str, tmp_path: Path):
    text = (CASES / "planted" / f"{case}.yaml").read_text()
    (tmp_path / f"{case}.yaml").write_text(text + RULESET)
    result = load([tmp_path / f"{case}.yaml"])
    settings = LintSettings(rules=dict.fromkeys(ENABLE.findall(text), True))
    findings = reported(result, Linter(result, settings, today=TODAY))
    said = [(f.rule, f.severity.value, f.line, f.column, f.message) for f in findings]
    assert said == SAID[case]


def test_every_planted_case_is_said():
    assert sorted(SAID) == sorted(p.stem for p in (CASES / "planted").glob("*.yaml"))
