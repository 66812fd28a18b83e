"""Resuming an interrupted replace from live state alone (`seqops.plan.recovery`), function by
function on built live objects: whether the new version is enabled, the note naming what is
left, and the disable (re-tag) of every older version."""

from __future__ import annotations

import pytest

from seqops.plan.recovery import resume_note, retire_older, wants_enabled
from seqops.providers.base import LiveObject

from .test_planner import CALL, TASK, live, seq


def version(name: str, n: int, steps: list[dict], owner: str = "s", **spec) -> LiveObject:
    display = "Demo" if n == 1 else f"Demo (v{n})"
    return live(seq(name, steps, displayName=display, **spec), n, owner=owner)


def manifest(steps: list[dict], **spec):
    return seq("s", steps, displayName="Demo", **spec)


@pytest.mark.parametrize("said", [True, False])
def test_what_the_manifest_says_about_enabled_always_wins(said):
    current = version("s", 2, [CALL], enabled=not said)
    older = [version("s", 1, [CALL], enabled=not said)]
    assert wants_enabled(manifest([CALL], enabled=said), current, older) is said
    assert wants_enabled(manifest([CALL], enabled=said), current, []) is said


def test_without_an_older_version_a_silent_manifest_leaves_enabled_alone():
    assert wants_enabled(manifest([CALL]), version("s", 2, [CALL], enabled=True), []) is None


@pytest.mark.parametrize(
    ("current_on", "older_on", "expected"),
    [
        (False, [True], True),  # the replace was going to enable v2
        (True, [False], True),  # v2 already enabled stays so
        (False, [False, True], True),  # any older version still enabled
        (False, [False], False),
        (False, [False, False], False),
    ],
)
def test_a_silent_manifest_enables_when_any_version_is_enabled(current_on, older_on, expected):
    current = version("s", 3, [CALL], enabled=current_on)
    older = [version("s", i + 1, [CALL], enabled=on) for i, on in enumerate(older_on)]
    assert wants_enabled(manifest([CALL]), current, older) is expected


def test_the_note_counts_the_steps_still_missing():
    current = version("s", 2, [CALL])
    note = resume_note("s", current, manifest([CALL, TASK, CALL]))
    assert note == "resuming replace of Sequence/s: v2 has 1 of 3 steps"


@pytest.mark.parametrize(("on", "state"), [(True, "enabled"), (False, "disabled")])
def test_the_note_of_a_complete_version_says_whether_it_runs(on, state):
    current = version("s", 3, [CALL, TASK], enabled=on)
    note = resume_note("s", current, manifest([CALL, TASK]))
    assert note == f"resuming replace of Sequence/s: v3 has all 2 steps and is {state}"


def test_an_older_version_still_owned_and_enabled_is_retagged_and_disabled():
    older = version("s", 1, [CALL], enabled=True)
    change = retire_older("s", older, version("s", 2, [CALL]))
    assert (change.action, change.kind, change.name) == ("disable", "Sequence", "s")
    assert change.existing is older and change.id == 1
    assert change.retire_as == "s--retired" and change.old_version is True
    assert [(d.path, d.old, d.new) for d in change.diff] == [
        ("ownership", "seqops:s", "seqops:s--retired"),
        ("enabled", True, False),
    ]
    assert change.reason == (
        "resuming replace of Sequence/s: v1 'Demo' left still enabled by an interrupted "
        "replace: retired once v2 runs"
    )


def test_an_older_version_already_disabled_is_only_retagged():
    older = version("s", 2, [CALL], enabled=False)
    change = retire_older("s", older, version("s", 3, [CALL]))
    assert change.retire_as == "s--retired" and change.old_version is True
    assert [(d.path, d.old, d.new) for d in change.diff] == [
        ("ownership", "seqops:s", "seqops:s--retired")
    ]
    assert change.reason == (
        "resuming replace of Sequence/s: v2 'Demo (v2)' left still owned by an interrupted "
        "replace: retired once v3 runs"
    )


def test_a_retagged_version_still_enabled_is_only_disabled():
    older = version("s", 1, [CALL], owner="s--retired", enabled=True)
    change = retire_older("s", older, None)
    assert change.retire_as is None and change.old_version is True
    assert [(d.path, d.old, d.new) for d in change.diff] == [("enabled", True, False)]
    assert change.reason == (
        "resuming replace of Sequence/s: v1 'Demo' left still enabled by an interrupted "
        "replace: retired"
    )
