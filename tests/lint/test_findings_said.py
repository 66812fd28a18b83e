"""What a finding tells the person reading it: the step it is about, counted as they count, and
the line and column their editor jumps to."""

from __future__ import annotations

from .conftest import RULESET

HEAD = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec:
  subject: Quick question
  bodyHtml: "<p>Hi {{first_name}},</p>"
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: cold}
spec:
  ruleset: rs
  steps:
"""


def steps(*lines: str) -> str:
    return HEAD + "".join(f"    - {line}\n" for line in lines) + RULESET


def test_too_many_steps_points_at_the_first_step_over_the_limit(lint):
    calls = ["{type: call, wait: 1d}"] * 15
    [finding] = lint(steps("{type: auto_email, wait: 0, template: intro}", *calls))
    assert (finding.rule, finding.message) == ("cadence/too-long", "16 steps, more than 15")
    assert finding.line == 14 + 15  # the 16th step's line (steps start on line 14)


def test_too_many_emails_counts_the_email_that_goes_over(lint):
    [finding] = lint(
        steps(
            "{type: auto_email, wait: 0, template: intro}",
            "{type: auto_email, wait: 4h, template: intro, isReply: true}",
            "{type: auto_email, wait: 4h, template: intro, isReply: true}",
        )
    )
    assert finding.rule == "cadence/too-many-emails" and finding.line == 16
    assert finding.message.startswith("step 3 is email 3 within 8 hours (most 2 within 3 days)")


def test_a_subject_finding_points_at_the_words_in_the_subject(lint):
    text = steps("{type: auto_email, wait: 0, template: intro}").replace(
        "subject: Quick question", "subject: Hi {{firstName}}"
    )
    [finding] = [f for f in lint(text) if f.rule.startswith("merge-field/")]
    assert (finding.line, finding.column) == (5, 15)  # `{{firstName}}` after `  subject: Hi `
    assert finding.end_column == 15 + len("{{firstName}}")


def test_a_bare_wait_suggests_the_unit_its_size_suggests(lint):
    """Up to 14 reads as days, up to 72 as hours, more as minutes; a whole number of hours,
    days or weeks in seconds is said in that unit."""
    waits = [1, 14, 15, 72, 73, 3600, 86400, 604800]
    text = steps("{type: auto_email, wait: 0, template: intro}",
                 *(f"{{type: call, wait: {w}}}" for w in waits))  # fmt: skip
    said = [(f.line, f.message) for f in lint(text) if f.rule == "cadence/bare-wait"]
    assert said == [
        (15, "wait: 1 is 1 second: did you mean 1d? (write 1s if seconds are meant)"),
        (16, "wait: 14 is 14 seconds: did you mean 14d? (write 14s if seconds are meant)"),
        (17, "wait: 15 is 15 seconds: did you mean 15h? (write 15s if seconds are meant)"),
        (18, "wait: 72 is 72 seconds: did you mean 72h? (write 72s if seconds are meant)"),
        (19, "wait: 73 is 73 seconds: did you mean 73m? (write 73s if seconds are meant)"),
        (20, "wait: 3600 is 3600 seconds (1h): write 1h"),
        (21, "wait: 86400 is 86400 seconds (1d): write 1d"),
        (22, "wait: 604800 is 604800 seconds (1w): write 1w"),
    ]


def test_too_many_emails_says_the_span_in_hours_to_a_tenth(lint):
    [finding] = lint(
        steps(
            "{type: auto_email, wait: 0, template: intro}",
            "{type: auto_email, wait: 1h, template: intro, isReply: true}",
            "{type: auto_email, wait: 7381s, template: intro, isReply: true}",
        )
    )
    assert finding.message.startswith("step 3 is email 3 within 3.1 hours (most 2 within 3 days)")


def test_too_many_emails_late_in_a_sequence_are_counted_from_the_first_of_them(lint):
    """Three emails within two days, ten days in: the window is measured between them, not
    from the start of the sequence."""
    [finding] = lint(
        steps(
            "{type: call, wait: 0}",
            "{type: auto_email, wait: 10d, template: intro}",
            "{type: auto_email, wait: 1d, template: intro, isReply: true}",
            "{type: auto_email, wait: 1d, template: intro, isReply: true}",
        )
    )
    assert finding.rule == "cadence/too-many-emails" and finding.line == 17
    assert finding.message == "step 4 is email 3 within 2 days (most 2 within 3 days)"
