"""Which changed fields reach the prospects already in a sequence (DESIGN §4).

The disruption rule is about what in-flight prospects receive: step content, order and timing,
template content, reply and opt-out behaviour, who sends, disabling. A change that reaches
nobody in flight (a rename, a description, tags, sharing, throttles on new adds, a ruleset
setting that only governs who may be added) needs no flag, whatever the prospects in the
sequence. This module is the one table that decides it, field by field, from the paths of a
plan's diff; docs/safety.md lists every field with its reason (a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from seqops.plan.diff import FieldDiff


@dataclass(frozen=True)
class FieldRule:
    reaches_prospects: bool
    reason: str


def _in_flight(reason: str) -> FieldRule:
    return FieldRule(True, reason)


def _nobody(reason: str) -> FieldRule:
    return FieldRule(False, reason)


SEQUENCE = {
    "displayName": _nobody("the name reps see; prospects never see it"),
    "description": _nobody("shown to reps only"),
    "sequenceType": _in_flight("how every step is timed (a change of it is a replace)"),
    "scheduleIntervalType": _in_flight(
        "whether waits count calendar days or the sender's schedule: when each next step fires"
    ),
    "shareType": _nobody("which reps may use it"),
    "enabled": _in_flight(
        "disabled, no step fires for anyone in it (Outreach moves its active prospects to"
        " `disabled`); enabled, its pending prospects start and its disabled ones resume"
    ),
    "tags": _nobody("labels reps filter by"),
    "ruleset": _in_flight(
        "its opt-out, unsubscribe-link, stage and call-task rules apply to the prospects in it"
    ),
    "owner": _in_flight("who sends: the sender of the emails they receive"),
    "salesMotion": _nobody("a reporting label"),
    "primaryReplyAction": _in_flight("what happens to a prospect in it who replies"),
    "primaryReplyPauseDuration": _in_flight("how long a prospect who replies is paused"),
    "secondaryReplyAction": _in_flight("what happens when someone else replies for a prospect"),
    "secondaryReplyPauseDuration": _in_flight("how long such a prospect is paused"),
    "throttleCapacity": _nobody("limits how many prospects are added, never what is sent"),
    "throttleMaxAddsPerDay": _nobody("limits adds per day, never what is sent"),
    "throttlePaused": _nobody("turns the limits on adds off or on"),
    "transactional": _in_flight("whether opt-outs are honoured for the prospects in it"),
    "maxActivations": _nobody("how many prospects it can take: a limit on adds"),
    "steps": _in_flight("the content, order and timing of what they receive"),
    "onReplace": _nobody("a seqops setting (how a replace treats the old version), never sent"),
}
TEMPLATE = {
    "displayName": _nobody("the template's name, seen by reps only"),
    "subject": _in_flight("the subject line they receive"),
    "bodyHtml": _in_flight("the email they receive"),
    "trackOpens": _in_flight("adds or removes the open-tracking pixel in what they receive"),
    "trackLinks": _in_flight("rewrites (or stops rewriting) the links in what they receive"),
    "shareType": _nobody("which reps may use it"),
    "archived": _in_flight("an archived template may no longer be sent by the steps using it"),
    "tags": _nobody("labels reps filter by"),
    "toRecipients": _in_flight("who else receives the emails"),
    "ccRecipients": _in_flight("who else receives the emails"),
    "bccRecipients": _in_flight("who else receives the emails"),
}
RULESET = {
    "displayName": _nobody("the ruleset's name, seen by reps only"),
    "applyCompletedStageIn": _in_flight("when their stage changes after they complete"),
    "autoResumeOotoProspects": _in_flight("whether their out-of-office pauses end by themselves"),
    "autoResumeOotoProspectsExpiresIn": _in_flight("how long an out-of-office pause may last"),
    "autoResumeOotoProspectsIn": _in_flight("how long an out-of-office pause lasts by default"),
    "callOptOutAction": _nobody("whether opted-out prospects may be added: governs adds only"),
    "clicksNeededBeforeCallTaskCreated": _in_flight("when their clicks create call tasks"),
    "emailOptOutAction": _nobody("whether opted-out prospects may be added: governs adds only"),
    "includeUnsubscribeLinks": _in_flight("whether the emails they receive carry the link"),
    "meetingBookedAction": _in_flight("whether booking a meeting finishes them"),
    "minimumProspectTouchedInterval": _nobody("a condition on adds only"),
    "ootoAutoExtractionEnabled": _in_flight("whether their out-of-office replies are read"),
    "opensNeededBeforeCallTaskCreated": _in_flight("when their opens create call tasks"),
    "permitDuplicateProspects": _nobody("whether a prospect may be added twice: adds only"),
    "sequenceExclusivity": _nobody("which other sequences a prospect may be added to"),
    "smsOptOutAction": _nobody("whether opted-out prospects may be added: governs adds only"),
    "smsReceivedAction": _in_flight("whether a text message they send finishes them"),
    "stepOverridesEnabled": _nobody("whether reps may edit templates when adding prospects"),
    "bouncedStage": _in_flight("the stage they move to when an email bounces"),
    "completedStage": _in_flight("the stage they move to when they complete"),
    "deliveredStage": _in_flight("the stage they move to when an email is delivered"),
    "finishedStage": _in_flight("the stage they move to when they finish"),
    "optedOutStage": _in_flight("the stage they move to when they opt out"),
    "repliedStage": _in_flight("the stage they move to when they reply"),
    "startedStage": _in_flight("the stage they move to when they start"),
    "callTaskPriority": _in_flight("the priority of the call tasks made for them"),
    "callTaskPriorityFromClicks": _in_flight("the priority of the call tasks their clicks make"),
    "callTaskPriorityFromOpens": _in_flight("the priority of the call tasks their opens make"),
}
COMMON = {
    "ownership": _nobody("seqops' own tag (`seqops:<name>`): nobody sees it"),
    "old_version": _nobody(
        "a replace's old version: its tag and name; what becomes of its prospects is said "
        "apart (drain, stop), and counted by the change's impact"
    ),
}
FIELDS: dict[str, dict[str, FieldRule]] = {
    "Sequence": SEQUENCE,
    "Template": TEMPLATE,
    "Ruleset": RULESET,
}


def field_of(path: str) -> str:
    """`steps` for `steps[2].wait`, `old_version` for `old_version.enabled`."""
    return path.split(".", 1)[0].split("[", 1)[0]


def rule(kind: str, path: str) -> FieldRule:
    """The rule of the field a diff path names; a field no table knows reaches prospects (the
    safe guess, and a test keeps every manifest field in the table)."""
    name = field_of(path)
    return COMMON.get(name) or FIELDS.get(kind, {}).get(name) or _in_flight("unknown field")


def reaches_prospects(kind: str, diff: Iterable[FieldDiff]) -> bool:
    """Whether any changed field reaches the prospects already in the object's sequences."""
    return any(rule(kind, d.path).reaches_prospects for d in diff)
