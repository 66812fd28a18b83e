"""Racing applies, settled without a lock server and without a lookup per create.

Two applies planned from the same account both create the same objects. Each create is
recorded here; after each phase of an apply (`OutreachProvider.settle`) one listing per
collection reads every object created since the account was read (`filter[id]=N..inf`, N the
highest id the read saw) and settles each create: when another object of the same identity
(ownership tag; a ruleset's name) has a lower id, ours is deleted (nothing points at it yet)
and the older one is kept. The lowest id wins for every racer, so they agree without talking
to each other. A create that finds, next to its copy, an *unowned* object of its name that was
made since the plan is refused as stale (the plan would have adopted it): its copy is deleted.

A saved plan applied without reading the account has no such N: its creates are looked up by
name instead (`filter[name]=a,b,...`, a few names a request; a name with a comma, which the
API reads as "either name", by scanning the newest objects).

Steps of a sequence this run created and kept cannot race (a racer that lost leaves them to
the winner), so their templates' bindings need no settling; a binding made on an existing step
(a step another apply may be writing too) is settled like an object, per step, after its
phase: the lowest id of one (step, template) pair wins.
"""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from seqops.providers.base import ProviderError, Settled, StaleError
from seqops.providers.outreach import mapping
from seqops.providers.outreach.client import ApiError, JsonApiClient
from seqops.providers.outreach.records import SHAPES, Reader, Record

log = logging.getLogger("seqops.providers.outreach")

PATHS = {"Sequence": "sequences", "Template": "templates", "Ruleset": "rulesets"}
TYPES = {"Sequence": "sequence", "Template": "template", "Ruleset": "ruleset"}
NAMES_PER_REQUEST = 40
"""Names one `filter[name]=` lookup carries (the URL stays well under any server's limit)."""
STEPS_PER_REQUEST = 100


@dataclass(frozen=True)
class Created:
    """A create of this run, not yet settled."""

    kind: str
    name: str
    """The manifest name: the ownership key (templates, sequences) or the ruleset's name."""
    display_name: str
    id: int

    @property
    def owned(self) -> bool:
        return self.kind != "Ruleset"

    def same(self, record: Record) -> bool:
        """`record` is this object: same name and, for owned kinds, same ownership key."""
        if record.get("name") != self.display_name:
            return False
        return not self.owned or mapping.owner_key(record.get("tags")) == self.name


@dataclass(frozen=True)
class Binding:
    step: int
    template: int
    id: int


