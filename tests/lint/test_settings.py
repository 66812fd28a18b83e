"""`seqops.yaml` `lint:`: rules on/off, severities, parameters, per-path overrides, custom
merge fields — and typos refused with a did-you-mean."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from seqops.lint import LintSettings, Severity

from .conftest import CASES, RULESET

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: t}
spec:
  subject: A subject that is exactly forty characters
  bodyHtml: "<p>Hi {{webinar_topic}}. Acme Inc, 1 Main St.</p>"
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


def rules(findings):
    return sorted((f.rule, str(f.severity), f.line) for f in findings)


def test_custom_fields_are_known_merge_fields(lint):
    assert rules(lint(TEMPLATE)) == [("merge-field/unknown", "error", 6)]
    assert lint(TEMPLATE, LintSettings(customFields=["webinar_topic"])) == []


def test_a_rule_can_be_turned_off_or_given_another_severity(lint):
    assert lint(TEMPLATE, LintSettings(rules={"merge-field/unknown": "off"})) == []
    assert lint(TEMPLATE, LintSettings(rules={"merge-field/unknown": False})) == []
    warned = lint(TEMPLATE, LintSettings(rules={"merge-field/unknown": {"severity": "warning"}}))
    assert rules(warned) == [("merge-field/unknown", "warning", 6)]


def test_enabled_in_a_rule_s_settings_turns_it_off_or_on(lint):
    assert lint(TEMPLATE, LintSettings(rules={"merge-field/unknown": {"enabled": False}})) == []
    shouting = TEMPLATE.replace("A subject that is exactly forty characters", "ALL CAPITALS")
    assert rules(lint(shouting)) == [("merge-field/unknown", "error", 6)]  # off by default
    on = LintSettings(rules={"copy/spam-subject": {"enabled": True}})
    assert rules(lint(shouting, on)) == [
        ("copy/spam-subject", "info", 5),
        ("merge-field/unknown", "error", 6),
    ]


def test_parameters_change_what_a_rule_reports(lint):
    settings = LintSettings(
        customFields=["webinar_topic"], rules={"content/subject-length": {"maxLength": 30}}
    )
    assert rules(lint(TEMPLATE, settings)) == [("content/subject-length", "warning", 5)]


def test_required_text_is_off_until_configured(lint):
    base = {"customFields": ["webinar_topic"]}
    present = LintSettings(
        **base, rules={"compliance/required-text": {"text": "acme inc,  1 main st"}}
    )
    assert lint(TEMPLATE, present) == []
    missing = LintSettings(
        **base, rules={"compliance/required-text": {"text": ["1 Main St", "Reg. no 42"]}}
    )
    (finding,) = lint(TEMPLATE, missing)
    assert (finding.rule, finding.line) == ("compliance/required-text", 6)
    assert "Reg. no 42" in finding.message


def test_per_path_overrides_apply_to_matching_files_only(lint):
    settings = LintSettings(
        overrides=[{"paths": ["*legacy*"], "rules": {"merge-field/unknown": "off"}}]
    )
    assert lint(TEMPLATE, settings, name="legacy.yaml") == []
    assert rules(lint(TEMPLATE, settings, name="current.yaml")) == [
        ("merge-field/unknown", "error", 6)
    ]


def test_an_override_can_turn_on_a_rule_that_is_off(lint):
    settings = LintSettings(
        rules={"merge-field/unknown": "off"},
        overrides=[{"paths": ["strict*"], "rules": {"merge-field/unknown": "error"}}],
    )
    assert rules(lint(TEMPLATE, settings, name="strict.yaml")) == [
        ("merge-field/unknown", "error", 6)
    ]


def test_severity_resolution():
    settings = LintSettings(rules={"hygiene/no-ruleset": "error"})
    assert settings.severity("hygiene/no-ruleset", "a.yaml") == Severity.error
    assert settings.severity("hygiene/unused-template", "a.yaml") == Severity.warning


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"rules": {"merge-field/unknwn": "off"}}, "did you mean 'merge-field/unknown'?"),
        ({"rules": {"content/subject-length": {"maxLenght": 5}}}, "did you mean 'maxLength'?"),
        ({"rules": {"content/subject-length": {"maxLength": "long"}}}, "must be a positive number"),
        ({"rules": {"content/subject-length": "loud"}}, "'off', 'error', 'warning' or 'info'"),
        (
            {"rules": {"compliance/required-text": {"text": ["1 Main St", 42]}}},
            "must be text or a list of texts",
        ),
        ({"rules": {"manifest/invalid": "off"}}, "unknown rule 'manifest/invalid'"),
        (
            {"overrides": [{"paths": ["x"], "rules": {"cadence/too-long": {"maxDays": 9}}}]},
            "only enabled/severity",
        ),
        ({"blockAply": False}, "blockAply"),
        ({"customFields": ["{{x}}"]}, "not a merge-field name"),
    ],
)
def test_bad_settings_are_refused_with_a_hint(config, message):
    with pytest.raises(ValidationError) as raised:
        LintSettings.model_validate(config)
    assert message in str(raised.value)


def test_a_rule_that_restates_a_validation_error_replaces_it_unless_it_is_off(lint):
    text = (CASES / "planted" / "threading-first-reply.yaml").read_text() + RULESET
    assert [f.rule for f in lint(text)] == ["threading/first-reply"]
    off = lint(text, LintSettings(rules={"threading/first-reply": "off"}))
    assert [(f.rule, f.line) for f in off] == [("manifest/invalid", 19)]
    assert "nothing to reply to" in off[0].message


@pytest.mark.parametrize("setting", [True, "on", {"enabled": True}])
def test_an_override_that_turns_a_rule_on_keeps_the_severity_set_for_it(lint, setting):
    """`merge-field/unknown: warning` for the project, then an override saying only that the
    rule runs on `legacy/`: its findings there stay warnings, not the rule's default error."""
    settings = LintSettings(
        rules={"merge-field/unknown": "warning"},
        overrides=[{"paths": ["legacy*"], "rules": {"merge-field/unknown": setting}}],
    )
    assert rules(lint(TEMPLATE, settings, name="legacy.yaml")) == [
        ("merge-field/unknown", "warning", 6)
    ]
