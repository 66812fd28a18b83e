"""Finishing a draft once the prospects are counted: impacts, fates, plain words, the owned
state the safety rules count.

- every change that touches a sequence gets its impact (a Template or Ruleset change, the sum
  over the sequences that use it);
- a replace learns what becomes of its old version (`seqops.plan.retiring`), shown in its
  diff as `old_version.*` entries and said in its reason;
- old versions are settled (`seqops.plan.old_versions`): retired when empty, listed in the
  plan's `draining` while people are in them;
- a delete of a sequence with prospects becomes a disable; a twin with prospects is an error;
- enables and disables say what they do to the people in the sequence;
- the owned state counted by the too-many-updates rule is the one before the interrupted run
  being completed, if any: sequences under construction (created but not finished, nobody in
  them) and the templates only they send are not counted, nor their completion as updates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from seqops.plan.changes import (
    CARRIED,
    REFERENCED_KINDS,
    Change,
    Create,
    Disable,
    Enable,
    Replace,
    Update,
)
from seqops.plan.diff import FieldDiff
from seqops.plan.errors import IdentityError
from seqops.plan.live import is_enabled
from seqops.plan.old_versions import abandoned, finishes_by, outcome_diff
from seqops.plan.plan import Plan
from seqops.plan.retiring import Draining, Outcome, fate_of, started_words, stopped_words
from seqops.providers.base import Impact, SequenceImpact

IMPACT_ACTIONS = {"update", "adopt", "replace", "disable", "delete", "enable"}


def counted_sequences(plan: Plan) -> list[int]:
    """The live sequences whose prospects the plan must count (one request each)."""
    ids = {c.live.id for c in plan.changes if needs_impact(c)}
    ids |= {id for c in plan.changes if carries_impact(c) for id, _ in c.carriers}
    ids |= {o.live.id for o in plan.old_versions}
    ids |= {c.live.id for c in plan.abandoned}
    return sorted(ids)


def finish(draft: Plan, impacts: dict[int, Impact], now: dt.datetime | None = None) -> Plan:
    """`draft` with its impacts, fates and words (see the module)."""
    now = now or dt.datetime.now(dt.UTC)
    changes: list[Change] = []
    for change in draft.changes:
        change.impact = impact_of(change, impacts)
        changes += _safe_delete(change)
    draining: list[Draining] = []
    for old in draft.old_versions:
        settled = old.settle(impacts.get(old.live.id, Impact()), now)
        for change in settled.changes:
            change.impact = impacts.get(old.live.id, Impact())
        changes += settled.changes
        draining += [settled.draining] if settled.draining else []
    for retired in draft.abandoned:
        changes += abandoned(
            retired.live, retired.name, retired.reason or "", impacts.get(retired.live.id, Impact())
        )
    problems = [_busy_twin(c) for c in changes if _is_busy_twin(c)]
    if problems:
        raise IdentityError(problems)
    for change in changes:
        _say(change, now)
    draft.changes = sorted(changes)
    draft.draining = sorted(draining, key=lambda d: (d.name, d.id))
    draft.owned_resources -= len(under_construction(draft))
    draft.old_versions, draft.abandoned = [], []
    return draft


def needs_impact(change: Change) -> bool:
    return change.kind == "Sequence" and change.action in IMPACT_ACTIONS and change.id is not None


def carries_impact(change: Change) -> bool:
    """A Template or Ruleset change whose new content reaches the sequences that use it."""
    return change.kind in REFERENCED_KINDS and change.action in CARRIED


def impact_of(change: Change, impacts: dict[int, Impact]) -> Impact | None:
    if carries_impact(change):
        return carried(change.carriers, impacts)
    if needs_impact(change):
        return impacts.get(change.live.id, Impact())
    return None


def carried(carriers: Iterable[tuple[int, str]], impacts: dict[int, Impact]) -> Impact:
    """The prospects of every sequence that uses the template or ruleset, summed; the
    sequences that have any are named."""
    reached = [
        SequenceImpact(id, name, impacts[id].active, impacts[id].paused)
        for id, name in carriers
        if id in impacts and impacts[id].total
    ]
    return Impact(
        active=sum(s.active for s in reached),
        paused=sum(s.paused for s in reached),
        sequences=tuple(sorted(reached, key=lambda s: (s.name, s.id))),
    )


def settle_replace(change: Replace, now: dt.datetime) -> None:
    """What becomes of the old version, by its prospects: in the diff and the reason."""
    live, impact = change.live, change.impact or Impact()
    was = is_enabled(live)
    fate = fate_of(
        impact, enabled=was, on_replace=change.on_replace, want_enabled=change.enable_new
    )
    outcome = Outcome.of(fate, change.name, live.display_name, was, finishes_by(live, impact, now))
    change.outcome = outcome
    change.diff = [d for d in change.diff if not d.path.startswith("old_version.")]
    change.diff += [
        FieldDiff(f"old_version.{d.path}", d.old, d.new) for d in outcome_diff(live, outcome)
    ]
    change.reason = (
        f"{change.reason}; {outcome.says(impact)}" if change.reason else outcome.says(impact)
    )


def _say(change: Change, now: dt.datetime) -> None:
    """Plain words on what an enable, disable or replace does to the people in it."""
    if isinstance(change, Replace):
        return settle_replace(change, now)
    impact = change.impact
    if impact is None or change.kind != "Sequence" or change.old_version:
        return
    if isinstance(change, Enable) and impact.pending:
        change.warnings.append(started_words(impact))
    if isinstance(change, Disable) and impact.total and change.retire_as is None:
        change.warnings.append(f"disabled, no step fires for anyone in it: {stopped_words(impact)}")


def under_construction(plan: Plan) -> set[tuple[str, str]]:
    """(kind, key) of the owned objects an interrupted run created and the plan completes:
    sequences whose only changes append steps to them or enable them (nobody in them: a
    disabled sequence that only gets enabled is counted so too), and
    templates that only such sequences send (or nothing live yet, and a sequence this plan
    creates or completes)."""
    by_key: dict[str, list[Change]] = {}
    for change in plan.changes:
        if change.kind == "Sequence":
            by_key.setdefault(change.name, []).append(change)
    building = {key for key, changes in by_key.items() if _building(changes)}
    new = building | _created(plan)
    sent = {t for c in plan.changes if c.kind == "Sequence" and c.name in new for t in _sends(c)}
    templates = {
        name
        for name, senders in plan.template_senders.items()
        if name in sent and senders <= building
    }
    return {("Sequence", k) for k in building} | {("Template", t) for t in templates}


def _building(changes: list[Change]) -> bool:
    """Appends steps to a disabled sequence nobody is in, or enables it, and nothing else:
    what a create or replace stopped before its end leaves to do."""
    return all(_completes(c) or _first_enable(c) for c in changes)


def _completes(change: Change) -> bool:
    return (
        isinstance(change, Update)
        and change.completes_create
        and change.impact is not None
        and not change.impact.enrolled
    )


def _first_enable(change: Change) -> bool:
    nobody = change.impact is None or not change.impact.enrolled
    return isinstance(change, Enable) and not change.old_version and nobody


def _created(plan: Plan) -> set[str]:
    return {c.name for c in plan.changes if isinstance(c, Create) and c.kind == "Sequence"}


def _sends(change: Change) -> set[str]:
    desired = change.desired
    steps = getattr(getattr(desired, "spec", None), "steps", None) or []
    return {t for step in steps for t in step.variants}


def _is_busy_twin(change: Change) -> bool:
    return (
        isinstance(change, Disable)
        and change.twin_of is not None
        and change.impact is not None
        and change.impact.total > 0
    )


def _busy_twin(change: Change) -> str:
    assert isinstance(change, Disable) and change.impact is not None
    impact = change.impact
    return (
        f"{change.kind}/{change.name}: live sequences {change.twin_of} and {change.id} are both "
        f"tagged seqops:{change.name} and {change.id} has {impact.active} active and "
        f"{impact.paused} paused prospects; pin the one to keep with metadata.id "
        "(the other is then retired)"
    )


def _safe_delete(change: Change) -> list[Change]:
    """A sequence with prospects is never deleted: disabled instead (when it runs), or, when
    disabled with pending prospects, re-tagged retired saying who never starts."""
    impact = change.impact
    if change.action != "delete" or change.kind != "Sequence" or not impact or not impact.enrolled:
        return [change]
    live = change.live
    if not is_enabled(live):
        return abandoned(live, change.name, change.reason or "", impact)
    note = (
        f"not deleted: {impact.active} active and {impact.paused} paused prospects are still in it"
    )
    return [
        Disable(
            kind=change.kind,
            name=change.name,
            existing=live,
            impact=impact,
            reason=change.reason,
            diff=[FieldDiff("enabled", True, False)],
            warnings=[*change.warnings, note + "; disabled instead"],
        )
    ]
