"""Every manifest-managed field round-trips: what `create_*` writes from a model reads back as
an equal model (random valid models, written to the sandbox, read with `read()`).

One sandbox serves all examples of the module (names are unique per example), so the
`provider_for` fixture, which only builds clients, is safe to share across examples."""

from __future__ import annotations

import asyncio
import datetime
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqops.manifest.models import Ruleset, Sequence, Step, Template
from seqops.providers.base import Ids, LiveState
from seqops.sandbox.app import create_app

APP = create_app()
SERIAL = itertools.count()
USERS = ["sandy.box@example.com", "riley.rep@example.com", "morgan.manager@example.com"]
STAGES = ["Cold", "Approaching", "Replied", "Interested"]
PRIORITIES = ["high", "medium", "low"]
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
seconds = st.integers(min_value=0, max_value=90 * 86400)
counts = st.integers(min_value=0, max_value=10_000)
tags = st.lists(text.filter(lambda t: not t.startswith("seqops:")), max_size=3, unique=True)
emails = st.lists(st.emails(), max_size=2)


def optional(strategy):
    return st.none() | strategy


def unique_name(prefix: str) -> str:
    return f"{prefix}-{next(SERIAL)}"


@st.composite
def templates(draw) -> Template:
    spec = {
        "displayName": draw(optional(text)),
        "subject": draw(optional(text)),
        "bodyHtml": draw(optional(text)),
        "trackOpens": draw(optional(st.booleans())),
        "trackLinks": draw(optional(st.booleans())),
        "shareType": draw(optional(st.sampled_from(["private", "read_only", "shared"]))),
        "archived": draw(optional(st.booleans())),
        "tags": draw(optional(tags)),
        "toRecipients": draw(optional(emails)),
        "ccRecipients": draw(optional(emails)),
        "bccRecipients": draw(optional(emails)),
    }
    return Template.model_validate(envelope("Template", unique_name("tpl"), spec))


@st.composite
def rulesets(draw) -> Ruleset:
    short = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=4)
    spec = {
        "displayName": unique_name("Ruleset"),
        "applyCompletedStageIn": draw(optional(seconds)),
        "autoResumeOotoProspects": draw(optional(st.booleans())),
        "autoResumeOotoProspectsExpiresIn": draw(optional(seconds)),
        "autoResumeOotoProspectsIn": draw(optional(seconds)),
        "callOptOutAction": draw(optional(short)),
        "clicksNeededBeforeCallTaskCreated": draw(optional(counts)),
        "emailOptOutAction": draw(optional(short)),
        "includeUnsubscribeLinks": draw(optional(st.booleans())),
        "meetingBookedAction": draw(optional(text)),
        "minimumProspectTouchedInterval": draw(optional(seconds)),
        "ootoAutoExtractionEnabled": draw(optional(st.booleans())),
        "opensNeededBeforeCallTaskCreated": draw(optional(counts)),
        "permitDuplicateProspects": draw(
            optional(st.sampled_from(["allow", "disallow", "only_if_inactive"]))
        ),
        "sequenceExclusivity": draw(
            optional(st.sampled_from(["all_sequences", "exclusive_sequences", "none"]))
        ),
        "smsOptOutAction": draw(optional(short)),
        "smsReceivedAction": draw(optional(text)),
        "stepOverridesEnabled": draw(optional(st.booleans())),
        **{
            rel: draw(optional(st.sampled_from(STAGES)))
            for rel in ("bouncedStage", "completedStage", "repliedStage", "startedStage")
        },
        "callTaskPriority": draw(optional(st.sampled_from(PRIORITIES))),
        "callTaskPriorityFromClicks": draw(optional(st.sampled_from(PRIORITIES))),
    }
    return Ruleset.model_validate(envelope("Ruleset", unique_name("rs"), spec))


@st.composite
def steps(draw, sequence_type: str, template_names: list[str]) -> Step:
    kind = draw(st.sampled_from(["auto_email", "manual_email", "call", "task"]))
    email = kind in ("auto_email", "manual_email")
    step = {"type": kind}
    if sequence_type == "interval":
        step["wait"] = draw(seconds)
    else:
        step["date"] = draw(st.dates(datetime.date(2025, 1, 1), datetime.date(2030, 12, 31)))
    if email:
        step["template"] = draw(st.sampled_from(template_names))
        step["isReply"] = draw(st.booleans())
    else:
        step["priority"] = draw(optional(st.sampled_from(PRIORITIES)))
        step["note"] = draw(optional(text))
        step["autoskipAfter"] = draw(optional(seconds))
    return Step.model_validate(step)


