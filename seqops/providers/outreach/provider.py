"""`OutreachProvider`: the Provider contract over the Outreach JSON:API (and the sandbox).

Everything read is checked against the shape the provider expects before anything is built
from it (`documents`, `records.Reader`). Creates are POSTs, which are not idempotent: each
passes a `recover` lookup (`recover`) that finds the object a lost response may have made, so
a retry never makes a twin. Races with a concurrent apply are settled once per phase of the
executor (`settle`, `races`), not with a lookup per create; steps and their templates are
written by `stepwrites`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime

from seqops.manifest.models import Ruleset, Sequence, Step, Template
from seqops.providers.base import (
    Ids,
    Impact,
    LiveObject,
    LiveState,
    LiveStep,
    Provider,
    ProviderError,
    RateBudget,
    Settled,
)
from seqops.providers.outreach import assemble, documents, mapping, pointers, records
from seqops.providers.outreach import recover as recovery
from seqops.providers.outreach.client import ApiError, Count, Document, JsonApiClient
from seqops.providers.outreach.documents import ShapeError, describe_kind
from seqops.providers.outreach.mapping import Names, Resource, attributes
from seqops.providers.outreach.races import Races
from seqops.providers.outreach.records import Checker, Reader, Record
from seqops.providers.outreach.stepwrites import StepWriter
from seqops.providers.outreach.together import together

PATHS = {
    "Sequence": ("sequence", "sequences"),
    "Template": ("template", "templates"),
    "Ruleset": ("ruleset", "rulesets"),
    "Step": ("sequenceStep", "sequenceSteps"),
}
"""Manifest kind -> JSON:API type and collection path."""

IMPACT_STATES = ("active", "paused", "pending,disabled")
"""Prospects still in a sequence: active and paused ones are disrupted by a change. In a
disabled sequence Outreach keeps two kinds waiting: `pending` (enrolled while it was disabled,
never started) and `disabled` (stopped mid-cadence when it was disabled); enabling it starts or
resumes sending to both, so `Impact.pending` counts both (as one `filter[state]`)."""
SANDBOX_CLOCK = "x-seqops-sandbox-now"
"""A sandbox's own time, sent with its responses (`seqops.sandbox.middleware`)."""
log = logging.getLogger("seqops.providers.outreach")


