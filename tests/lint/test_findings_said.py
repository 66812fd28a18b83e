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
