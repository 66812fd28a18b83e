"""Drafting: each manifest against its live object, before any prospect is counted (pure).

The draft holds every change whose shape the manifests and the live state decide alone, and
the old versions (`seqops.plan.old_versions`) and abandoned sequences whose fate waits for their
prospects to be counted (`seqops.plan.finishing`).
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

from seqops.manifest.models import Resource, Sequence, Step
from seqops.plan.causes import RETIRED_WITHOUT_MANIFEST
from seqops.plan.changes import Adopt, Change, Create, Delete, Disable, Enable, Replace, Update
from seqops.plan.diff import FieldDiff, attribute_diff
from seqops.plan.identity import Match, Matching, Twin, match_all
from seqops.plan.left_alone import unreadable_bindings
from seqops.plan.live import is_enabled, spec_of
from seqops.plan.old_versions import OldVersion
from seqops.plan.plan import Plan
from seqops.plan.recovery import resume_note, wants_enabled
from seqops.plan.references import referenced
from seqops.plan.steps import needs_replace, replace_reason, step_diff
from seqops.plan.versions import (
    is_old_version,
    is_retired,
    next_version_name,
    renamed,
    retired_key,
    retired_owner,
    version_of,
)
from seqops.providers.base import Ids, LiveObject, LiveState

PLANNED_KINDS = ("Template", "Ruleset", "Sequence")


def owned(state: LiveState) -> list[LiveObject]:
    """Current (not old-version) sequences and templates seqops owns."""
    return [
        o
        for o in state.objects
        if o.kind in ("Template", "Sequence") and o.owner and not is_old_version(o.owner)
    ]


def templates_sent(sequence: LiveObject) -> set[int | None]:
    return {t for step in sequence.steps for t in (step.template_id, *step.extra_template_ids)}


class Drafter:
    def __init__(self, state: LiveState, allow_delete: bool):
        self.state = state
        self.allow_delete = allow_delete
        self.renames: dict[tuple[str, str], str] = {}
        self.warnings: list[str] = []
        self.matching = Matching()
        self.old_versions: list[OldVersion] = []
        self.abandoned: list[Disable] = []

    def draft(self, resources: list[Resource], target: str, warnings: list[str]) -> Plan:
        matching = self.matching = match_all(resources, self.state)
        for m in matching.matches:
            if m.live is not None:
                self.renames[(m.live.kind, m.live.resource.name)] = m.desired.name
        changes: list[Change] = []
        for m in matching.matches:
            changes += self.for_match(m)
        for key, live in [*matching.superseded, *matching.retired_running, *matching.retiring]:
            self.old_versions.append(self.old_version(key, live))
        changes += [self.retire_twin(twin) for twin in matching.twins]
        for live in matching.orphans:
            changes += self.retire(live, live.owner or live.resource.name, RETIRED_WITHOUT_MANIFEST)
        plan = Plan(
            target=target,
            changes=changes,
            warnings=[*warnings, *self.warnings],
            owned_resources=len({(o.kind, o.owner) for o in owned(self.state)}),
            enabled_sequences=sum(
                o.kind == "Sequence" and is_enabled(o) for o in owned(self.state)
            ),
            references=referenced(self.references(matching.matches), changes),
        )
        plan.old_versions = list(self.old_versions)
        plan.abandoned = list(self.abandoned)
        plan.template_senders = self.template_senders()
        return plan

    def template_senders(self) -> dict[str, frozenset[str]]:
        """Owned template key -> keys of the current live sequences that send it."""
        sequences = [o for o in owned(self.state) if o.kind == "Sequence"]
        return {
            t.owner: frozenset(str(s.owner) for s in sequences if t.id in templates_sent(s))
            for t in owned(self.state)
            if t.kind == "Template" and t.owner
        }

    def old_version(self, key: str, live: LiveObject) -> OldVersion:
        desired = self.manifest_of(key)
        return OldVersion(key, live, desired, self.current(key) if desired else None)

    def for_match(self, m: Match) -> list[Change]:
        live = self.translate(m.live) if m.live else None
        if m.desired.absent:
            return self.retire(live, m.desired.name, "state: absent") if live else []
        if isinstance(m.desired, Sequence):
            return self.sequence(m.desired, live, m.adopt)
        return self.simple(m.desired, live, m.adopt)

    def simple(self, desired: Resource, live: LiveObject | None, adopt: bool) -> list[Change]:
        """Templates and rulesets: create, adopt or update attributes."""
        diff = attribute_diff(desired, live.resource if live else None)
        if live is None:
            return [Create(kind=desired.kind, name=desired.name, desired=desired, diff=diff)]
        if not (adopt or diff):
            return []
        cls = Adopt if adopt else Update
        return [
            cls(
                kind=desired.kind,
                name=desired.name,
                desired=desired,
                existing=live,
                diff=diff,
                carriers=self.carriers(live),
            )
        ]

    def carriers(self, live: LiveObject) -> tuple[tuple[int, str], ...]:
        """(id, display name) of every live sequence that sends this template or uses this
        ruleset, old versions included: their prospects get the new content."""
        sequences = self.state.of_kind("Sequence")
        if live.kind == "Template":
            users = [s for s in sequences if live.id in templates_sent(s)]
        else:
            users = [s for s in sequences if spec_of(s).ruleset == live.resource.name]
        return tuple((s.id, s.display_name) for s in users)

    def sequence(self, desired: Sequence, live: LiveObject | None, adopt: bool) -> list[Change]:
        if live is None:
            steps, _ = step_diff(desired, None)
            diff = attribute_diff(desired, None) + steps
            created = Create(kind=desired.kind, name=desired.name, desired=desired, diff=diff)
            return [created, *self.enabled(desired, None)]
        self.warnings += unreadable_bindings(desired.name, live)
        if needs_replace(desired, live):
            return [self.replace(desired, live, adopt)]
        desired = self.keep_version(desired, live)
        older = self.matching.older_versions(desired.name)
        update = self.update(desired, live, adopt, older)
        return update + self.enabled(desired, live, wants_enabled(desired, live, older))

    def update(
        self, desired: Sequence, live: LiveObject, adopt: bool, older: list[LiveObject]
    ) -> list[Change]:
        attrs = attribute_diff(desired, live.resource)
        steps, writes = step_diff(desired, live, self.template_names)
        resuming = resume_note(desired.name, live, desired) if older else None
        if resuming:
            self.warnings.append(resuming)
        if not (adopt or attrs or writes):
            return []
        cls = Adopt if adopt else Update
        return [
            cls(
                kind=desired.kind,
                name=desired.name,
                desired=desired,
                existing=live,
                diff=attrs + steps,
                write_attributes=bool(attrs) or adopt,
                steps=writes,
                reason=resuming,
                completes_create=completes_create(live, attrs, writes, adopt),
            )
        ]

    def keep_version(self, desired: Sequence, live: LiveObject) -> Sequence:
        """An update keeps a versioned sequence's `(vN)` (`seqops.plan.versions.renamed`)."""
        name = renamed(desired.display_name, live.display_name, self._sequence_names())
        if name == desired.display_name:
            return desired
        spec = desired.spec.model_copy(update={"displayName": name})
        return desired.model_copy(update={"spec": spec})

    def replace(self, desired: Sequence, live: LiveObject, adopt: bool) -> Replace:
        reached = [version_of(o.display_name) for o in self._versions(desired.name)]
        new_name = next_version_name(
            desired.display_name, self._sequence_names(), max([1, *reached])
        )
        steps, _ = step_diff(desired, live, self.template_names)
        attrs = [d for d in attribute_diff(desired, live.resource) if d.path != "displayName"]
        was_enabled = is_enabled(live)
        enable = desired.spec.enabled if desired.spec.enabled is not None else was_enabled
        shown = [FieldDiff("displayName", live.display_name, new_name)]
        if enable != was_enabled:
            shown.append(FieldDiff("enabled", was_enabled, enable))
        return Replace(
            kind=desired.kind,
            name=desired.name,
            desired=desired,
            existing=live,
            diff=[*shown, *attrs, *steps],
            new_display_name=new_name,
            enable_new=enable,
            on_replace=desired.spec.onReplace,
            warnings=["adopts a hand-made sequence and replaces it"] if adopt else [],
            reason=f"{replace_reason(desired, live)}: {new_name!r} replaces {live.display_name!r}",
        )

    def enabled(
        self, desired: Sequence, live: LiveObject | None, want: bool | None = None
    ) -> list[Change]:
        want = desired.spec.enabled if want is None else want
        have = is_enabled(live)
        if want is None or want == have:
            return []
        cls = Enable if want else Disable
        diff = [FieldDiff("enabled", have, want)]
        return [
            cls(kind=desired.kind, name=desired.name, desired=desired, existing=live, diff=diff)
        ]

    def current(self, key: str) -> LiveObject | None:
        """The live version a manifest of `key` matched (None: no manifest, or none live)."""
        return next(
            (
                m.live
                for m in self.matching.matches
                if (m.desired.kind, m.desired.name) == ("Sequence", key) and m.live
            ),
            None,
        )

    def manifest_of(self, key: str) -> Sequence | None:
        found = [m.desired for m in self.matching.matches if m.desired.key == ("Sequence", key)]
        sequence = found[0] if found else None
        return sequence if isinstance(sequence, Sequence) and not sequence.absent else None

    def retire_twin(self, twin: Twin) -> Disable:
        """Another live object tagged with a matched key: re-tagged `--retired` (and disabled)."""
        live, key, kind = twin.live, twin.key, twin.live.kind
        diff = [FieldDiff("ownership", f"seqops:{key}", f"seqops:{retired_owner(key)}")]
        if is_enabled(live):
            diff.append(FieldDiff("enabled", True, False))
        why = "metadata.id pins" if twin.pinned else "the oldest (lowest id) is kept:"
        return Disable(
            kind=kind,
            name=key,
            existing=live,
            retire_as=retired_owner(key),
            twin_of=None if twin.pinned else twin.kept.id,
            diff=diff,
            reason=f"a twin of id {twin.kept.id}, also tagged seqops:{key}: retired",
            warnings=[
                f"live {kind.lower()}s {twin.kept.id} and {live.id} both carry seqops:{key} "
                f"(e.g. two applies raced); {why} {twin.kept.id}"
            ],
        )

    def retire(self, live: LiveObject, name: str, reason: str) -> list[Change]:
        """Retire an owned object: sequences are disabled (deleted with --allow-delete); a
        disabled one is looked at again once its pending prospects are counted."""
        if live.owner is None:
            self.warnings.append(
                f"{live.kind}/{name}: not owned by seqops, left as it is ({reason})"
            )
            return []
        if self.allow_delete and self._deletable(live, name):
            return [Delete(kind=live.kind, name=name, existing=live, reason=reason)]
        if live.kind == "Sequence":
            retired = Disable(kind=live.kind, name=name, existing=live, reason=reason)
            if not is_enabled(live):
                self.abandoned.append(retired)
                return []
            retired.diff = [FieldDiff("enabled", True, False)]
            return [retired]
        if not self.allow_delete:
            self.warnings.append(
                f"{live.kind}/{name}: {reason}, left in place (--allow-delete deletes it)"
            )
        return []

    def _deletable(self, live: LiveObject, name: str) -> bool:
        """Templates still sent by a live step are kept (prospects in old versions need them)."""
        users = [s for s in self.state.of_kind("Sequence") if live.id in templates_sent(s)]
        if live.kind == "Template" and users:
            names = ", ".join(sorted(repr(s.display_name) for s in users))
            self.warnings.append(f"{live.kind}/{name}: not deleted, still used by {names}")
            return False
        return True

    def translate(self, live: LiveObject) -> LiveObject:
        """The live object with its references in manifest names (an adopted template's slug
        becomes the manifest's name), so references compare equal."""
        if live.kind != "Sequence":
            return live
        spec = spec_of(live)
        steps = [self._step_names(s) for s in spec.steps]
        spec = spec.model_copy(
            update={"steps": steps, "ruleset": self._name("Ruleset", spec.ruleset)}
        )
        return dataclasses.replace(live, resource=live.resource.model_copy(update={"spec": spec}))

    def _step_names(self, step: Step) -> Step:
        templates = [self._name("Template", t) for t in step.templates or ()]
        return step.model_copy(
            update={
                "template": self._name("Template", step.template),
                "templates": templates or None,
            }
        )

    @cached_property
    def template_names(self) -> dict[int, str]:
        """Live template id -> the name a manifest calls it (for a step's extra bindings)."""
        return {
            o.id: self._name("Template", o.resource.name) or o.resource.name
            for o in self.state.of_kind("Template")
        }

    def _name(self, kind: str, name: str | None) -> str | None:
        return None if name is None else self.renames.get((kind, name), name)

    def _versions(self, key: str) -> list[LiveObject]:
        """Every live version of a sequence key: current, superseded, retiring and retired."""
        return [
            o
            for o in self.state.of_kind("Sequence")
            if o.owner is not None and retired_key(o.owner) == key
        ]

    def _sequence_names(self) -> list[str]:
        return [o.display_name for o in self.state.of_kind("Sequence")]

    def references(self, matches: list[Match]) -> Ids:
        ids = Ids(users=dict(self.state.users), stages=dict(self.state.stages))
        ids.task_priorities = dict(self.state.task_priorities)
        for live in self.state.objects:
            if live.kind in ("Template", "Ruleset") and not is_retired(live.owner):
                self._ids_of(ids, live.kind)[live.resource.name] = live.id
        for m in matches:
            if m.live is not None and m.desired.kind in ("Template", "Ruleset"):
                self._ids_of(ids, m.desired.kind)[m.desired.name] = m.live.id
        return ids

    @staticmethod
    def _ids_of(ids: Ids, kind: str) -> dict[str, int]:
        return ids.templates if kind == "Template" else ids.rulesets


def completes_create(live: LiveObject, attrs: list[FieldDiff], writes: list, adopt: bool) -> bool:
    """Only appends steps to a disabled sequence, attributes untouched: what an interrupted
    create (or a replace's new version) left (confirmed once nobody is counted in it)."""
    return (
        not adopt
        and not attrs
        and bool(writes)
        and all(w.live is None for w in writes)
        and not is_enabled(live)
    )
