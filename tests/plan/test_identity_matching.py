"""Which live object each manifest is (`identity.match_all`) on hand-built live states: owned,
adopted, pinned, versions, twins, orphans and the errors that refuse to guess."""

from __future__ import annotations

import pytest

from seqops.plan.errors import IdentityError, PlanError
from seqops.plan.identity import Matching, match_all
from seqops.providers.base import LiveState

from .test_planner import CALL, live, res, seq


def named(name: str, display: str, **spec):
    return seq(name, [CALL], displayName=display, **spec)


def match(resources, objects) -> Matching:
    return match_all(resources, LiveState(objects=objects))


def pin(resource, id: int):
    data = resource.model_dump(mode="json", exclude_none=True)
    data["metadata"]["id"] = id
    return type(resource).model_validate(data)


def problems(resources, objects) -> list[str]:
    with pytest.raises(IdentityError) as error:
        match(resources, objects)
    assert isinstance(error.value, PlanError)
    assert str(error.value) == "\n".join(error.value.problems)
    return error.value.problems


def test_the_object_tagged_with_the_key_is_the_manifest_s():
    mine = live(named("s", "Other name"), 5)
    unowned = live(named("x", "S"), 6, owner=None)
    result = match([named("s", "S")], [unowned, mine])
    [m] = result.matches
    assert (m.live, m.adopt) == (mine, False)
    assert result.twins == [] and result.superseded == [] and result.orphans == []


def test_an_untagged_object_with_the_display_name_is_adopted():
    other = live(named("o", "S"), 4, owner="o")  # owned by another key: never adopted
    untagged = live(named("x", "S"), 6, owner=None)
    [m] = match([named("s", "S")], [other, untagged]).matches
    assert (m.live, m.adopt) == (untagged, True)
    [none] = match([named("s", "S")], [other]).matches
    assert (none.live, none.adopt) == (None, False)


def test_a_template_is_adopted_by_its_display_name_too():
    untagged = live(res("Template", "x", {"displayName": "Hello"}), 3, owner=None)
    [m] = match([res("Template", "t", {"displayName": "Hello"})], [untagged]).matches
    assert (m.live, m.adopt) == (untagged, True)
    # another kind with that display name is not a candidate
    [none] = match([named("t", "Hello")], [untagged]).matches
    assert none.live is None


def test_an_absent_manifest_never_adopts():
    untagged = live(named("x", "S"), 6, owner=None)
    [m] = match([res("Sequence", "s", {"displayName": "S"}, state="absent")], [untagged]).matches
    assert (m.live, m.adopt) == (None, False)
    owned = live(named("s", "S"), 7)
    [m] = match([res("Sequence", "s", {"displayName": "S"}, state="absent")], [owned]).matches
    assert m.live is owned


def test_two_adoption_candidates_is_an_error_naming_both_ids():
    a, b = live(named("x", "S"), 9, owner=None), live(named("y", "S"), 3, owner=None)
    assert problems([named("s", "S")], [a, b]) == [
        "Sequence/s: 2 live objects are named 'S' (ids 3, 9); pin one with metadata.id"
    ]


def test_rulesets_match_by_display_name_whatever_their_tag():
    r = live(res("Ruleset", "x", {"displayName": "R"}), 8, owner="x")
    result = match([res("Ruleset", "r", {"displayName": "R"})], [r])
    [m] = result.matches
    assert (m.live, m.adopt) == (r, False)
    assert result.orphans == []  # matched, so not retired whatever its tag says
    two = [r, live(res("Ruleset", "y", {"displayName": "R"}), 2, owner=None)]
    assert problems([res("Ruleset", "r", {"displayName": "R"})], two) == [
        "Ruleset/r: 2 live objects are named 'R' (ids 2, 8); pin one with metadata.id"
    ]


def test_a_pinned_id_is_the_object_and_the_key_s_others_are_pinned_twins():
    pinned = live(named("x", "Whatever"), 30, owner=None)
    tagged = live(named("s", "S"), 31)
    result = match([pin(named("s", "S"), 30)], [pinned, tagged])
    [m] = result.matches
    assert (m.live, m.adopt) == (pinned, True)
    [twin] = result.twins
    assert (twin.key, twin.live, twin.kept, twin.pinned) == ("s", tagged, pinned, True)
    assert result.orphans == []


def test_a_pinned_object_already_owned_by_the_key_is_not_adopted():
    mine = live(named("s", "S"), 30)
    [m] = match([pin(named("s", "S"), 30)], [mine]).matches
    assert (m.live, m.adopt) == (mine, False)
    r = live(res("Ruleset", "r", {"displayName": "R"}), 40, owner=None)
    [m] = match([pin(res("Ruleset", "r", {"displayName": "R"}), 40)], [r]).matches
    assert (m.live, m.adopt) == (r, False)  # rulesets carry no tag to add


def test_a_pinned_id_missing_or_owned_by_another_key_is_an_error():
    assert problems([pin(named("s", "S"), 99)], [live(named("s", "S"), 98)]) == [
        "Sequence/s: metadata.id 99 does not exist in the target; remove metadata.id to create it"
    ]
    # an id of another kind is not the object either
    template = live(res("Template", "t", {"subject": "x"}), 99)
    assert "metadata.id 99 does not exist" in problems([pin(named("s", "S"), 99)], [template])[0]
    theirs = live(named("o", "S"), 12, owner="o")
    assert problems([pin(named("s", "S"), 12)], [theirs]) == [
        "Sequence/s: metadata.id 12 is owned by seqops:o, not by this manifest"
    ]


