"""Steps and the templates bound to them (sequenceTemplates), written idempotently.

A step create refused because its order is taken (another apply wrote it first) reconciles the
step found there to the manifest (a no-op patch when it is the same). A step is bound to exactly
its templates, one sequenceTemplate each: the missing ones are made first, so the step is never
left without a template, then the others go. A binding made on a step another apply may be
writing too is settled after its phase (`races`); a lost POST answer is recovered by looking for
what it made, never by posting twice.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from seqops.manifest.models import Step
from seqops.providers.base import Ids, LiveStep
from seqops.providers.bindings import reconcile_bindings
from seqops.providers.outreach import mapping, pointers, records
from seqops.providers.outreach.client import ApiError, JsonApiClient
from seqops.providers.outreach.races import Races
from seqops.providers.outreach.recover import newest

log = logging.getLogger("seqops.providers.outreach")


class StepWriter:
    def __init__(self, client: JsonApiClient, races: Races) -> None:
        self.client, self.races = client, races

    async def create(self, sequence_id: int, order: int, step: Step, ids: Ids) -> LiveStep:
        body = mapping.step_document(step, ids, sequence_id=sequence_id, order=order)
        where = {"filter[sequence][id]": sequence_id, "filter[order]": order}
        recover = newest(self.races, "sequenceSteps", where)
        try:
            created = await self.client.post("/sequenceSteps", body, recover=recover)
        except ApiError as exc:
            if exc.status != 422:
                raise
            return await self._reconcile(where, order, step, ids, located(exc, order))
        record = records.answered(created, "sequenceStep", "POST /sequenceSteps")
        live = LiveStep(record.id, order, record.get("updatedAt"))
        bound = [
            (await self._bind(live, template_id, step.isReply, sequence_id), template_id)
            for template_id in template_ids(step, ids)
        ]
        return with_bindings(live, bound)

    async def _reconcile(
        self, where: dict[str, Any], order: int, step: Step, ids: Ids, refused: ApiError
    ) -> LiveStep:
        """A step create refused (422) while a step holds that order: another apply wrote it
        first. That step is made the one the manifest says (same content: a no-op patch)."""
        found = await self.races.listed("sequenceSteps", where)
        if not found:
            raise refused
        record = min(found, key=lambda r: r.id)
        live = LiveStep(record.id, order, record.get("updatedAt"))
        log.info("step %s at order %s was written by another apply: reconciled", live.id, order)
        listed = await self.races.listed("sequenceTemplates", {"filter[sequenceStep][id]": live.id})
        bound = sorted(
            (b.id, template) for b in listed if (template := b.related("template")) is not None
        )
        return await self.update(with_bindings(live, bound), step, ids)

    async def update(self, live: LiveStep, step: Step, ids: Ids) -> LiveStep:
        """Patch the step and bind exactly its templates, one sequenceTemplate each (others
        go). A step stops being an email step only once its bindings are gone (the API
        refuses the type change before)."""
        wanted = template_ids(step, ids)
        result = dataclasses.replace(live, extra_sequence_template_ids=[], extra_template_ids=[])
        if not wanted:
            for binding, _ in live.bindings():
                await self.races.unbind(binding)
            result.sequence_template_id = result.template_id = None
        try:
            updated = await self.client.patch(
                f"/sequenceSteps/{live.id}", mapping.step_document(step, ids, id=live.id)
            )
        except ApiError as exc:
            raise located(exc, live.order) from None
        result.updated_at = records.answered(updated, "sequenceStep", "PATCH /sequenceSteps").get(
            "updatedAt"
        )
        if wanted:
            await self._rebind(live, result, wanted, step.isReply)
        return result

    async def _rebind(
        self, live: LiveStep, result: LiveStep, wanted: list[int], is_reply: bool
    ) -> None:
        """One binding per wanted template: existing ones kept (isReply set), the missing
        ones made first, then every other binding goes (`reconcile_bindings`)."""
        changes = reconcile_bindings(live, wanted)
        bound: list[tuple[int, int]] = []
        for template_id, binding in changes.keep.items():
            body = mapping.document("sequenceTemplate", {"isReply": is_reply}, id=binding)
            await self.client.patch(f"/sequenceTemplates/{binding}", body)
            bound.append((binding, template_id))
        for template_id in changes.create:
            bound.append((await self._bind(live, template_id, is_reply, None), template_id))
        for binding in changes.delete:
            await self.races.unbind(binding)
        with_bindings(result, bound)

    async def _bind(
        self, step: LiveStep, template_id: int, is_reply: bool, sequence_id: int | None
    ) -> int:
        """A new sequenceTemplate binding `template_id` to the step: its id."""
        body = mapping.sequence_template_document(step.id, template_id, is_reply)
        where = {"filter[sequenceStep][id]": step.id, "filter[template][id]": template_id}
        recover = newest(self.races, "sequenceTemplates", where)
        try:
            created = await self.client.post("/sequenceTemplates", body, recover=recover)
        except ApiError as exc:
            raise located(exc, step.order) from None
        binding = records.answered(created, "sequenceTemplate", "POST /sequenceTemplates").id
        self.races.bound(sequence_id, step.id, template_id, binding)
        return binding


def located(refusal: ApiError, order: int) -> ApiError:
    """A refusal of a step write, knowing the step field a 422 points at."""
    return pointers.located(refusal, "Sequence", order)


def template_ids(step: Step, ids: Ids) -> list[int]:
    if not step.is_email:
        return []
    return [mapping.resolve(ids.templates, t, "template", None) for t in step.variants]


def with_bindings(step: LiveStep, bound: list[tuple[int, int]]) -> LiveStep:
    """`step` recording `bound` (sequenceTemplate id, template id), the oldest as its main."""
    ordered = sorted(bound)
    main, template = ordered[0] if ordered else (None, None)
    step.sequence_template_id, step.template_id = main, template
    others = ordered[1:]
    step.extra_sequence_template_ids = [b for b, _ in others]
    step.extra_template_ids = [t for _, t in others]
    return step
