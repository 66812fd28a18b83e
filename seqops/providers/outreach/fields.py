"""Which API attributes each manifest kind manages: what `read()` asks for and the mapping
writes. Everything else of a live object is left alone."""

SEQUENCE_ATTRIBUTES = (
    "description",
    "sequenceType",
    "scheduleIntervalType",
    "shareType",
    "salesMotion",
    "primaryReplyAction",
    "primaryReplyPauseDuration",
    "secondaryReplyAction",
    "secondaryReplyPauseDuration",
    "throttleCapacity",
    "throttleMaxAddsPerDay",
    "throttlePaused",
    "transactional",
    "maxActivations",
)
TEMPLATE_ATTRIBUTES = (
    "subject",
    "bodyHtml",
    "trackOpens",
    "trackLinks",
    "shareType",
    "archived",
    "toRecipients",
    "ccRecipients",
    "bccRecipients",
)
RULESET_ATTRIBUTES = (
    "applyCompletedStageIn",
    "autoResumeOotoProspects",
    "autoResumeOotoProspectsExpiresIn",
    "autoResumeOotoProspectsIn",
    "callOptOutAction",
    "clicksNeededBeforeCallTaskCreated",
    "emailOptOutAction",
    "includeUnsubscribeLinks",
    "meetingBookedAction",
    "minimumProspectTouchedInterval",
    "ootoAutoExtractionEnabled",
    "opensNeededBeforeCallTaskCreated",
    "permitDuplicateProspects",
    "sequenceExclusivity",
    "smsOptOutAction",
    "smsReceivedAction",
    "stepOverridesEnabled",
)
STEP_ATTRIBUTES = {"type": "stepType", "note": "taskNote", "autoskipAfter": "taskAutoskipDelay"}
