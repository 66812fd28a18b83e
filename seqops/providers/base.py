"""The interface between the planner/executor and a live account.

A Provider reads the whole account into manifest terms (`LiveState`) and performs single writes
in manifest terms. It knows the API; the planner knows nothing of JSON:API.

Normalisation rules every provider follows, so a fresh apply re-plans to zero changes:
- a live object becomes the same pydantic model a manifest produces (`seqops.manifest.models`),
  with server-owned fields (ids, counters, timestamps, step displayName, ...) stripped;
- `metadata.name` is the ownership key from the `seqops:<name>` tag when owned, otherwise a
  slug of the display name (collisions get `-<id>`); `metadata.id` is always the live id;
- the ownership tag itself is removed from `spec.tags`;
- references are written the way a manifest writes them: a step's `template` and a sequence's
  `ruleset` are the referenced live object's `metadata.name` (as computed above), `owner` is the
  user's email, a step's `priority` and a ruleset's stages/priorities are names;
- durations are seconds; a step of an interval sequence always carries `wait` (0 for none).
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from pydantic import Field, TypeAdapter

from seqops.manifest.models import Ruleset, Sequence, Step, Template

OWNERSHIP_TAG_PREFIX = "seqops:"

LiveResource = Sequence | Template | Ruleset
"""What an Outreach account holds, in manifest terms (automation rules live in Coefficy and
are read as its sequence actions, never as live objects)."""

live_resource_adapter: TypeAdapter[LiveResource] = TypeAdapter(
    Annotated[LiveResource, Field(discriminator="kind")]
)
"""Reads a live object's manifest back from a plan file."""


def ownership_tag(name: str) -> str:
    return f"{OWNERSHIP_TAG_PREFIX}{name}"


@dataclass(frozen=True)
class Results:
    """What the account already counts for a step or a template (its `deliverCount`,
    `openCount`, `clickCount`, `replyCount`... read with it, never asked for separately): what
    a reviewer weighs before changing or removing it."""

    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    bounced: int = 0

    @property
    def counted(self) -> bool:
        return any((self.delivered, self.opened, self.clicked, self.replied, self.bounced))

    @classmethod
    def from_json(cls, data: dict | None) -> Results | None:
        return None if data is None else cls(**data)


@dataclass
class LiveStep:
    """Server identity of one sequence step and of the sequenceTemplates binding its templates:
    the main one, then `extra_*` (its other A/B variants, and any duplicate binding of a
    template; `seqops.providers.bindings` tells them apart)."""

    id: int
    order: int
    updated_at: str | None = None
    sequence_template_id: int | None = None
    template_id: int | None = None
    extra_sequence_template_ids: list[int] = field(default_factory=list)
    """Further sequenceTemplates binding this step: other variants, or a racing apply's
    duplicate of a binding (which the planner repairs)."""
    extra_template_ids: list[int | None] = field(default_factory=list)
    """The templates those extra bindings send, parallel to `extra_sequence_template_ids`."""
    unreadable_template_ids: list[int] = field(default_factory=list)
    """Templates bound to the step that the account's template list does not show: they are
    not part of the model and never unbound, but the plan says they are there."""
    results: Results | None = None
    """Deliveries, opens and replies the account counts for this step (None: not read)."""

    def to_json(self) -> dict:
        """The step as a plan file saves it (`results` only when the account counted some)."""
        data = dataclasses.asdict(self)
        counted = self.results is not None and self.results.counted
        return data if counted else {k: v for k, v in data.items() if k != "results"}

    @classmethod
    def from_json(cls, data: dict) -> LiveStep:
        """A step as `dataclasses.asdict` saved it in a plan file."""
        return cls(**{**data, "results": Results.from_json(data.get("results"))})

    def bindings(self) -> list[tuple[int, int | None]]:
        """Every (sequenceTemplate id, template id) of the step, oldest binding first."""
        extra = zip(self.extra_sequence_template_ids, self.extra_template_ids, strict=True)
        current = (
            []
            if self.sequence_template_id is None
            else [(self.sequence_template_id, self.template_id)]
        )
        return sorted([*current, *extra])


