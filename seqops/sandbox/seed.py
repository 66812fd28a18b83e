"""Reference data every new sandbox starts with, and the hand-made `--demo` account.

Everything is written through the same write path the API uses, so seeded objects carry the
same computed attributes as objects created over HTTP.
"""

from __future__ import annotations

from typing import Any

from seqops.sandbox import actions, rules, writes
from seqops.sandbox.resources import TYPES
from seqops.sandbox.rules import Context

API_USER = ("Sandy", "Box", "sandy.box@example.com", "Sales Ops")
OTHER_USERS = (
    ("Riley", "Rep", "riley.rep@example.com", "Account Executive"),
    ("Morgan", "Manager", "morgan.manager@example.com", "Sales Manager"),
)
STAGES = (
    ("Cold", "#5B8DEF"),
    ("Approaching", "#F2B84B"),
    ("Replied", "#47B881"),
    ("Interested", "#2E7D32"),
    ("Not Interested", "#9E9E9E"),
    ("Unresponsive", "#BDBDBD"),
    ("Do Not Contact", "#D32F2F"),
    ("Bad Contact Info", "#795548"),
)
TASK_PRIORITIES = (("high", 3, 0xD32F2F), ("medium", 2, 0xF2B84B), ("low", 1, 0x47B881))
FIRST_NAMES = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken")
LAST_NAMES = ("Lovelace", "Hopper", "Turing")
COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries")
TITLES = ("VP Sales", "Head of RevOps", "CTO", "Procurement Lead")
PROSPECT_COUNT = 24
DEFAULT_RULESET = {"name": "Default ruleset"}
"""Every Outreach account has a default ruleset; a sequence created without one gets it."""


def create(ctx: Context, type_name: str, attributes: dict[str, Any], **rels: int | None) -> int:
    relationships = {
        name: {"data": {"type": TYPES[type_name].rels[name].target, "id": rid}}
        for name, rid in rels.items()
    }
    change = writes.Change(attributes, relationships)
    return writes.create(ctx, TYPES[type_name], change).id


def seed_reference(ctx: Context) -> int:
    """Users, mailboxes, stages, task priorities and prospects; returns the API user's id."""
    user_ids = [seed_user(ctx, *person) for person in (API_USER, *OTHER_USERS)]
    ctx.actor_id = user_ids[0]
    stage_ids = [
        create(ctx, "stage", {"name": name, "color": color, "order": i})
        for i, (name, color) in enumerate(STAGES, 1)
    ]
    for name, weight, color in TASK_PRIORITIES:
        create(ctx, "taskPriority", {"name": name, "weight": weight, "color": color})
    ruleset = create(ctx, "ruleset", DEFAULT_RULESET)
    ctx.store.set_meta(rules.DEFAULT_RULESET, str(ruleset))
    for i in range(PROSPECT_COUNT):
        create(ctx, "prospect", prospect(i), owner=user_ids[i % len(user_ids)], stage=stage_ids[0])
    return user_ids[0]


def seed_user(ctx: Context, first: str, last: str, email: str, title: str) -> int:
    attrs = {"firstName": first, "lastName": last, "email": email, "title": title}
    user_id = create(ctx, "user", attrs | {"username": email.split("@")[0]})
    mailbox_id = create(ctx, "mailbox", {"email": email, "username": email}, user=user_id)
    user = ctx.store.must(TYPES["user"], user_id)
    user.rels["mailbox"] = mailbox_id
    ctx.store.update(user)
    return user_id


def prospect(i: int) -> dict[str, object]:
    first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[i % len(LAST_NAMES)]
    company = COMPANIES[i % len(COMPANIES)]
    domain = company.lower().replace(" ", "") + ".example.com"
    return {
        "firstName": first,
        "lastName": last,
        "emails": [f"{first}.{last}{i}@{domain}".lower()],
        "company": company,
        "title": TITLES[i % len(TITLES)],
        "addressCity": "Springfield",
        "timeZone": "America/New_York",
    } | ODD_PROSPECTS.get(PROSPECT_COUNT - 1 - i, {})


