"""What Outreach fills in when a field is not given: export leaves these values out.

A field left out of a manifest is not managed, so leaving out a default never makes a diff; it
only keeps exported manifests short enough to review. Values from the seed documents,
`outreach-openapi.json` and what the real API answers a create (a production connector's
recorded `POST /sequences`: `secondaryReplyAction: finish`, `maxActivations: 150`);
tests/export/test_defaults.py checks them against the sandbox.
"""

from typing import Any

SPEC_DEFAULTS: dict[str, dict[str, Any]] = {
    "Sequence": {
        "sequenceType": "interval",
        "scheduleIntervalType": "calendar",
        "shareType": "shared",
        "enabled": False,
        "tags": [],
        "primaryReplyAction": "finish",
        "secondaryReplyAction": "finish",
        "maxActivations": 150,
        "throttlePaused": False,
        "transactional": False,
    },
    "Template": {
        "shareType": "shared",
        "archived": False,
        "trackOpens": True,
        "trackLinks": True,
        "tags": [],
        "toRecipients": [],
        "ccRecipients": [],
        "bccRecipients": [],
    },
    "Ruleset": {
        "permitDuplicateProspects": "disallow",
        "sequenceExclusivity": "none",
    },
}

STEP_DEFAULTS: dict[str, Any] = {"isReply": False}