@dataclass
class LiveObject:
    """One live sequence, template or ruleset, in manifest terms plus its server identity."""

    resource: LiveResource
    id: int
    updated_at: str | None = None
    owner: str | None = None
    """The metadata.name from the ownership tag; None when the object is not owned (adoptable)."""
    steps: list[LiveStep] = field(default_factory=list)
    """Sequences only: one per step, in `order`, parallel to `resource.spec.steps`."""
    results: Results | None = None
    """Templates: deliveries, opens and replies the account counts for it (None: not read)."""

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def display_name(self) -> str:
        return self.resource.display_name

    @property
    def sequence(self) -> Sequence:
        """The manifest of a live sequence; asking it of another kind is a caller's bug."""
        if not isinstance(self.resource, Sequence):
            raise TypeError(f"{self.kind} {self.id} is not a sequence")
        return self.resource


@dataclass
class LiveState:
    """Everything the planner needs from the account, read in a minimal number of list pages."""

    objects: list[LiveObject] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)
    """email -> user id"""
    stages: dict[str, int] = field(default_factory=dict)
    """stage name -> id"""
    task_priorities: dict[str, int] = field(default_factory=dict)
    """task priority name -> id"""
    now: datetime | None = None
    """The account's time when it was read (a sandbox's clock may run ahead), if it said."""

    def __repr__(self) -> str:
        # Short on purpose: asyncio (3.11) reprs a finished task's result, and the full repr
        # of a large account is tens of megabytes.
        return f"LiveState({len(self.objects)} objects)"

    def of_kind(self, kind: str) -> list[LiveObject]:
        return [o for o in self.objects if o.kind == kind]

    def owned(self, kind: str, name: str) -> LiveObject | None:
        return next((o for o in self.of_kind(kind) if o.owner == name), None)

    def by_display_name(self, kind: str, display_name: str) -> list[LiveObject]:
        return [o for o in self.of_kind(kind) if o.display_name == display_name]

    def by_id(self, kind: str, id: int) -> LiveObject | None:
        return next((o for o in self.of_kind(kind) if o.id == id), None)


@dataclass(frozen=True)
class SequenceImpact:
    """The prospects of one live sequence that a Template or Ruleset change reaches."""

    id: int
    name: str
    active: int = 0
    paused: int = 0


@dataclass(frozen=True)
class RateBudget:
    """The API's request budget as its latest answer said it (the hourly window's)."""

    limit: int
    remaining: int
    resets_in: float
    """Seconds until the window resets (0 when the server gave no time)."""


@dataclass(frozen=True)
class Impact:
    """Prospects currently in a sequence: what a change to it disrupts. For a Template or
    Ruleset change, the sum over the live sequences that use it (`sequences`: those with
    prospects in them)."""

    active: int = 0
    paused: int = 0
    pending: int = 0
    """Enrolled in a disabled sequence, waiting: enabling it starts sending to them."""
    sequences: tuple[SequenceImpact, ...] = ()
    at_least: bool = False
    """The API capped a count (`count_truncated`): the figures are lower bounds."""
    at_steps: tuple[int | None, ...] = field(default=(), compare=False)
    """The live step ids the active prospects wait at (None for any not known): how long
    they have left (`seqops.plan.cadence`). Not saved in plans."""

    @property
    def total(self) -> int:
        """Prospects a change to the sequence moves or sends other content to."""
        return self.active + self.paused

    @property
    def enrolled(self) -> int:
        """Every prospect still in the sequence, pending ones included."""
        return self.total + self.pending

    def __str__(self) -> str:
        """`3 active, 1 paused prospects` (`, 2 pending` when any; `via` the sequences)."""
        text = "at least " if self.at_least else ""
        text += f"{self.active} active, {self.paused} paused"
        text += f", {self.pending} pending prospects" if self.pending else " prospects"
        if self.sequences:
            via = ", ".join(f"{s.name!r} ({_counts(s.active, s.paused)})" for s in self.sequences)
            text += f" via {via}"
        return text


def _counts(active: int, paused: int) -> str:
    return f"{active} active" + (f", {paused} paused" if paused else "")


@dataclass
class Ids:
    """Manifest names resolved to live ids, for writes. The executor adds what it creates."""

    templates: dict[str, int] = field(default_factory=dict)
    rulesets: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)
    task_priorities: dict[str, int] = field(default_factory=dict)


