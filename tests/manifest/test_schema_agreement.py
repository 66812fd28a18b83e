"""The JSON Schema files and the pydantic models accept and refuse the same documents.

The schemas are generated from the models, but a generator can only say what it understands:
strictness, regex dialects, date formats and cross-field rules can drift apart. This corpus —
every example, hand-written edge cases, and every leaf of a fully populated document of each
kind replaced by each of a set of tricky values — must get the same verdict from both.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from seqops.manifest import schemagen
from seqops.manifest.models import manifest_adapter
from seqops.manifest.schemas import manifest_validator
from seqops.manifest.yamlnodes import parse

from .documents import EXAMPLES, good

TRICKY: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2.5,
    10**12,
    "",
    "x",
    "High",
    "abc\n",
    "2d",
    "2024-02-29",
    "2023-02-29",
    "2024-5-1",
    "a" * 5,
    "a" * 256,
    "a" * 1025,
    [],
    ["x"],
    [{}],
    {},
    {"x": 1},
]

RICH: dict[str, dict[str, Any]] = {
    "Sequence": {
        "apiVersion": "seqops/v1",
        "kind": "Sequence",
        "metadata": {"name": "full", "labels": {"team": "sdr"}, "id": 7},
        "state": "present",
        "spec": {
            "displayName": "Full",
            "description": "Every field",
            "sequenceType": "date",
            "scheduleIntervalType": "calendar",
            "shareType": "read_only",
            "enabled": True,
            "tags": ["a", "b"],
            "ruleset": "standard",
            "owner": "riley.rep@example.com",
            "salesMotion": "outbound",
            "primaryReplyAction": "pause",
            "primaryReplyPauseDuration": "1w",
            "secondaryReplyAction": "continue",
            "secondaryReplyPauseDuration": 3600,
            "throttleCapacity": 10,
            "throttleMaxAddsPerDay": 5,
            "throttlePaused": False,
            "transactional": False,
            "maxActivations": 100,
            "steps": [
                {"type": "auto_email", "date": "2027-02-11", "template": "intro"},
                {
                    "type": "task",
                    "date": "2027-02-12",
                    "wait": "1d",
                    "isReply": False,
                    "priority": "high",
                    "note": "Call",
                    "autoskipAfter": "2h",
                },
            ],
        },
    },
    "Template": {
        "apiVersion": "seqops/v1",
        "kind": "Template",
        "metadata": {"name": "full"},
        "spec": {
            "displayName": "Full",
            "subject": "Hi",
            "bodyHtml": "<p>Hi</p>",
            "trackOpens": True,
            "trackLinks": False,
            "shareType": "shared",
            "archived": False,
            "tags": ["t"],
            "toRecipients": ["a@example.com"],
            "ccRecipients": [],
            "bccRecipients": ["b@example.com"],
        },
    },
    "Ruleset": {
        "apiVersion": "seqops/v1",
        "kind": "Ruleset",
        "metadata": {"name": "full"},
        "spec": {
            "displayName": "Full",
            "applyCompletedStageIn": "1w",
            "autoResumeOotoProspects": True,
            "autoResumeOotoProspectsExpiresIn": "2w",
            "autoResumeOotoProspectsIn": 86400,
            "callOptOutAction": "fini",
            "clicksNeededBeforeCallTaskCreated": 2,
            "emailOptOutAction": "skip",
            "includeUnsubscribeLinks": True,
            "meetingBookedAction": "finish",
            "minimumProspectTouchedInterval": "2d",
            "ootoAutoExtractionEnabled": False,
            "opensNeededBeforeCallTaskCreated": 3,
            "permitDuplicateProspects": "only_if_inactive",
            "sequenceExclusivity": "all_sequences",
            "smsOptOutAction": "x",
            "smsReceivedAction": "finish",
            "stepOverridesEnabled": True,
            "bouncedStage": "Bad Contact Info",
            "completedStage": "Unresponsive",
            "deliveredStage": "Approaching",
            "finishedStage": "Unresponsive",
            "optedOutStage": "Do Not Contact",
            "repliedStage": "Replied",
            "startedStage": "Approaching",
            "callTaskPriority": "high",
            "callTaskPriorityFromClicks": "medium",
            "callTaskPriorityFromOpens": "low",
        },
    },
    "AutomationRule": {
        "apiVersion": "seqops/v1",
        "kind": "AutomationRule",
        "metadata": {"name": "full"},
        "spec": {
            "sequence": 201,
            "onSuccess": {
                "relaunch": {
                    "supplies": [{"supply": 3, "tag": 1}, {"supply": 4}],
                    "priority": 1,
                    "afterDays": 2,
                    "user": 1,
                    "text": "Call back",
                },
                "startSequence": {"sequence": 300, "afterDays": 1},
                "campaign": {"campaign": 12, "afterDays": 0},
                "opportunity": {
                    "title": "Meeting",
                    "deadline": 30,
                    "status": 2,
                    "amount": 4800.5,
                    "user": 1,
                    "text": "From the sequence",
                },
            },
            "onFailure": {
                "relaunchPersona": {"supplies": [{"supply": 5}]},
                "campaignPersona": {"sameCampaign": True, "afterDays": 3},
                "campaignEnrichContact": {"campaign": 44},
            },
            "onNoSuccess": {"unsubscribe": True, "startSequence": {"sequence": 301}},
            "unsubscribe": {"enabled": True, "linkText": "Unsubscribe", "text": "Bye"},
        },
    },
}


def schema_accepts(document: Any, name: str = schemagen.DISPATCHER) -> bool:
    return not any(True for _ in manifest_validator(name).iter_errors(document))


def model_accepts(document: Any) -> bool:
    try:
        manifest_adapter.validate_python(document, strict=True)
    except ValidationError:
        return False
    return True


def verdicts(document: Any) -> tuple[bool, bool]:
    return schema_accepts(document), model_accepts(document)


def leaves(value: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))
    yield path


def replaced(document: Any, path: tuple, value: Any) -> Any:
    copied = copy.deepcopy(document)
    if not path:
        return value
    target = copied
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copied


def without(document: Any, path: tuple) -> Any:
    copied = copy.deepcopy(document)
    target = copied
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return copied


def mutations(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for path in leaves(document):
        for value in TRICKY:
            yield f"{path} = {value!r:.30}", replaced(document, path, value)
        if path and isinstance(path[-1], str):
            yield f"del {path}", without(document, path)
            parent = replaced(document, path, None)
            yield f"{path[:-1]} + unknown key", _with_unknown_key(parent, path[:-1])


def _with_unknown_key(document: Any, path: tuple) -> Any:
    target = document
    for part in path:
        target = target[part]
    if isinstance(target, dict):
        target["unknownKey"] = 1
    return document


def disagreements(kind: str) -> list[str]:
    found = []
    for label, document in mutations(RICH[kind]):
        schema, model = verdicts(document)
        if schema != model:
            found.append(f"{label}: schema {'accepts' if schema else 'refuses'}, model doesn't")
    return found


@pytest.mark.parametrize("kind", list(RICH))
def test_the_rich_documents_are_valid(kind):
    assert verdicts(RICH[kind]) == (True, True)
    assert schema_accepts(RICH[kind], schemagen.file_name(kind))


@pytest.mark.parametrize("kind", ["Sequence", "Template", "Ruleset"])
def test_every_mutation_gets_the_same_verdict(kind):
    assert disagreements(kind) == []


def test_every_automation_rule_mutation_gets_the_same_verdict():
    assert disagreements("AutomationRule") == []


def test_the_examples_are_accepted_by_both():
    documents = [
        document.data
        for path in sorted(EXAMPLES.rglob("*.yaml"))
        for document in parse(path.read_text()).documents
    ]
    assert len(documents) == 10
    assert all(verdicts(d) == (True, True) for d in documents)


EDGE_CASES = {
    "absent without spec": ({**good("Template"), "state": "absent"}, True),
    "unknown kind": ({**good("Template"), "kind": "Campaign"}, False),
    "unknown apiVersion": ({**good("Template"), "apiVersion": "seqops/v2"}, False),
    "no kind": ({k: v for k, v in good("Ruleset").items() if k != "kind"}, False),
    "a list": ([good("Ruleset")], False),
    "text": ("apiVersion: seqops/v1", False),
    "name with a trailing newline": (replaced(good("Ruleset"), ("metadata", "name"), "a\n"), False),
    "name with capitals": (replaced(good("Ruleset"), ("metadata", "name"), "Std"), False),
    "name of 200": (replaced(good("Ruleset"), ("metadata", "name"), "a" * 200), True),
    "name of 201": (replaced(good("Ruleset"), ("metadata", "name"), "a" * 201), False),
    "duration with spaces": (
        replaced(good("Ruleset"), ("spec", "applyCompletedStageIn"), " 2 d "),
        True,
    ),
    "opt-out of 4": (replaced(good("Ruleset"), ("spec", "emailOptOutAction"), "abcd"), True),
    "opt-out of 5": (replaced(good("Ruleset"), ("spec", "emailOptOutAction"), "abcde"), False),
    "note of 65535": (replaced(good("Sequence"), ("spec", "steps", 1, "note"), "n" * 65535), True),
    "note of 65536": (replaced(good("Sequence"), ("spec", "steps", 1, "note"), "n" * 65536), False),
    "step without type": (without(good("Sequence"), ("spec", "steps", 0, "type")), False),
    "relaunch without supplies": (
        replaced(good("AutomationRule"), ("spec", "onFailure"), {"relaunch": {"supplies": []}}),
        False,
    ),
    "five supplies": (
        replaced(
            good("AutomationRule"),
            ("spec", "onFailure"),
            {"relaunch": {"supplies": [{"supply": i} for i in range(1, 6)]}},
        ),
        False,
    ),
    "persona campaign with neither": (
        replaced(good("AutomationRule"), ("spec", "onFailure"), {"campaignPersona": {}}),
        False,
    ),
    "persona campaign with both": (
        replaced(
            good("AutomationRule"),
            ("spec", "onFailure"),
            {"campaignPersona": {"sameCampaign": True, "campaign": 4}},
        ),
        False,
    ),
}


@pytest.mark.parametrize(("document", "valid"), EDGE_CASES.values(), ids=list(EDGE_CASES))
def test_edge_cases(document, valid):
    assert verdicts(document) == (valid, valid)