@st.composite
def sequences(draw, ruleset_name: str, template_names: list[str]) -> Sequence:
    sequence_type = draw(st.sampled_from(["interval", "date"]))
    primary = draw(optional(st.sampled_from(["finish", "continue", "pause"])))
    secondary = draw(optional(st.sampled_from(["finish", "continue", "pause"])))
    spec = {
        "displayName": draw(optional(text)),
        "description": draw(optional(text)),
        "sequenceType": sequence_type,
        "scheduleIntervalType": draw(optional(st.sampled_from(["calendar", "schedule"]))),
        "shareType": draw(optional(st.sampled_from(["private", "read_only", "shared"]))),
        "tags": draw(optional(tags)),
        "ruleset": draw(optional(st.just(ruleset_name))),
        "owner": draw(optional(st.sampled_from(USERS))),
        "salesMotion": draw(optional(text)),
        "primaryReplyAction": primary,
        "primaryReplyPauseDuration": draw(seconds) if primary == "pause" else None,
        "secondaryReplyAction": secondary,
        "secondaryReplyPauseDuration": draw(seconds) if secondary == "pause" else None,
        "throttleCapacity": draw(optional(counts)),
        "throttleMaxAddsPerDay": draw(optional(counts)),
        "throttlePaused": draw(optional(st.booleans())),
        "transactional": draw(optional(st.booleans())),
        "maxActivations": draw(optional(counts)) if sequence_type == "date" else None,
        "steps": draw(st.lists(steps(sequence_type, template_names), max_size=5)),
    }
    return Sequence.model_validate(envelope("Sequence", unique_name("seq"), spec))


def envelope(kind: str, name: str, spec: dict) -> dict:
    spec = {k: v for k, v in spec.items() if v is not None}
    return {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def managed(resource, exclude: tuple[str, ...] = ()) -> dict:
    """The fields a manifest sets, as written."""
    return resource.spec.model_dump(exclude_none=True, exclude=set(exclude))


def read_back(state: LiveState, kind: str, name: str, by_display_name: str | None = None):
    found = state.owned(kind, name)
    if found is None and by_display_name is not None:
        (found,) = state.by_display_name(kind, by_display_name)
    assert found is not None, f"{kind}/{name} was not read back"
    return found


def run(coroutine):
    return asyncio.run(coroutine)


@EXAMPLES
@given(templates())
def test_templates_round_trip(provider_for, template):
    async def scenario():
        provider = provider_for(APP)
        created = await provider.create_template(template)
        live = read_back(await provider.read(), "Template", template.name)
        await provider.aclose()
        return created, live

    created, live = run(scenario())
    assert live.id == created.id and live.owner == template.name
    assert live.resource.name == template.name
    expected = managed(template)
    assert {k: v for k, v in managed(live.resource).items() if k in expected} == expected
    assert live.resource.display_name == template.display_name


@EXAMPLES
@given(rulesets())
def test_rulesets_round_trip(provider_for, ruleset):
    async def scenario():
        provider = provider_for(APP)
        state = await provider.read()
        ids = Ids(stages=state.stages, task_priorities=state.task_priorities)
        await provider.create_ruleset(ruleset, ids)
        live = read_back(await provider.read(), "Ruleset", "", ruleset.display_name)
        await provider.aclose()
        return live

    live = run(scenario())
    expected = managed(ruleset)
    assert {k: v for k, v in managed(live.resource).items() if k in expected} == expected


@EXAMPLES
@given(st.data())
def test_sequences_with_steps_round_trip(provider_for, data):
    template_names = [unique_name("t"), unique_name("t")]
    ruleset_name = unique_name("r")
    sequence = data.draw(sequences(ruleset_name, template_names))

    async def scenario():
        provider = provider_for(APP)
        state = await provider.read()
        ids = Ids(users=state.users, stages=state.stages, task_priorities=state.task_priorities)
        for name in template_names:
            template = Template.model_validate(envelope("Template", name, {}))
            ids.templates[name] = (await provider.create_template(template)).id
        ruleset = Ruleset.model_validate(envelope("Ruleset", ruleset_name, {}))
        ids.rulesets[ruleset_name] = (await provider.create_ruleset(ruleset, ids)).id
        created = await provider.create_sequence(sequence, ids)
        for order, step in enumerate(sequence.spec.steps, start=1):
            await provider.create_step(created.id, order, step, ids)
        live = read_back(await provider.read(), "Sequence", sequence.name)
        await provider.aclose()
        return live

    live = run(scenario())
    expected = managed(sequence, exclude=("enabled",))
    assert {k: v for k, v in managed(live.resource).items() if k in expected} == expected
    assert live.resource.spec.steps == sequence.spec.steps
    assert live.resource.spec.enabled is False