ODD_PROSPECTS: dict[int, dict[str, object]] = {0: {"emailOptedOut": True}, 1: {"lastName": None}}
"""The last seed prospects, counted from the end, are what real accounts hold too: one opted
out of email (non-transactional sequences refuse it) and one without a last name (null)."""


# -- demo account ------------------------------------------------------------------------------

DAY = 86400
DEMO_SEQUENCES = (
    {
        "name": "Inbound demo follow-up",
        "sequenceType": "interval",
        "tags": ["inbound", "demo"],
        "steps": [("auto_email", 0), ("call", DAY), ("auto_email", 2 * DAY), ("task", 3 * DAY)],
        "enabled": True,
        "enroll": {"active": 6, "paused": 2, "finished": 1},
    },
    {
        "name": "Webinar invitation",
        "sequenceType": "date",
        "tags": ["events"],
        "steps": [("auto_email", "2030-03-02"), ("auto_email", "2030-03-09")],
        "enabled": True,
        "enroll": {"active": 3},
    },
    {
        "name": "Cold outreach (draft)",
        "sequenceType": "interval",
        "tags": ["outbound"],
        "steps": [("manual_email", 0), ("call", 2 * DAY)],
        "enabled": False,
        "enroll": {},
    },
)


def seed_demo(ctx: Context) -> list[int]:
    """A small, realistic account: a ruleset, three sequences, enrolled prospects."""
    ruleset_id = create(
        ctx,
        "ruleset",
        {"name": "Standard outbound", "permitDuplicateProspects": "only_if_inactive"},
    )
    return [demo_sequence(ctx, spec, ruleset_id) for spec in DEMO_SEQUENCES]


def demo_sequence(ctx: Context, spec: dict[str, Any], ruleset_id: int) -> int:
    attrs = {"name": spec["name"], "sequenceType": spec["sequenceType"], "tags": spec["tags"]}
    sequence_id = create(
        ctx, "sequence", attrs | {"description": "Demo sequence."}, ruleset=ruleset_id
    )
    for order, (step_type, when) in enumerate(spec["steps"], 1):
        schedule = {"interval": when} if spec["sequenceType"] == "interval" else {"date": when}
        step_id = create(
            ctx, "sequenceStep", {"stepType": step_type, **schedule}, sequence=sequence_id
        )
        if step_type.endswith("email"):
            template = {
                "name": f"{spec['name']} - step {order}",
                "subject": f"{spec['name']}: {{{{first_name}}}}, a quick note",
                "bodyHtml": f"<p>Hi {{{{first_name}}}},</p><p>Step {order} of {spec['name']}.</p>",
            }
            template_id = create(ctx, "template", template)
            create(
                ctx,
                "sequenceTemplate",
                {"isReply": order > 1},
                sequenceStep=step_id,
                template=template_id,
            )
    if spec["enabled"]:
        actions.run(ctx, TYPES["sequence"], sequence_id, "enable")
    demo_enrollments(ctx, sequence_id, spec["enroll"])
    return sequence_id


def demo_enrollments(ctx: Context, sequence_id: int, counts: dict[str, int]) -> None:
    prospects = iter(r.id for r in ctx.store.query(TYPES["prospect"], tail="ORDER BY id"))
    assert ctx.actor_id is not None  # seeded after the API user
    mailbox = ctx.store.must(TYPES["user"], ctx.actor_id).rels["mailbox"]
    verbs = {"paused": "pause", "finished": "finish"}
    for state, n in counts.items():
        for _ in range(n):
            state_id = create(
                ctx,
                "sequenceState",
                {},
                prospect=next(prospects),
                sequence=sequence_id,
                mailbox=mailbox,
            )
            if state in verbs:
                actions.run(ctx, TYPES["sequenceState"], state_id, verbs[state])