def test_every_identity_problem_is_reported_together():
    objects = [
        live(named("o", "S"), 12, owner="o"),
        live(named("x", "T"), 1, owner=None),
        live(named("y", "T"), 2, owner=None),
    ]
    found = problems([pin(named("s", "S"), 12), named("t", "T"), pin(named("u", "U"), 5)], objects)
    assert len(found) == 3
    assert [p.split(":")[0] for p in found] == ["Sequence/s", "Sequence/t", "Sequence/u"]


def test_one_object_claimed_by_two_manifests_is_an_error():
    shared = live(named("x", "S"), 7, owner=None)
    assert problems([pin(named("b", "B"), 7), pin(named("a", "A"), 7)], [shared]) == [
        "Sequence id 7 is claimed by several manifests: a, b"
    ]
    # the same id in two kinds is two objects
    t = live(res("Template", "x", {"displayName": "S"}), 7, owner=None)
    result = match(
        [pin(named("a", "A"), 7), pin(res("Template", "b", {"displayName": "B"}), 7)], [shared, t]
    )
    assert [m.live for m in result.matches] == [shared, t]


def test_after_an_interrupted_replace_the_highest_version_is_current():
    v1 = live(named("s", "S"), 1)
    v3 = live(named("s", "S (v3)"), 3)
    v2 = live(named("s", "S (v2)"), 2)
    result = match([named("s", "S")], [v1, v3, v2])
    assert result.matches[0].live is v3
    assert result.superseded == [("s", v1), ("s", v2)]
    assert result.twins == [] and result.orphans == []
    assert result.older_versions("s") == [v1, v2]
    assert result.older_versions("other") == []


def test_twins_keep_the_lowest_id():
    objects = [live(named("s", "S"), 9), live(named("s", "S"), 4), live(named("s", "S"), 6)]
    result = match([named("s", "S")], objects)
    assert result.matches[0].live is objects[1]
    assert [(t.key, t.live.id, t.kept.id, t.pinned) for t in result.twins] == [
        ("s", 6, 4, False),
        ("s", 9, 4, False),
    ]
    assert result.superseded == [] and result.orphans == []


def test_same_key_objects_with_other_display_names_are_an_error_listing_every_id():
    objects = [
        live(named("s", "S"), 9),
        live(named("s", "Copy of S"), 4),
        live(named("s", "S (v0)"), 2),
    ]
    assert problems([named("s", "S")], objects) == [
        "Sequence/s: live objects 2, 4, 9 are all tagged seqops:s; pin the right one with "
        "metadata.id or untag the others"
    ]


def test_owned_objects_no_manifest_claims_are_orphans():
    kept = live(named("s", "S"), 1)
    orphan = live(named("gone", "Gone"), 2)
    unowned = live(named("x", "X"), 3, owner=None)
    retired = live(named("old", "Old"), 4, owner="old--retired")
    other_kind = live(res("Template", "s", {"subject": "x"}), 5, owner="s")
    result = match([named("s", "S")], [kept, orphan, unowned, retired, other_kind])
    assert result.orphans == [orphan, other_kind]


def test_a_pinned_object_owned_by_its_key_elsewhere_is_no_orphan():
    pinned = live(named("s", "S"), 1, owner=None)
    tagged = live(named("s", "S"), 2)
    assert match([pin(named("s", "S"), 1)], [pinned, tagged]).orphans == []


def test_retired_versions_still_enabled_are_to_disable():
    running = live(named("s", "S", enabled=True), 1, owner="s--retired")
    stopped = live(named("s", "S", enabled=False), 2, owner="s--retired")
    template = live(res("Template", "t", {"subject": "x"}), 3, owner="t--retired")
    tagged = live(named("s", "S (v2)", enabled=True), 4)
    result = match([named("s", "S")], [running, stopped, template, tagged])
    assert result.retired_running == [("s", running)]
    assert result.older_versions("s") == [running]
    assert result.orphans == []


def test_older_versions_sort_by_version_then_id():
    v2b, v2a = live(named("s", "S (v2)"), 8), live(named("s", "S (v2)"), 5)
    old = live(named("s", "S", enabled=True), 9, owner="s--retired")
    m = Matching(superseded=[("s", v2b), ("t", v2a)], retired_running=[("s", old), ("s", v2a)])
    assert m.older_versions("s") == [old, v2a, v2b]


def test_twins_and_older_versions_of_every_manifest_are_all_collected():
    a_twins = [live(named("a", "A"), 1), live(named("a", "A"), 2)]
    b_versions = [live(named("b", "B"), 3), live(named("b", "B (v2)"), 4)]
    c_pinned = [live(named("c", "C"), 5, owner=None), live(named("c", "C"), 6)]
    d_twins = [live(named("d", "D"), 7), live(named("d", "D"), 8)]
    resources = [named("a", "A"), named("b", "B"), pin(named("c", "C"), 5), named("d", "D")]
    result = match(resources, a_twins + b_versions + c_pinned + d_twins)
    assert [m.live.id for m in result.matches] == [1, 4, 5, 7]
    assert [(t.key, t.live.id, t.kept.id, t.pinned) for t in result.twins] == [
        ("a", 2, 1, False),
        ("c", 6, 5, True),
        ("d", 8, 7, False),
    ]
    assert result.superseded == [("b", b_versions[0])]
    more = [named("e", "E"), named("b", "B")]
    objects = [live(named("e", "E (v2)"), 9), live(named("e", "E"), 10), *b_versions]
    assert match(more, objects).superseded == [("e", objects[1]), ("b", b_versions[0])]