class ProviderError(Exception):
    """A write or read the API refused; the message is safe to print (no token, one line)."""

    field: tuple[str | int, ...] | None = None
    """The manifest field the refusal points at (a 422's `source.pointer`), when known."""


class Unreachable(ProviderError):
    """The target kept refusing connections or failing (circuit breaker open): the run stops
    and every change not yet started is reported not attempted."""


class StaleError(ProviderError):
    """The live object changed since the plan was made (its updatedAt moved)."""


@dataclass(frozen=True)
class Settled:
    """How a create of this run ended once the races of its phase were settled: `kept` is
    the id to use (another apply's when it created the object first), `error` set when the
    create must count as failed (its object was deleted again)."""

    kind: str
    name: str
    created: int
    kept: int
    error: ProviderError | None = None

    @property
    def raced(self) -> bool:
        """A concurrent apply created it first: its copy is kept, ours is gone."""
        return self.error is None and self.kept != self.created


class Provider(ABC):
    """A live account seqops can read and write. Implementations: outreach (and the sandbox)."""

    description: str = ""
    """Names the target plainly for the first line of every plan and apply."""

    @abstractmethod
    async def read(self) -> LiveState:
        """The whole account: templates, rulesets, sequences with steps, users, stages, priorities."""

    @abstractmethod
    async def impact(self, sequence_ids: list[int]) -> dict[int, Impact]:
        """Active/paused prospect counts per sequence: one `meta.count` request per sequence."""

    @abstractmethod
    async def updated_at(self, kind: str, id: int) -> str | None:
        """The live object's current updatedAt, for the stale-plan check before a write."""

    @abstractmethod
    async def create_template(self, template: Template) -> LiveObject:
        """Create with the ownership tag `seqops:<name>`. Whether another apply created the
        same object first is known once the phase is settled (`settle`); same for rulesets
        (by name) and sequences."""

    @abstractmethod
    async def update_template(self, live: LiveObject, template: Template, owner: str) -> LiveObject:
        """Write the managed fields (and the ownership tag for `owner`, adopting if needed)."""

    @abstractmethod
    async def create_ruleset(self, ruleset: Ruleset, ids: Ids) -> LiveObject: ...

    @abstractmethod
    async def update_ruleset(self, live: LiveObject, ruleset: Ruleset, ids: Ids) -> LiveObject: ...

    @abstractmethod
    async def create_sequence(self, sequence: Sequence, ids: Ids) -> LiveObject:
        """Create the sequence alone (tagged, disabled, no steps): steps are separate writes, so
        a crash in between leaves an owned sequence that the next plan completes, never a twin."""

    @abstractmethod
    async def update_sequence(
        self, live: LiveObject, sequence: Sequence, ids: Ids, owner: str
    ) -> LiveObject:
        """Write the managed sequence attributes (not steps, not `enabled`) and ownership tag."""

    @abstractmethod
    async def create_step(self, sequence_id: int, order: int, step: Step, ids: Ids) -> LiveStep:
        """Create the step and, for email steps, a sequenceTemplate per template it sends."""

    @abstractmethod
    async def update_step(self, live: LiveStep, step: Step, ids: Ids) -> LiveStep:
        """Patch the step; bind and unbind its templates so that exactly one sequenceTemplate
        binds each of the step's variants (`seqops.providers.bindings`)."""

    @abstractmethod
    async def set_enabled(self, sequence_id: int, enabled: bool) -> None:
        """POST /sequences/{id}/actions/enable or /disable."""

    @abstractmethod
    async def delete(self, kind: str, id: int) -> None:
        """Delete a sequence, template or ruleset (the executor checks it is safe first)."""

    def rate_budget(self) -> RateBudget | None:
        """The request budget the API reported last (None: it reports none)."""
        return None

    async def settle(self) -> list[Settled]:
        """Settle the races of the creates made since the last call: the executor calls it
        after each phase. Another apply may have created the same object meanwhile (no lock
        server): the lowest id of one identity wins for every racer, the loser deletes its
        own copy. Providers whose creates settle themselves (or cannot race) return []."""
        return []

    async def aclose(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release connections."""
