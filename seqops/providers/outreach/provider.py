"""`OutreachProvider`: the Provider contract over the Outreach JSON:API (and the sandbox).

Creates are POSTs, which are not idempotent: each passes a `recover` lookup that finds the
object a lost response may have created (by ownership tag, by sequence + order, by step +
template), so a retry never makes a twin.

Two applies racing from the same plan both POST the same object. Without a lock server, each
create then settles the race (`_settle`): it re-reads the objects of that name and, when
another one of the same identity (ownership tag; a ruleset's name) has a lower id, deletes its
own fresh copy, which nothing points at yet, and returns the older one. The lowest id wins for
every racer, so they agree without talking to each other.

A create that finds, next to its fresh copy, an *unowned* object of the same name refuses as
stale: the plan would have adopted it had it existed then, so someone made it since (a saved
plan's `create` applied after a hand-made `Demo` appeared). The fresh copy is deleted first.

Steps and bindings are written idempotently under races: a step create refused because its
order is taken (another apply wrote it first) reconciles the step found there to the manifest
(`_reconcile_step`), and a new binding settles like an object (`_settle_binding`: the lowest
id of one (step, template) pair wins), so racing applies leave neither `422 order taken`
failures nor a template bound twice.

Objects are looked up by name with `filter[name]`, except names with a comma, which the API
reads as "either name" (`Demo, EMEA` is `Demo` or ` EMEA`): those are found among the objects
created since the account was read (`_named`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from seqops.manifest.models import Ruleset, Sequence, Step, Template
from seqops.providers.base import (
    Ids,
    Impact,
    LiveObject,
    LiveState,
    LiveStep,
    Provider,
    ProviderError,
    StaleError,
)
from seqops.providers.bindings import reconcile_bindings
from seqops.providers.outreach import assemble, mapping, records
from seqops.providers.outreach.client import ApiError, Count, Document, JsonApiClient
from seqops.providers.outreach.mapping import Names, Resource, attributes
from seqops.providers.outreach.records import Record
from seqops.providers.outreach.together import together

PATHS = {
    "Sequence": ("sequence", "sequences"),
    "Template": ("template", "templates"),
    "Ruleset": ("ruleset", "rulesets"),
    "Step": ("sequenceStep", "sequenceSteps"),
}
"""Manifest kind -> JSON:API type and collection path."""

IMPACT_STATES = ("active", "paused", "pending")
"""Prospects still in a sequence: active and paused ones are disrupted by a change, pending
ones (in a disabled sequence) start receiving email when it is enabled."""
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

    def __repr__(self) -> str:
        return f"OutreachProvider({self.description!r})"

    async def aclose(self) -> None:
        await self.client.aclose()

    # --- reading -------------------------------------------------------------------------

    async def read(self) -> LiveState:
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
        listed = await self.client.list_all(collection, shape.fieldset(), shape.record)
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
        params = {
            **where,
            "fields[sequenceState]": "state,sequenceStep",
            "page[size]": self.client.page_sizes.of("sequenceStates"),
        }
        document = await self.client.get("/sequenceStates", params)
        rows = document.get("data") or []
        total = Count.of(document, "GET /sequenceStates")
        complete = total.value <= len(rows) and not total.truncated
        at_steps = _steps_waited_at(rows, complete=complete)
        if complete:
            states = [attributes(r).get("state") for r in rows]
            active, paused, pending = (states.count(state) for state in IMPACT_STATES)
            return Impact(active=active, paused=paused, pending=pending, at_steps=at_steps)
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
        active, paused, pending = values
        capped = any(c.truncated for c in (total, *apart))
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
        return attributes(document.get("data") or {}).get("updatedAt")

    # --- templates -----------------------------------------------------------------------

    async def create_template(self, template: Template) -> LiveObject:
        body = mapping.template_document(template, template.name)
        recover = self._find_owned("templates", template.display_name, template.name)
        created = await self.client.post("/templates", body, recover=recover)
        kept, raced = await self._settle(
            "Template", created["data"], template.display_name, _owned_by(template.name), True
        )
        return _raced(self._template(kept, template.name), raced)

    async def update_template(self, live: LiveObject, template: Template, owner: str) -> LiveObject:
        body = mapping.template_document(template, owner, id=live.id)
        if template.spec.tags is None:
            live_tags = live.resource.spec.tags if isinstance(live.resource, Template) else None
            body["data"]["attributes"]["tags"] = mapping.tags_with_owner(live_tags, owner)
        updated = await self.client.patch(f"/templates/{live.id}", body)
        return self._template(updated["data"], owner)

    def _template(self, resource: Resource, name: str) -> LiveObject:
        template = mapping.template_from(records.of(resource), name)
        return LiveObject(template, int(resource["id"]), _updated(resource), name)

    # --- rulesets ------------------------------------------------------------------------

    async def create_ruleset(self, ruleset: Ruleset, ids: Ids) -> LiveObject:
        body = mapping.ruleset_document(ruleset, ids)
        recover = self._find_named("rulesets", ruleset.display_name)
        created = await self.client.post("/rulesets", body, recover=recover)
        kept, raced = await self._settle("Ruleset", created["data"], ruleset.display_name)
        return _raced(self._ruleset(kept, ruleset.name, ids), raced)

    async def update_ruleset(self, live: LiveObject, ruleset: Ruleset, ids: Ids) -> LiveObject:
        body = mapping.ruleset_document(ruleset, ids, id=live.id)
        updated = await self.client.patch(f"/rulesets/{live.id}", body)
        return self._ruleset(updated["data"], live.resource.name, ids)

    def _ruleset(self, resource: Resource, name: str, ids: Ids) -> LiveObject:
        ruleset = mapping.ruleset_from(records.of(resource), name, _names(ids))
        return LiveObject(ruleset, int(resource["id"]), _updated(resource))

    # --- sequences -----------------------------------------------------------------------

    async def create_sequence(self, sequence: Sequence, ids: Ids) -> LiveObject:
        body = mapping.sequence_document(sequence, ids, sequence.name, tags=None)
        recover = self._find_owned("sequences", sequence.display_name, sequence.name)
        created = await self.client.post("/sequences", body, recover=recover)
        kept, raced = await self._settle(
            "Sequence", created["data"], sequence.display_name, _owned_by(sequence.name), True
        )
        return _raced(self._sequence(kept, sequence.name, ids, [], []), raced)

    async def update_sequence(
        self, live: LiveObject, sequence: Sequence, ids: Ids, owner: str
    ) -> LiveObject:
        current = live.resource
        if not isinstance(current, Sequence):
            raise ProviderError(f"{current.kind}/{current.name} is not a sequence")
        body = mapping.sequence_document(sequence, ids, owner, current.spec.tags, id=live.id)
        updated = await self.client.patch(f"/sequences/{live.id}", body)
        steps = list(current.spec.steps)
        return self._sequence(updated["data"], owner, ids, steps, live.steps)

    def _sequence(
        self, resource: Resource, name: str, ids: Ids, steps: list[Step], live: list[LiveStep]
    ) -> LiveObject:
        sequence = mapping.sequence_from(records.of(resource), name, steps, _names(ids))
        return LiveObject(sequence, int(resource["id"]), _updated(resource), name, list(live))

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
        body = mapping.step_document(step, ids, sequence_id=sequence_id, order=order)
        where = {"filter[sequence][id]": sequence_id, "filter[order]": order}
        try:
            created = await self.client.post(
                "/sequenceSteps", body, recover=self._find_newest("/sequenceSteps", where)
            )
        except ApiError as exc:
            if exc.status != 422:
                raise
            return await self._reconcile_step(where, order, step, ids, exc)
        resource = created["data"]
        live = LiveStep(int(resource["id"]), order, _updated(resource))
        bound = [
            (await self._bind(live, template_id, step.isReply), template_id)
            for template_id in self._template_ids(step, ids)
        ]
        return _with_bindings(live, bound)

    async def _reconcile_step(
        self, where: dict[str, Any], order: int, step: Step, ids: Ids, refused: ApiError
    ) -> LiveStep:
        """A step create refused (422) while a step holds that order: another apply wrote it
        first. That step is made the one the manifest says (same content: a no-op patch)."""
        found = await self.client.list_all("/sequenceSteps", where)
        if not found:
            raise refused
        resource = min(found, key=lambda r: int(r["id"]))
        live = LiveStep(int(resource["id"]), order, _updated(resource))
        log.info("step %s at order %s was written by another apply: reconciled", live.id, order)
        listed = await self.client.list_all(
            "/sequenceTemplates", {"filter[sequenceStep][id]": live.id}
        )
        bound = sorted(
            (int(b["id"]), template)
            for b in listed
            if (template := mapping.related_id(b, "template")) is not None
        )
        return await self.update_step(_with_bindings(live, bound), step, ids)

    async def update_step(self, live: LiveStep, step: Step, ids: Ids) -> LiveStep:
        """Patch the step and bind exactly its templates, one sequenceTemplate each (others
        go). A step stops being an email step only once its bindings are gone (the API
        refuses the type change before)."""
        template_ids = self._template_ids(step, ids)
        result = dataclasses.replace(live, extra_sequence_template_ids=[], extra_template_ids=[])
        if not template_ids:
            for binding, _ in live.bindings():
                await self._unbind(binding)
            result.sequence_template_id = result.template_id = None
        updated = await self.client.patch(
            f"/sequenceSteps/{live.id}",
            mapping.step_document(step, ids, id=live.id),
        )
        result.updated_at = _updated(updated["data"])
        if template_ids:
            await self._rebind(live, result, template_ids, step.isReply)
        return result

    def _template_ids(self, step: Step, ids: Ids) -> list[int]:
        if not step.is_email:
            return []
        return [mapping.resolve(ids.templates, t, "template", None) for t in step.variants]

    async def _rebind(
        self, live: LiveStep, result: LiveStep, template_ids: list[int], is_reply: bool
    ) -> None:
        """One binding per template of `template_ids`: existing ones kept (isReply set), the
        missing ones made first so the step is never left without a template, then every
        other binding goes (`reconcile_bindings`)."""
        changes = reconcile_bindings(live, template_ids)
        bound: list[tuple[int, int]] = []
        for template_id, binding in changes.keep.items():
            body = mapping.document("sequenceTemplate", {"isReply": is_reply}, id=binding)
            await self.client.patch(f"/sequenceTemplates/{binding}", body)
            bound.append((binding, template_id))
        for template_id in changes.create:
            bound.append((await self._bind(live, template_id, is_reply), template_id))
        for binding in changes.delete:
            await self._unbind(binding)
        _with_bindings(result, bound)

    async def _bind(self, live: LiveStep, template_id: int, is_reply: bool) -> int:
        """A new sequenceTemplate binding `template_id` to the step: its id."""
        body = mapping.sequence_template_document(live.id, template_id, is_reply)
        where = {"filter[sequenceStep][id]": live.id, "filter[template][id]": template_id}
        created = await self.client.post(
            "/sequenceTemplates", body, recover=self._find_newest("/sequenceTemplates", where)
        )
        return await self._settle_binding(int(created["data"]["id"]), where)

    async def _settle_binding(self, mine: int, where: dict[str, Any]) -> int:
        """Two applies binding one template to one step: the lowest id wins, the other
        deletes its own (a binding is settled like an object, see `_settle`)."""
        listed = await self.client.list_all("/sequenceTemplates", where)
        older = [int(r["id"]) for r in listed if int(r["id"]) < mine]
        if not older:
            return mine
        await self._unbind(mine)
        return min(older)

    async def _unbind(self, sequence_template_id: int) -> None:
        try:
            await self.client.delete(f"/sequenceTemplates/{sequence_template_id}")
        except ApiError as exc:
            if not exc.gone:
                raise

    # --- races between concurrent applies -----------------------------------------------

    async def _settle(
        self,
        kind: str,
        created: Resource,
        display_name: str,
        same: Callable[[Resource], bool] = lambda _: True,
        owned: bool = False,
    ) -> tuple[Resource, bool]:
        """(the object to use, whether a concurrent apply created it first). The lowest id of
        the same identity wins; a loser deletes its own copy, created a moment ago. An `owned`
        kind refuses (StaleError) when an unowned object of that name appeared since the plan."""
        _, path = PATHS[kind]
        found = await self._named(path, display_name)
        mine = int(created["id"])
        if owned and (intruder := _unowned_other(found, mine)) is not None:
            await self.delete(kind, mine)
            raise StaleError(
                f"stale: a {kind.lower()} named {display_name!r} (id {intruder}) was made since "
                "the plan; re-plan (it will be adopted, not duplicated)"
            )
        older = [r for r in found if int(r["id"]) < mine and same(r)]
        if not older:
            return created, False
        winner = min(older, key=lambda r: int(r["id"]))
        log.info("%s %r: another apply created it first (id %s)", kind, display_name, winner["id"])
        await self.delete(kind, mine)
        return winner, True

    # --- recovery of lost POST responses -------------------------------------------------

    def _find_owned(self, path: str, display_name: str, owner: str):
        """Looks up the object carrying the ownership tag, among those with its name."""

        async def find() -> Document | None:
            found = await self._named(path, display_name)
            mine = [r for r in found if mapping.owner_key(attributes(r).get("tags")) == owner]
            return {"data": max(mine, key=lambda r: int(r["id"]))} if mine else None

        return find

    def _find_named(self, path: str, display_name: str):
        """Looks up the newest object with the name (a ruleset: names are its identity)."""

        async def find() -> Document | None:
            found = await self._named(path, display_name)
            return {"data": max(found, key=lambda r: int(r["id"]))} if found else None

        return find

    async def _named(self, path: str, display_name: str) -> list[Resource]:
        """The objects named exactly `display_name` that a create of this apply can have to
        reckon with: all of them by `filter[name]`; for a name with a comma, the objects
        created since the account was read (newest first, down to the highest id it saw, or
        all of them when this provider has not read it), matched by name here."""
        if "," not in display_name:
            return await self.client.list_all(f"/{path}", {"filter[name]": display_name})
        floor = self._read_up_to.get(path, 0)
        found = []
        async with contextlib.aclosing(self.client.pages(f"/{path}", {"sort": "-id"})) as pages:
            async for page in pages:
                newer = [r for r in page if int(r["id"]) > floor]
                found += [r for r in newer if attributes(r).get("name") == display_name]
                if len(newer) < len(page):
                    break
        return found

    def _find_newest(self, path: str, where: dict[str, Any]):
        """Looks up the newest object matching the filters (what the lost POST created)."""

        async def find() -> Document | None:
            found = await self.client.list_all(path, where)
            return {"data": max(found, key=lambda r: int(r["id"]))} if found else None

        return find


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


def _owned_by(owner: str) -> Callable[[Resource], bool]:
    return lambda resource: mapping.owner_key(attributes(resource).get("tags")) == owner


def _unowned_other(found: list[Resource], mine: int) -> int | None:
    """The id of an object among `found`, other than `mine`, that no seqops key owns."""
    ids = [
        int(r["id"])
        for r in found
        if int(r["id"]) != mine and mapping.owner_key(attributes(r).get("tags")) is None
    ]
    return min(ids, default=None)


def _raced(live: LiveObject, raced: bool) -> LiveObject:
    live.created_concurrently = raced
    return live


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


def _with_bindings(step: LiveStep, bound: list[tuple[int, int]]) -> LiveStep:
    """`step` recording `bound` (sequenceTemplate id, template id), the oldest as its main."""
    ordered = sorted(bound)
    main, template = ordered[0] if ordered else (None, None)
    step.sequence_template_id, step.template_id = main, template
    others = ordered[1:]
    step.extra_sequence_template_ids = [b for b, _ in others]
    step.extra_template_ids = [t for _, t in others]
    return step


def _updated(resource: Resource) -> str | None:
    return attributes(resource).get("updatedAt")
