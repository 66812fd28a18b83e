"""Every setting a manifest can write, in the words a sales manager reads, in every format:
labels, known choices, durations as people write them, yes/no, lists, an empty list."""

from __future__ import annotations

from seqops.render import HtmlRenderer, MarkdownRenderer, TextRenderer

from .test_markdown import live, plan_of, res
from .test_reader_reads import reading

SEQUENCE = {
    "displayName": "Full",
    "description": "All settings",
    "sequenceType": "interval",
    "scheduleIntervalType": "schedule",
    "shareType": "read_only",
    "tags": ["q1", "inbound"],
    "primaryReplyAction": "pause",
    "primaryReplyPauseDuration": "36h",
    "secondaryReplyAction": "continue",
    "secondaryReplyPauseDuration": "90m",
    "throttleCapacity": 50,
    "throttleMaxAddsPerDay": 20,
    "throttlePaused": True,
    "transactional": False,
    "maxActivations": 500,
    "steps": [
        {"type": "task", "wait": 93784, "note": "x", "autoskipAfter": "3d", "priority": "low"}
    ],
}
TEMPLATE = {
    "subject": "S",
    "trackOpens": True,
    "trackLinks": False,
    "archived": False,
    "toRecipients": ["a@b.example"],
    "ccRecipients": ["c@d.example", "f@g.example"],
    "bccRecipients": [],
}
WORDS = [
    ("Name", "displayName", "Full"),
    ("Description", "description", "All settings"),
    ("Schedule", "sequenceType", "steps after waits"),
    ("Waits count", "scheduleIntervalType", "the sender's schedule"),
    ("Shared with", "shareType", "everyone (read only)"),
    ("Tags", "tags", "inbound, q1"),
    ("When the prospect replies", "primaryReplyAction", "pause"),
    ("Pause after the prospect replies", "primaryReplyPauseDuration", "1d 12h"),
    ("When someone else replies", "secondaryReplyAction", "continue"),
    ("Pause after someone else replies", "secondaryReplyPauseDuration", "1h 30m"),
    ("Most active prospects per user", "throttleCapacity", "50"),
    ("Most prospects added per user a day", "throttleMaxAddsPerDay", "20"),
    ("Throttle limits paused", "throttlePaused", "yes"),
    ("Transactional (ignores opt-outs)", "transactional", "no"),
    ("Most prospects it can hold", "maxActivations", "500"),
]
TEMPLATE_WORDS = [
    ("Subject line", "subject", "S"),
    ("Name", "displayName", "t"),
    ("Track opens", "trackOpens", "yes"),
    ("Track link clicks", "trackLinks", "no"),
    ("Archived", "archived", "no"),
    ("Also to", "toRecipients", "a@b.example"),
    ("Cc", "ccRecipients", "c@d.example, f@g.example"),
    ("Bcc", "bccRecipients", "none"),
]


def created():
    return plan_of([res("Template", "t", TEMPLATE), res("Sequence", "full", SEQUENCE)], [])


def test_the_pr_comment_writes_every_setting_in_plain_words_with_its_key_in_small_print():
    rows = [line for line in MarkdownRenderer().render(created()).splitlines() if line[:3] == "| *"]
    assert rows == [
        *(
            f"| **{label}** <sub>{key}</sub> | — | {value} |"
            for label, key, value in TEMPLATE_WORDS
        ),
        *(f"| **{label}** <sub>{key}</sub> | — | {value} |" for label, key, value in WORDS),
    ]


def test_the_terminal_and_the_html_review_use_the_same_words():
    text = TextRenderer().render(created()).splitlines()
    quoted = {"description": "'All settings'", "subject": "'S'"}
    for label, key, value in WORDS:
        line = f"    [green]+ {label} [dim]({key})[/dim]: {quoted.get(key, value)}[/green]"
        assert line in text
    assert text[-3] == (
        "    [green]+ step 1 · Task “x” added (wait 1d 2h 3m 4s, priority low, skip overdue tasks "
        "after 3d)[/green]"
    )
    lines = reading(HtmlRenderer().render(created()))
    for label, key, value in [*TEMPLATE_WORDS[2:], *WORDS]:
        assert f"{label} {key} | — | {value}" in lines
    assert (
        "1 | 2 | 1d 2h 3m 4s | Task |  | Priority: low / Note: x / Skip overdue tasks after: 3d "
        "| 🆕 added"
    ) in lines


def test_a_rulesets_settings_are_named_from_their_keys_in_every_format():
    spec = {"displayName": "Default rules", "autoResumeOotoProspectsIn": "2d"}
    old = res(
        "Ruleset",
        "default",
        {
            **spec,
            "clicksNeededBeforeCallTaskCreated": 3,
            "includeUnsubscribeLinks": True,
            "permitDuplicateProspects": "allow",
        },
    )
    new = res(
        "Ruleset",
        "default",
        {
            **spec,
            "autoResumeOotoProspectsIn": "3d",
            "clicksNeededBeforeCallTaskCreated": 2,
            "includeUnsubscribeLinks": False,
            "permitDuplicateProspects": "only_if_inactive",
            "minimumProspectTouchedInterval": "90m",
        },
    )
    plan = plan_of([new], [live(old, 4)])
    rows = [
        ("Auto resume ooto prospects in", "autoResumeOotoProspectsIn", "2d", "3d"),
        ("Clicks needed before call task created", "clicksNeededBeforeCallTaskCreated", "3", "2"),
        ("Include unsubscribe links", "includeUnsubscribeLinks", "yes", "no"),
        ("Minimum prospect touched interval", "minimumProspectTouchedInterval", "—", "1h 30m"),
        ("Permit duplicate prospects", "permitDuplicateProspects", "allow", "only_if_inactive"),
    ]
    md = MarkdownRenderer().render(plan).splitlines()
    assert md[7] == (
        "<summary>✏️ update <code>Ruleset/default</code> “Default rules”: auto resume ooto "
        "prospects in 2d → 3d, clicks needed before call task created 3 → 2, include unsubscribe "
        "links yes → no, minimum prospect touched interval, 1 more</summary>"
    )
    assert [line for line in md if line[:3] == "| *"] == [
        f"| **{label}** <sub>{key}</sub> | {old} | {new} |" for label, key, old, new in rows
    ]
    text = TextRenderer().render(plan).splitlines()
    assert text[3:8] == [
        f"    [yellow]~ {label} [dim]({key})[/dim]: {old} → {new}[/yellow]"
        if old != "—"
        else f"    [green]+ {label} [dim]({key})[/dim]: {new}[/green]"
        for label, key, old, new in rows
    ]
    lines = reading(HtmlRenderer().render(plan))
    assert [line for line in lines if " | " in line][3:] == [
        f"{label} {key} | {old} | {new}" for label, key, old, new in rows
    ]