class OutreachProvider(Provider):
    """An Outreach account (or the sandbox) through a `JsonApiClient`."""

    def __init__(self, client: JsonApiClient, description: str = "") -> None:
        self.client = client
        self.description = description or f"outreach {client.base_url}"
        self._read_up_to: dict[str, int] = {}
        """Highest id per collection when the account was read: what a create made later
        (ours, or a racing apply's) is above it."""
        self.races = Races(client, self._read_up_to)
        self.steps = StepWriter(client, self.races)

    def __repr__(self) -> str:
        return f"OutreachProvider({self.description!r})"

    async def aclose(self) -> None:
        await self.client.aclose()

    # --- reading -------------------------------------------------------------------------

    async def read(self) -> LiveState:
        self.races.fresh.clear()  # a new plan: no earlier run's creates are fresh to it
        listed = dict(
            zip(
                assemble.COLLECTIONS,
                await together(map(self._records, assemble.COLLECTIONS)),
                strict=True,
            )
        )
        state = assemble.live_state(listed)  # consumes `listed`: hold no other reference to it
        state.now = server_time(self.client.last_headers)
        return state

    async def _records(self, collection: str) -> list[Record]:
        shape = assemble.LISTED[collection]
        reader = Reader(shape, collection, f"GET /{collection}")
        listed = await self.client.list_all(collection, shape.fieldset(), reader)
        top = max((r.id for r in listed), default=0)
        # The first read counts: a create may still act on the plan made from it.
        self._read_up_to[collection] = min(self._read_up_to.get(collection, top), top)
        return listed

    async def impact(self, sequence_ids: list[int]) -> dict[int, Impact]:
        counts = await together(self._impact(id) for id in sequence_ids)
        return dict(zip(sequence_ids, counts, strict=True))

    async def _impact(self, sequence_id: int) -> Impact:
        """One request: the active, paused and pending states of the sequence, counted by
        `meta.count` and split by state from the page itself; past one full page, or when the
        API capped the count (`count_truncated`), each state is counted apart (concurrently)."""
        where = {"filter[sequence][id]": sequence_id, "filter[state]": ",".join(IMPACT_STATES)}
        params = {**where, "fields[sequenceState]": "state,sequenceStep"}
        document = await self.client.first_page("/sequenceStates", params)
        rows = _rows(document, "sequenceStates", "GET /sequenceStates")
        total = Count.of(document, "GET /sequenceStates")
        complete = total.value <= len(rows) and not total.truncated
        at_steps = _steps_waited_at(rows, complete=complete)
        if complete:
            states = Counter(attributes(r).get("state") for r in rows)
            return _impact_of(states, at_least=False, at_steps=at_steps)
        counted = IMPACT_STATES if total.truncated else IMPACT_STATES[1:]
        apart = await asyncio.gather(
            *(
                self.client.count("/sequenceStates", {**where, "filter[state]": state})
                for state in counted
            )
        )
        values = [c.value for c in apart]
        if not total.truncated:  # the active ones are the rest of the total
            values.insert(0, total.value - sum(values))
        capped = any(c.truncated for c in (total, *apart))
        active, paused, pending = values
        return Impact(
            active=active, paused=paused, pending=pending, at_least=capped, at_steps=at_steps
        )

    async def updated_at(self, kind: str, id: int) -> str | None:
        type_name, path = PATHS[kind]
        try:
            document = await self.client.get(f"/{path}/{id}", {f"fields[{type_name}]": "updatedAt"})
        except ApiError as exc:
            if exc.gone:
                return None
            raise
        data = document.get("data")
        documents.check(data, records.updated_shape(type_name), "data", f"GET /{path}/{id}")
        updated = attributes(data).get("updatedAt") if isinstance(data, dict) else None
        return None if updated is None else str(updated)

    async def settle(self) -> list[Settled]:
        return await self.races.settle()

    @staticmethod
    async def _written(kind: str, write: Awaitable[Document]) -> Document:
        """A write's answer; its refusal knowing the manifest field a 422 points at."""
        try:
            return await write
        except ApiError as exc:
            raise pointers.located(exc, kind) from None

    def rate_budget(self) -> RateBudget | None:
        budget = self.client.budget
        if budget.limit is None or budget.remaining is None:
            return None
        return RateBudget(budget.limit, budget.remaining, budget.resets_in or 0.0)

    # --- templates -----------------------------------------------------------------------

    async def create_template(self, template: Template) -> LiveObject:
        body = mapping.template_document(template, template.name)
        recover = recovery.owned(self.races, "templates", template.display_name, template.name)
        created = await self._written(
            "Template", self.client.post("/templates", body, recover=recover)
        )
        record = records.answered(created, "template", "POST /templates")
        self.races.created("Template", template.name, template.display_name, record.id)
        return _template(record, template.name)

    async def update_template(self, live: LiveObject, template: Template, owner: str) -> LiveObject:
        body = mapping.template_document(template, owner, id=live.id)
        if template.spec.tags is None:
            live_tags = live.resource.spec.tags if isinstance(live.resource, Template) else None
            body["data"]["attributes"]["tags"] = mapping.tags_with_owner(live_tags, owner)
        updated = await self._written("Template", self.client.patch(f"/templates/{live.id}", body))
        return _template(records.answered(updated, "template", "PATCH /templates"), owner)

    # --- rulesets ------------------------------------------------------------------------

    async def create_ruleset(self, ruleset: Ruleset, ids: Ids) -> LiveObject:
        body = mapping.ruleset_document(ruleset, ids)
        recover = recovery.named(self.races, "rulesets", ruleset.display_name)
        created = await self._written(
            "Ruleset", self.client.post("/rulesets", body, recover=recover)
        )
        record = records.answered(created, "ruleset", "POST /rulesets")
        self.races.created("Ruleset", ruleset.name, ruleset.display_name, record.id)
        return _ruleset(record, ruleset.name, ids)

    async def update_ruleset(self, live: LiveObject, ruleset: Ruleset, ids: Ids) -> LiveObject:
        body = mapping.ruleset_document(ruleset, ids, id=live.id)
        updated = await self._written("Ruleset", self.client.patch(f"/rulesets/{live.id}", body))
        return _ruleset(
            records.answered(updated, "ruleset", "PATCH /rulesets"), live.resource.name, ids
        )

    # --- sequences -----------------------------------------------------------------------

    async def create_sequence(self, sequence: Sequence, ids: Ids) -> LiveObject:
        body = mapping.sequence_document(sequence, ids, sequence.name, tags=None)
        recover = recovery.owned(self.races, "sequences", sequence.display_name, sequence.name)
        created = await self._written(
            "Sequence", self.client.post("/sequences", body, recover=recover)
        )
        record = records.answered(created, "sequence", "POST /sequences")
        self.races.created("Sequence", sequence.name, sequence.display_name, record.id)
        return _sequence(record, sequence.name, ids, [], [])

    async def update_sequence(
        self, live: LiveObject, sequence: Sequence, ids: Ids, owner: str
    ) -> LiveObject:
        current = live.resource
        if not isinstance(current, Sequence):
            raise ProviderError(f"{current.kind}/{current.name} is not a sequence")
        body = mapping.sequence_document(sequence, ids, owner, current.spec.tags, id=live.id)
        updated = await self._written("Sequence", self.client.patch(f"/sequences/{live.id}", body))
        record = records.answered(updated, "sequence", "PATCH /sequences")
        return _sequence(record, owner, ids, list(current.spec.steps), live.steps)

    async def set_enabled(self, sequence_id: int, enabled: bool) -> None:
        action = "enable" if enabled else "disable"
        await self.client.action(f"/sequences/{sequence_id}/actions/{action}")

    async def delete(self, kind: str, id: int) -> None:
        _, path = PATHS[kind]
        try:
            await self.client.delete(f"/{path}/{id}")
        except ApiError as exc:
            if not exc.gone:  # already gone: a retried DELETE whose response was lost
                raise

    # --- steps ---------------------------------------------------------------------------

    async def create_step(self, sequence_id: int, order: int, step: Step, ids: Ids) -> LiveStep:
        return await self.steps.create(sequence_id, order, step, ids)

    async def update_step(self, live: LiveStep, step: Step, ids: Ids) -> LiveStep:
        return await self.steps.update(live, step, ids)


