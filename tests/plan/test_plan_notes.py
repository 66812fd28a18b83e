"""What a plan says besides its changes: the likely cause a mass-stop refusal names, the
unreadable templates it leaves alone, and its identity errors."""

from __future__ import annotations

from seqops.plan.causes import MARKED_ABSENT, RETIRED_WITHOUT_MANIFEST, likely_cause
from seqops.plan.changes import Disable
from seqops.plan.errors import EmptyManifestSet, IdentityError, PlanError
from seqops.plan.left_alone import unreadable_bindings
from seqops.providers.base import LiveObject, LiveStep

from .test_planner import CALL, seq


def stopped(*reasons: str | None) -> list[Disable]:
    return [Disable(kind="Sequence", name=f"s{i}", reason=r) for i, r in enumerate(reasons)]


def given(**kinds: int) -> dict[str, int]:
    return kinds


def test_no_sequence_manifest_points_at_a_wrong_path():
    assert likely_cause(given(Template=3, Ruleset=1), stopped(RETIRED_WITHOUT_MANIFEST)) == (
        "likely cause: no Sequence manifest was given (only 1 Ruleset, 3 Template): "
        "a subfolder or a wrong path given by mistake?"
    )
    assert likely_cause(given(), stopped(MARKED_ABSENT)) == (
        "likely cause: no Sequence manifest was given (only none): "
        "a subfolder or a wrong path given by mistake?"
    )
    assert "no Sequence manifest" in likely_cause(given(Sequence=0, Template=1), stopped(None))


def test_every_stop_marked_absent_points_at_the_manifests():
    assert likely_cause(given(Sequence=4), stopped(MARKED_ABSENT, MARKED_ABSENT)) == (
        "likely cause: the manifests mark these sequences `state: absent`"
    )
    mixed = stopped(MARKED_ABSENT, RETIRED_WITHOUT_MANIFEST, RETIRED_WITHOUT_MANIFEST)
    assert likely_cause(given(Sequence=4), mixed) == (
        "likely cause: 2 owned sequence(s) have no manifest among the 4 Sequence manifests "
        "given: only some of the manifest folders given?"
    )


def test_a_stop_the_manifests_ask_for_has_no_likely_cause():
    assert likely_cause(given(Sequence=4), stopped(None, None)) == ""
    assert likely_cause(given(Sequence=4), stopped(MARKED_ABSENT, None)) == ""
    assert likely_cause(given(Sequence=4), []) == ""


def test_the_reasons_are_the_ones_the_planner_writes():
    assert (RETIRED_WITHOUT_MANIFEST, MARKED_ABSENT) == ("no manifest: retired", "state: absent")


def test_each_unreadable_template_of_each_step_is_named_once():
    steps = [
        LiveStep(id=1, order=1, unreadable_template_ids=[77]),
        LiveStep(id=2, order=2),
        LiveStep(id=3, order=3, unreadable_template_ids=[78, 79]),
    ]
    live = LiveObject(seq("s", [CALL, CALL, CALL], displayName="Nurture"), 5, steps=steps)
    tail = (
        "left alone: not a template seqops can read (the account's template list does not "
        "show it), so the step may send it besides the manifest's"
    )
    assert unreadable_bindings("s", live) == [
        f"Sequence/s ('Nurture') step 1: template id 77 {tail}",
        f"Sequence/s ('Nurture') step 3: template id 78 {tail}",
        f"Sequence/s ('Nurture') step 3: template id 79 {tail}",
    ]
    assert unreadable_bindings("s", LiveObject(seq("s", []), 5)) == []


def test_identity_errors_keep_every_problem_one_a_line():
    error = IdentityError(["a: first", "b: second"])
    assert error.problems == ["a: first", "b: second"]
    assert str(error) == "a: first\nb: second"
    assert isinstance(error, PlanError) and isinstance(EmptyManifestSet("x"), PlanError)
