"""`--select` as a value: how patterns are read, what they match, and what `restrict` keeps,
pulls in and says."""

from __future__ import annotations

import pytest

from seqops.plan.changes import Create, Disable, Update
from seqops.plan.errors import PlanError
from seqops.plan.selection import Selection, SelectionError

from .test_planner import res, seq


def email(*templates: str) -> dict:
    key = {"template": templates[0]} if len(templates) == 1 else {"templates": list(templates)}
    return {"type": "auto_email", **key}


def test_kinds_are_spelt_as_in_manifests_whatever_the_case():
    got = Selection.parse(["sequence/a", "TEMPLATE/b*", "Ruleset/r", "automationrule/x"])
    assert got.patterns == ("Sequence/a", "Template/b*", "Ruleset/r", "AutomationRule/x")
    assert str(got) == "Sequence/a Template/b* Ruleset/r AutomationRule/x"


def test_a_glob_in_the_kind_is_kept_as_written():
    assert Selection.parse(["*/demo", "Seq?ence/x", "[ST]*/y"]).patterns == (
        "*/demo",
        "Seq?ence/x",
        "[ST]*/y",
    )


@pytest.mark.parametrize("value", ["demo", "Sequence/", "/demo", ""])
def test_a_pattern_without_kind_and_name_is_refused_with_an_example(value):
    with pytest.raises(SelectionError) as error:
        Selection.parse([value])
    assert str(error.value) == (
        f"--select {value!r}: expected KIND/NAME, e.g. Sequence/inbound-demo"
    )
    assert isinstance(error.value, PlanError)


def test_an_unknown_kind_suggests_the_closest_or_lists_them():
    with pytest.raises(SelectionError) as error:
        Selection.parse(["Sequense/a"])
    assert (
        str(error.value)
        == "--select 'Sequense/a': unknown kind 'Sequense' (did you mean Sequence?)"
    )
    with pytest.raises(SelectionError) as error:
        Selection.parse(["Zzz/a"])
    assert str(error.value) == (
        "--select 'Zzz/a': unknown kind 'Zzz' (one of Sequence, Template, Ruleset, AutomationRule)"
    )


def test_a_name_may_hold_a_slash():
    assert Selection.parse(["Sequence/a/b"]).patterns == ("Sequence/a/b",)


def test_an_empty_selection_is_false_and_matches_everything():
    none = Selection()
    assert not none and str(none) == ""
    assert none.matches("Sequence", "anything")
    assert Selection.parse(["Sequence/a"])


def test_matching_is_a_case_sensitive_glob_on_kind_and_name():
    s = Selection.parse(["Sequence/demo-*", "Template/intro"])
    assert s.matches("Sequence", "demo-1") and s.matches("Template", "intro")
    assert not s.matches("Sequence", "Demo-1")
    assert not s.matches("Template", "demo-1")
    assert not s.matches("Template", "intro-2")


def test_restrict_without_patterns_keeps_everything_and_says_nothing():
    changes = [Create(kind="Sequence", name="a"), Update(kind="Template", name="t")]
    assert Selection().restrict(changes, []) == (changes, [])


def test_restrict_keeps_only_the_selected_changes_and_says_so():
    a, b = Update(kind="Sequence", name="a"), Disable(kind="Sequence", name="b")
    t = Update(kind="Template", name="t")
    kept, warnings = Selection.parse(["Sequence/a", "Template/*"]).restrict([a, b, t], [])
    assert kept == [a, t]
    assert warnings == [
        "only Sequence/a Template/* planned (--select): nothing else is changed or retired"
    ]


def test_a_pattern_matching_nothing_is_an_error_even_with_other_matches():
    changes = [Update(kind="Sequence", name="a")]
    with pytest.raises(SelectionError) as error:
        Selection.parse(["Sequence/a", "Sequence/nope*"]).restrict(changes, [("Template", "t")])
    assert str(error.value) == (
        "--select Sequence/nope* matches no manifest and no object seqops owns"
    )


def test_a_pattern_matching_a_manifest_without_changes_is_no_error():
    kept, warnings = Selection.parse(["Sequence/quiet"]).restrict(
        [Update(kind="Sequence", name="a")], [("Sequence", "quiet")]
    )
    assert kept == [] and len(warnings) == 1
    # an owned object without a manifest is known by its change
    orphan = Disable(kind="Sequence", name="gone")
    assert Selection.parse(["Sequence/gone"]).restrict([orphan], [])[0] == [orphan]


def test_a_selected_sequence_pulls_in_the_creates_it_needs():
    s = Create(
        kind="Sequence",
        name="s",
        desired=seq("s", [email("new-t"), email("old-t", "new-t2")], ruleset="new-r"),
    )
    new_t = Create(kind="Template", name="new-t", desired=res("Template", "new-t"))
    new_t2 = Create(kind="Template", name="new-t2", desired=res("Template", "new-t2"))
    new_r = Create(kind="Ruleset", name="new-r", desired=res("Ruleset", "new-r"))
    old_t = Update(kind="Template", name="old-t", desired=res("Template", "old-t"))
    unrelated = Create(kind="Template", name="other", desired=res("Template", "other"))
    kept, warnings = Selection.parse(["Sequence/s"]).restrict(
        [new_t, old_t, new_t2, new_r, unrelated, s], []
    )
    assert kept == [s, new_r, new_t, new_t2]
    assert warnings[1:] == [
        "Ruleset/new-r is created too: Sequence/s uses it and the account does not have it yet",
        "Template/new-t is created too: Sequence/s uses it and the account does not have it yet",
        "Template/new-t2 is created too: Sequence/s uses it and the account does not have it yet",
    ]


def test_a_create_already_selected_or_needed_twice_is_kept_once():
    t = Create(kind="Template", name="t", desired=res("Template", "t"))
    one = Create(kind="Sequence", name="one", desired=seq("one", [email("t")]))
    two = Create(kind="Sequence", name="two", desired=seq("two", [email("t"), email("t")]))
    kept, warnings = Selection.parse(["Sequence/*"]).restrict([t, one, two], [])
    assert kept == [one, two, t] and len(warnings) == 2
    kept, warnings = Selection.parse(["Sequence/*", "Template/t"]).restrict([t, one, two], [])
    assert kept == [t, one, two] and len(warnings) == 1


def test_a_user_or_a_template_of_another_kind_is_never_pulled():
    # a Sequence change named like the template is not a dependency
    s = Update(kind="Sequence", name="s", desired=seq("s", [email("x")], owner="x"))
    other = Create(kind="Sequence", name="x", desired=seq("x", []))
    kept, warnings = Selection.parse(["Sequence/s"]).restrict([s, other], [])
    assert kept == [s] and len(warnings) == 1
