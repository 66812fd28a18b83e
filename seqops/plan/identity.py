"""Which live object each manifest is (DESIGN §2): no state file, only tags and names.

- `metadata.id` pins a live object directly (other objects tagged with its key are retired);
- otherwise the live object tagged `seqops:<metadata.name>` (owned) is it; when an interrupted
  replace left two, the highest version is current and the others are superseded;
- a sequence tagged `seqops:<name>--retired` (an older version) that is still enabled is
  `retired_running`: a replace stopped between re-tagging and disabling it;
- a sequence tagged `seqops:<name>--retiring` is `retiring`: an old version that drains
  (`seqops.plan.old_versions` settles it once its prospects are counted);
- *twins*, owned objects of one key with the same display name (two applies that raced before
  creates settled races, or an eventually consistent read): the oldest (lowest id) is kept and
  the others are retired (disabled and re-tagged `seqops:<name>--retired`, never deleted). A
  twin with prospects in it is not retired on a guess: the planner then stops with an error
  naming both ids (pin the one to keep with metadata.id). Same-key objects whose display names
  differ (a copy made in the UI) are an error too;
- otherwise an unowned live object with the manifest's display name is adopted; two candidates
  is an error naming both ids, never a guess;
- rulesets have no tags: they are matched by display name only.
Owned live objects that no manifest claims are orphans (retired by the planner).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from seqops.manifest.models import Resource
from seqops.plan.errors import IdentityError
from seqops.plan.live import is_enabled
from seqops.plan.versions import is_old_version, is_retired, is_retiring, retired_key, version_of
from seqops.providers.base import LiveObject, LiveState


@dataclass
class Match:
    desired: Resource
    live: LiveObject | None
    adopt: bool = False


@dataclass(frozen=True)
class Twin:
    """A live object carrying the same ownership tag as `kept`, the one a manifest matches."""

    key: str
    live: LiveObject
    kept: LiveObject
    pinned: bool = False
    """`kept` was chosen by metadata.id (not by the lowest-id rule)."""


@dataclass
class Matching:
    matches: list[Match] = field(default_factory=list)
    superseded: list[tuple[str, LiveObject]] = field(default_factory=list)
    """(owner key, live object) left behind by an interrupted replace: to retire."""
    twins: list[Twin] = field(default_factory=list)
    """Further live objects owned by a matched key: to retire."""
    orphans: list[LiveObject] = field(default_factory=list)
    retired_running: list[tuple[str, LiveObject]] = field(default_factory=list)
    """(owner key, live sequence) tagged retired but still enabled: to disable."""
    retiring: list[tuple[str, LiveObject]] = field(default_factory=list)
    """(owner key, live sequence) tagged retiring: old versions draining."""

    def older_versions(self, key: str) -> list[LiveObject]:
        """The versions of `key` an interrupted replace left to retire (oldest first)."""
        found = [o for k, o in [*self.superseded, *self.retired_running] if k == key]
        return sorted(found, key=lambda o: (version_of(o.display_name), o.id))


class _Index:
    """The live objects by owner key, display name and id (one pass; lookups are O(1))."""

    def __init__(self, state: LiveState):
        self.owned: dict[tuple[str, str], list[LiveObject]] = defaultdict(list)
        self.named: dict[tuple[str, str], list[LiveObject]] = defaultdict(list)
        self.ids: dict[tuple[str, int], LiveObject] = {}
        for o in state.objects:
            if o.owner is not None:
                self.owned[(o.kind, o.owner)].append(o)
            self.named[(o.kind, o.display_name)].append(o)
            self.ids[(o.kind, o.id)] = o

    def by_id(self, kind: str, id: int) -> LiveObject | None:
        return self.ids.get((kind, id))

    def by_display_name(self, kind: str, name: str) -> list[LiveObject]:
        return self.named.get((kind, name), [])


def match_all(resources: list[Resource], state: LiveState) -> Matching:
    """Match every manifest to its live object; raise IdentityError listing every problem."""
    result, problems, index = Matching(), [], _Index(state)
    for resource in resources:
        try:
            result.matches.append(_match(resource, index, result))
        except IdentityError as error:
            problems += error.problems
    problems += _claimed_twice(result.matches)
    if problems:
        raise IdentityError(problems)
    result.orphans = _orphans(resources, state, result)
    result.retired_running = _old_versions(state, is_retired, running=True)
    result.retiring = _old_versions(state, is_retiring)
    return result


def _old_versions(
    state: LiveState, tagged: Callable[[str | None], bool], running: bool = False
) -> list[tuple[str, LiveObject]]:
    return [
        (retired_key(o.owner), o)
        for o in state.of_kind("Sequence")
        if o.owner is not None and tagged(o.owner) and (is_enabled(o) or not running)
    ]


def _match(resource: Resource, state: _Index, result: Matching) -> Match:
    owned = state.owned.get((resource.kind, resource.name), [])
    if resource.metadata.id is not None:
        pinned = _pinned(resource, resource.metadata.id, state)
        result.twins += [Twin(resource.name, o, pinned, True) for o in owned if o is not pinned]
        return Match(resource, pinned, adopt=resource.kind != "Ruleset" and pinned.owner is None)
    if resource.kind == "Ruleset":
        return Match(resource, _one(resource, state.by_display_name("Ruleset", _display(resource))))
    if owned:
        current, twins = _current(resource, owned)
        result.twins += [Twin(resource.name, o, current) for o in twins]
        older = [o for o in owned if version_of(o.display_name) < version_of(current.display_name)]
        result.superseded += [(resource.name, o) for o in older]
        return Match(resource, current)
    if resource.absent:
        return Match(resource, None)  # only owned objects are ever retired
    candidates = [
        o for o in state.by_display_name(resource.kind, _display(resource)) if o.owner is None
    ]
    live = _one(resource, candidates)
    return Match(resource, live, adopt=live is not None)


def _pinned(resource: Resource, id: int, state: _Index) -> LiveObject:
    live = state.by_id(resource.kind, id)
    where = f"{resource.kind}/{resource.name}"
    if live is None:
        raise IdentityError(
            [
                f"{where}: metadata.id {id} does not exist in the target; remove metadata.id to create it"
            ]
        )
    if live.owner not in (None, resource.name):
        raise IdentityError(
            [
                f"{where}: metadata.id {live.id} is owned by seqops:{live.owner}, not by this manifest"
            ]
        )
    return live


def _one(resource: Resource, candidates: list[LiveObject]) -> LiveObject | None:
    if len(candidates) > 1:
        ids = ", ".join(str(c.id) for c in sorted(candidates, key=lambda c: c.id))
        raise IdentityError(
            [
                f"{resource.kind}/{resource.name}: {len(candidates)} live objects are named "
                f"{_display(resource)!r} (ids {ids}); pin one with metadata.id"
            ]
        )
    return candidates[0] if candidates else None


def _current(resource: Resource, owned: list[LiveObject]) -> tuple[LiveObject, list[LiveObject]]:
    """The highest version among objects owned by one key (see seqops.plan.versions), and its
    twins: the other objects of that version, kept only when they bear the same display name."""
    top = max(version_of(o.display_name) for o in owned)
    newest = sorted((o for o in owned if version_of(o.display_name) == top), key=lambda o: o.id)
    if len({o.display_name for o in newest}) > 1:
        ids = ", ".join(str(o.id) for o in sorted(owned, key=lambda o: o.id))
        raise IdentityError(
            [
                f"{resource.kind}/{resource.name}: live objects {ids} are all tagged "
                f"seqops:{resource.name}; pin the right one with metadata.id or untag the others"
            ]
        )
    return newest[0], newest[1:]


def _claimed_twice(matches: list[Match]) -> list[str]:
    claims: dict[tuple[str, int], list[str]] = {}
    for m in matches:
        if m.live is not None:
            claims.setdefault((m.live.kind, m.live.id), []).append(m.desired.name)
    return [
        f"{kind} id {id} is claimed by several manifests: {', '.join(sorted(names))}"
        for (kind, id), names in sorted(claims.items())
        if len(names) > 1
    ]


def _orphans(resources: list[Resource], state: LiveState, result: Matching) -> list[LiveObject]:
    claimed = {(m.live.kind, m.live.id) for m in result.matches if m.live}
    claimed |= {(o.kind, o.id) for _, o in result.superseded}
    claimed |= {(t.live.kind, t.live.id) for t in result.twins}
    keys = {r.key for r in resources}
    return [
        o
        for o in state.objects
        if o.owner is not None
        and not is_old_version(o.owner)
        and (o.kind, o.owner) not in keys
        and (o.kind, o.id) not in claimed
    ]


def _display(resource: Resource) -> str:
    return str(getattr(resource, "display_name", resource.name))