def _rows(document: dict, collection: str, request: str) -> list[dict]:
    """The checked resources of a page fetched as a single request."""
    data = document.get("data")
    if not isinstance(data, list):
        raise ShapeError(
            f"the API answered data as {describe_kind(data)} where seqops reads a list of "
            f"{collection} ({request})"
        )
    checker = Checker(records.SHAPES[collection[:-1]], collection, request)
    return [checker(row) for row in data]


def _impact_of(states: Counter[object], at_least: bool, at_steps: tuple[int | None, ...]) -> Impact:
    return Impact(
        active=states["active"],
        paused=states["paused"],
        pending=states["pending"] + states["disabled"],
        at_least=at_least,
        at_steps=at_steps,
    )


def _steps_waited_at(rows: list[Resource], complete: bool) -> tuple[int | None, ...]:
    """The steps the active prospects listed wait at (`sequenceState` -> `sequenceStep`);
    None stands for any not known (no step given, or beyond the page)."""
    active = [r for r in rows if attributes(r).get("state") == "active"]
    steps = [mapping.related_id(r, "sequenceStep") for r in active]
    known = sorted({s for s in steps if s is not None})
    unknown = not complete or None in steps
    return (*known, *([None] if unknown else []))


def server_time(headers: Mapping[str, str]) -> datetime | None:
    """The target's time: a sandbox's clock (which `sandbox advance` moves), else the HTTP
    `Date` header, else None."""
    stamp = headers.get(SANDBOX_CLOCK)
    if stamp:
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    date = headers.get("date")
    if date:
        with contextlib.suppress(TypeError, ValueError):
            return parsedate_to_datetime(date)
    return None


def _template(record: Record, name: str) -> LiveObject:
    template = mapping.template_from(record, name)
    return LiveObject(template, record.id, record.get("updatedAt"), name)


def _ruleset(record: Record, name: str, ids: Ids) -> LiveObject:
    ruleset = mapping.ruleset_from(record, name, _names(ids))
    return LiveObject(ruleset, record.id, record.get("updatedAt"))


def _sequence(
    record: Record, name: str, ids: Ids, steps: list[Step], live: list[LiveStep]
) -> LiveObject:
    sequence = mapping.sequence_from(record, name, steps, _names(ids))
    return LiveObject(sequence, record.id, record.get("updatedAt"), name, list(live))


def _names(ids: Ids) -> Names:
    """Live ids -> manifest names, from the executor's resolved references."""

    def inverse(table: dict[str, int]) -> dict[int, str]:
        return {v: k for k, v in table.items()}

    return Names(
        users=inverse(ids.users),
        stages=inverse(ids.stages),
        task_priorities=inverse(ids.task_priorities),
        templates=inverse(ids.templates),
        rulesets=inverse(ids.rulesets),
    )
