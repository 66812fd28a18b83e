"""Layer 2 messages: one line per problem, at the right path, with a "did you mean"."""

import pytest

from seqops.manifest.schema_check import schema_findings, suggest

from .documents import good


def findings(document):
    return [(".".join(map(str, f.path)), f.message, f.at_key) for f in schema_findings(document)]


def with_spec(kind, **spec):
    document = good(kind)
    document["spec"].update(spec)
    return document


def test_misspelt_keys_get_a_suggestion_at_the_key():
    document = with_spec("Sequence", stpes=[])
    document["metdata"] = document.pop("metadata")
    assert sorted(findings(document)) == [
        ("", "missing required key 'metadata'", False),
        ("metdata", "unknown key 'metdata' (did you mean 'metadata'?)", True),
        ("spec.stpes", "unknown key 'stpes' (did you mean 'steps'?)", True),
    ]


def test_unknown_keys_far_from_any_list_the_choices_when_few():
    document = good("Template")
    document["metadata"]["colour"] = "red"
    [(_, message, _)] = findings(document)
    assert message == "unknown key 'colour': expected one of name, labels, id"


@pytest.mark.parametrize(
    ("spec", "path", "message"),
    [
        ({"sequenceType": "intervall"}, "spec.sequenceType", "(did you mean 'interval'?)"),
        ({"shareType": "Shared"}, "spec.shareType", "(did you mean 'shared'?)"),
        (
            {"description": "d" * 1025},
            "spec.description",
            "1025 characters long; the limit is 1024",
        ),
        ({"throttleCapacity": -1}, "spec.throttleCapacity", "must be at least 0, not -1"),
        ({"enabled": "yes"}, "spec.enabled", "must be true or false, not text 'yes'"),
        ({"tags": "inbound"}, "spec.tags", "must be a list, not text 'inbound'"),
        (
            {"primaryReplyPauseDuration": "2 days"},
            "spec.primaryReplyPauseDuration",
            "'2 days' is not a duration: write 0, 90m, 2d or 1w",
        ),
        ({"primaryReplyPauseDuration": -5}, "spec.primaryReplyPauseDuration", "cannot be negative"),
        ({"ruleset": "Standard Rules"}, "spec.ruleset", "is not a valid name"),
        ({"displayName": ""}, "spec.displayName", "must not be empty"),
    ],
)
def test_sequence_value_errors_say_what_is_wrong(spec, path, message):
    [(where, text, _)] = findings(with_spec("Sequence", **spec))
    assert where == path
    assert message in text


def test_step_errors_point_into_the_step():
    document = with_spec(
        "Sequence",
        steps=[
            {"type": "auto_emial", "template": "intro"},
            {"type": "call", "date": "2024-02-30"},
        ],
    )
    assert findings(document) == [
        (
            "spec.steps.0.type",
            "'auto_emial' is not one of 'auto_email', 'manual_email', 'call', 'task' "
            "(did you mean 'auto_email'?)",
            False,
        ),
        ("spec.steps.1.date", "'2024-02-30' is not a valid date (write it as YYYY-MM-DD)", False),
    ]


def test_apiversion_and_kind():
    document = good("Template") | {"apiVersion": "seqops/v2", "kind": "Templat"}
    assert findings(document) == [
        ("apiVersion", "must be 'seqops/v1', not 'seqops/v2' (did you mean 'seqops/v1'?)", False),
        (
            "kind",
            "'Templat' is not one of 'Sequence', 'Template', 'Ruleset', 'AutomationRule' "
            "(did you mean 'Template'?)",
            False,
        ),
    ]


def test_nested_blocks_of_optional_objects_are_explained_fully():
    document = good("AutomationRule")
    document["spec"]["onFailure"] = {
        "relaunch": {"supplies": []},
        "campaignPersona": {"sameCampaign": True, "campaign": 3},
    }
    assert findings(document) == [
        ("spec.onFailure.relaunch.supplies", "needs at least 1 item", False),
        ("spec.onFailure.campaignPersona", "'campaign' must not be given here", False),
    ]


def test_long_values_are_shortened():
    [(_, message, _)] = findings(with_spec("Sequence", sequenceType="x" * 500))
    assert len(message) < 150


def test_suggest_ignores_case_and_far_guesses():
    assert suggest("DISPLAYNAME", ["displayName", "description"]) == "displayName"
    assert suggest("zzz", ["displayName"]) is None
