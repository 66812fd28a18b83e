"""The words a sales manager reads: step types, field names and values in plain terms.

Every renderer (text, Markdown, HTML) says "Automatic email", not `auto_email`; "sent as a reply
in the same thread", not `isReply: true`; `1d 23h 59m`, never `172740s`; "Track opens: yes",
not `trackOpens: true`. The manifest key stays available for the reader who writes YAML (small
print in Markdown and HTML), and values this module does not know are shown as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from seqops.manifest.durations import UNITS, parse_duration
from seqops.plan.alignment import templates_of
from seqops.plan.diff import show

STEP_TYPES = {
    "auto_email": "Automatic email",
    "manual_email": "Manual email",
    "call": "Call",
    "task": "Task",
}
LABELS = {
    # Sequences
    "displayName": "Name",
    "ownership": "Ownership tag",
    "description": "Description",
    "sequenceType": "Schedule",
    "scheduleIntervalType": "Waits count",
    "shareType": "Shared with",
    "enabled": "Enabled",
    "tags": "Tags",
    "ruleset": "Ruleset",
    "owner": "Owner",
    "salesMotion": "Sales motion",
    "primaryReplyAction": "When the prospect replies",
    "primaryReplyPauseDuration": "Pause after the prospect replies",
    "secondaryReplyAction": "When someone else replies",
    "secondaryReplyPauseDuration": "Pause after someone else replies",
    "throttleCapacity": "Most active prospects per user",
    "throttleMaxAddsPerDay": "Most prospects added per user a day",
    "throttlePaused": "Throttle limits paused",
    "transactional": "Transactional (ignores opt-outs)",
    "maxActivations": "Most prospects it can hold",
    # Templates
    "subject": "Subject line",
    "bodyHtml": "Email body",
    "trackOpens": "Track opens",
    "trackLinks": "Track link clicks",
    "archived": "Archived",
    "toRecipients": "Also to",
    "ccRecipients": "Cc",
    "bccRecipients": "Bcc",
    # Steps
    "type": "Type",
    "wait": "Wait",
    "date": "Date",
    "template": "Template",
    "templates": "Templates",
    "isReply": "Sent as a reply",
    "priority": "Priority",
    "note": "Note",
    "autoskipAfter": "Skip overdue tasks after",
}
VALUES: dict[str, dict[Any, str]] = {
    "sequenceType": {"interval": "steps after waits", "date": "steps on dates"},
    "scheduleIntervalType": {"calendar": "calendar days", "schedule": "the sender's schedule"},
    "shareType": {
        "private": "only the owner",
        "read_only": "everyone (read only)",
        "shared": "everyone",
    },
    "primaryReplyAction": {"finish": "finish", "continue": "continue", "pause": "pause"},
    "secondaryReplyAction": {"finish": "finish", "continue": "continue", "pause": "pause"},
    "isReply": {True: "sent as a reply in the same thread", False: "a new thread"},
}
DURATIONS = frozenset(
    {
        "wait",
        "autoskipAfter",
        "primaryReplyPauseDuration",
        "secondaryReplyPauseDuration",
        "autoResumeOotoProspectsExpiresIn",
        "autoResumeOotoProspectsIn",
        "minimumProspectTouchedInterval",
    }
)
OLD_VERSION = "old_version."
"""A replace's writes to the version it supersedes (renamed, re-tagged as retiring)."""
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ORDER = ("w", "d", "h", "m", "s")
SHORT = 48
Names = Mapping[str, Mapping[str, Any]]
"""Template key -> {displayName, subject} (`Plan.templates`)."""


def step_type(name: object) -> str:
    """`Automatic email` for `auto_email` (an unknown type as it is)."""
    return STEP_TYPES.get(str(name), str(name))


SELF_NAMED = frozenset({"isReply"})
"""Fields whose values say what they are ("a new thread", "sent as a reply in the same
thread"): a step's line gives their values without the label."""


def inline_name(path: str) -> str:
    """The field's label to put before its values on a step's line (`wait `), or nothing for
    a field whose values name it."""
    return "" if field_key(path) in SELF_NAMED else f"{label(path).lower()} "


def label(path: str) -> str:
    """A field in plain words: `Subject line`, `Wait`; an unknown one spelt out from its
    camelCase (`callOptOutAction` -> `Call opt out action`)."""
    key = field_key(path)
    if path.startswith(OLD_VERSION):
        return f"Old version's {label(path.removeprefix(OLD_VERSION)).lower()}"
    if key in LABELS:
        return LABELS[key]
    if key != path and not path.startswith("steps["):
        return path  # a nested setting (an automation rule's): its path says where it is
    words = _CAMEL.sub(" ", key).lower()
    return words[:1].upper() + words[1:]


def field_key(path: str) -> str:
    """The last key of a diff path: `steps[2].wait` -> `wait`."""
    return path.rsplit(".", 1)[-1]


def duration(value: object) -> str:
    """A duration as people write it: `2d`, `1d 23h 59m`, `0`; seconds only when there are
    some (`1m 30s`). A value that is not a duration is shown as it is."""
    try:
        seconds = parse_duration(value)
    except ValueError:
        return str(value)
    if seconds == 0:
        return "0"
    parts = []
    for unit in _ORDER:
        count, seconds = divmod(seconds, UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts)


def value(path: str, raw: Any) -> str | None:
    """A field's value in plain words, or None when it is unset."""
    if raw is None:
        return None
    key = field_key(path)
    known = VALUES.get(key, {})
    if isinstance(raw, bool) and raw in known:
        return known[raw]
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if key in DURATIONS:
        return duration(raw)
    if key == "type":
        return step_type(raw)
    if isinstance(raw, dict) or (isinstance(raw, list) and any(isinstance(v, dict) for v in raw)):
        return show(raw)  # a nested block, in YAML flow style
    if isinstance(raw, list):
        return ", ".join(str(v) for v in raw) or "none"
    if isinstance(raw, str) and raw in known:
        return known[raw]
    return str(raw)


def reply(step: dict[str, Any]) -> str:
    """`sent as a reply in the same thread` for an email step that replies, else ''."""
    return VALUES["isReply"][True] if step.get("isReply") else ""


def template_name(key: str, names: Names) -> str:
    """A template's display name (its key when the plan does not know it)."""
    return str((names.get(key) or {}).get("displayName") or key)


def short(text: object, limit: int = SHORT) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def step_label(step: Mapping[str, Any] | None, names: Names) -> str:
    """A step as a reviewer names it: `Automatic email “Quick intro”`, `Call “Ask about
    budget…”`, `Task` (its template's display name, else the start of its note)."""
    data = dict(step or {})
    kind = step_type(data.get("type", "step"))
    sent = [f"“{short(template_name(t, names))}”" for t in templates_of(data)]
    if sent:
        return f"{kind} {' / '.join(sent)}"
    note = data.get("note")
    return f"{kind} “{short(note)}”" if note else kind


def step_ref(index: int, step: Mapping[str, Any] | None, names: Names) -> str:
    """`step 4 · Task “Connect on LinkedIn”` (1-based, as a person counts)."""
    return f"step {index + 1} · {step_label(step, names)}"