class Races:
    """The creates of one provider's run and how they settle."""

    def __init__(self, client: JsonApiClient, read_up_to: dict[str, int]) -> None:
        self.client = client
        self.read_up_to = read_up_to
        """Highest id per collection when the account was read: what was created later is
        above it (ours, a racer's, or one made by hand since)."""
        self.pending: list[Created] = []
        self.bindings: list[Binding] = []
        self.fresh: set[int] = set()
        """Sequences created and kept since the account was last read (by this run's apply):
        their steps cannot race. A read starts a new plan: it forgets them."""

    def created(self, kind: str, name: str, display_name: str, id: int) -> None:
        self.pending.append(Created(kind, name, display_name, id))

    def bound(self, sequence_id: int | None, step: int, template: int, id: int) -> None:
        if sequence_id not in self.fresh:
            self.bindings.append(Binding(step, template, id))

    async def settle(self) -> list[Settled]:
        pending, self.pending = self.pending, []
        by_kind: dict[str, list[Created]] = defaultdict(list)
        for created in pending:
            by_kind[created.kind].append(created)
        settled = []
        for kind, creates in by_kind.items():
            settled += await self._settled_or_failed(kind, creates)
        await self._settle_bindings()
        return settled

    async def _settled_or_failed(self, kind: str, creates: list[Created]) -> list[Settled]:
        """Each create settled; when the listing itself fails, each create failed with it
        (its object stays, owned: the next plan completes it)."""
        try:
            found = await self._made_since_read(kind, [c.display_name for c in creates])
        except ProviderError as exc:
            return [Settled(c.kind, c.name, c.id, c.id, exc) for c in creates]
        return [await self._one(c, found) for c in creates]

    async def _one(self, created: Created, found: list[Record]) -> Settled:
        named = [r for r in found if r.get("name") == created.display_name]
        try:
            if created.owned:
                await self._refuse_intruder(created, named)
            older = [r.id for r in named if r.id < created.id and created.same(r)]
            if older:
                log.info("%s %r: another apply created it first (id %s)", created.kind,
                         created.display_name, min(older))  # fmt: skip
                await self.delete(created.kind, created.id)
                return Settled(created.kind, created.name, created.id, min(older))
        except ProviderError as exc:
            return Settled(created.kind, created.name, created.id, created.id, exc)
        if created.kind == "Sequence":
            self.fresh.add(created.id)
        return Settled(created.kind, created.name, created.id, created.id)

    async def _refuse_intruder(self, created: Created, named: list[Record]) -> None:
        """An unowned object of this name made since the plan: the plan would have adopted
        it. Our fresh copy goes; the create fails as stale."""
        unowned = [
            r.id for r in named if r.id != created.id and mapping.owner_key(r.get("tags")) is None
        ]
        if not unowned:
            return
        await self.delete(created.kind, created.id)
        raise StaleError(
            f"stale: a {created.kind.lower()} named {created.display_name!r} (id {min(unowned)}) "
            "was made since the plan; re-plan (it will be adopted, not duplicated)"
        )

    async def delete(self, kind: str, id: int) -> None:
        """Delete our fresh copy (gone already is fine: a retried DELETE)."""
        try:
            await self.client.delete(f"/{PATHS[kind]}/{id}")
        except ApiError as exc:
            if not exc.gone:
                raise

    # --- the listings ---------------------------------------------------------------------

    async def _made_since_read(self, kind: str, names: list[str]) -> list[Record]:
        """The objects of `kind` an apply's creates can have to reckon with: those created
        since the account was read (one listing), or, without a read, those of the names."""
        path, type_name = PATHS[kind], TYPES[kind]
        fields = {f"fields[{type_name}]": "name,tags" if kind != "Ruleset" else "name"}
        floor = self.read_up_to.get(path)
        if floor is not None:
            params = {**fields, "filter[id]": f"{floor + 1}..inf"}
            return await self.listed(path, params)
        plain = sorted({n for n in names if "," not in n})
        found = []
        for start in range(0, len(plain), NAMES_PER_REQUEST):
            chunk = plain[start : start + NAMES_PER_REQUEST]
            found += await self.listed(path, {**fields, "filter[name]": ",".join(chunk)})
        for name in sorted({n for n in names if "," in n}):
            found += await self.newest_named(path, name, 0)
        return found

    async def listed(self, path: str, params: dict[str, Any]) -> list[Record]:
        """Every object of a filtered listing, each checked and read as a record."""
        reader = Reader(SHAPES[_type_of(path)], path, f"GET /{path}")
        return await self.client.list_all(f"/{path}", params, reader)

    async def named(self, path: str, display_name: str) -> list[Record]:
        """The objects named exactly `display_name`: by `filter[name]`, or for a name with a
        comma the objects created since the read (all of them without one), newest first."""
        if "," not in display_name:
            return await self.listed(path, {"filter[name]": display_name})
        return await self.newest_named(path, display_name, self.read_up_to.get(path, 0))

    async def newest_named(self, path: str, display_name: str, floor: int) -> list[Record]:
        reader = Reader(SHAPES[_type_of(path)], path, f"GET /{path}")
        found = []
        pages = self.client.pages(f"/{path}", {"sort": "-id"})
        async with contextlib.aclosing(pages):
            async for page in pages:
                records = [reader(r) for r in page]
                newer = [r for r in records if r.id > floor]
                found += [r for r in newer if r.get("name") == display_name]
                if len(newer) < len(records):
                    break
        return found

    # --- bindings -------------------------------------------------------------------------

    async def _settle_bindings(self) -> None:
        """Two applies binding one template to one existing step: the lowest id wins, the
        other binding goes (a failure leaves both: the next plan sees the step bound twice)."""
        pending, self.bindings = self.bindings, []
        steps = sorted({b.step for b in pending})
        listed: list[Record] = []
        try:
            for start in range(0, len(steps), STEPS_PER_REQUEST):
                ids = ",".join(map(str, steps[start : start + STEPS_PER_REQUEST]))
                listed += await self.listed("sequenceTemplates", {"filter[sequenceStep][id]": ids})
            for binding in pending:
                await self._settle_binding(binding, listed)
        except ProviderError as exc:
            log.warning("templates bound by another apply at once were not settled: %s", exc)

    async def _settle_binding(self, binding: Binding, listed: list[Record]) -> None:
        same = [
            r.id
            for r in listed
            if r.related("sequenceStep") == binding.step
            and r.related("template") == binding.template
        ]
        older = [id for id in same if id < binding.id]
        if older:
            await self.unbind(binding.id)

    async def unbind(self, sequence_template_id: int) -> None:
        try:
            await self.client.delete(f"/sequenceTemplates/{sequence_template_id}")
        except ApiError as exc:
            if not exc.gone:
                raise


def _type_of(path: str) -> str:
    """`templates` -> `template`, `sequenceTemplates` -> `sequenceTemplate`."""
    return path[:-1]
