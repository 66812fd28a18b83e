"""Resuming an interrupted replace from live state alone (`seqops.plan.recovery`), function by
function on built live objects: whether the new version is enabled, the note naming what is
left (what becomes of the older versions: tests/plan/test_old_versions.py)."""

from __future__ import annotations

import pytest

from seqops.plan.recovery import resume_note, wants_enabled
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
