"""Export names: readable slugs, the provider's names kept, collisions pinned, never a guess."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seqops.export import naming as naming_module
from seqops.export.naming import assign_names, slugify
from seqops.manifest.models.base import NAME_PATTERN


@pytest.mark.parametrize(
    ("display", "slug"),
    [
        ("Inbound Demo (v2)", "inbound-demo-v2"),
        ("Été \u2013 Relance 🚀", "ete-relance"),
        ("Straße & Søren", "strasse-soren"),
        ("🎉🎉", ""),
        ("  --Q3 follow-up--  ", "q3-follow-up"),
        ("".join(chr(ord(c) + 0xFEE0) for c in "Fullwidth"), "fullwidth"),
        ("Łódź outreach", "lodz-outreach"),
        ("Привет мир", "privet-mir"),
        ("x" * 300, "x" * 80),
    ],
)
def test_slugify(display, slug):
    assert slugify(display) == slug


def test_every_path_names_a_display_name_alike():
    """Export, adoption (the provider's names for unowned objects) and `sandbox enroll`
    finding a sequence by its exported name all use one slugify (they once disagreed:
    `Łódź outreach` was `odz-outreach` on one path and `lodz-outreach` on the other)."""
    from seqops.providers.outreach import enrolment, mapping

    assert naming_module.slugify is mapping.slugify is enrolment.slugify
    [name] = mapping.assign_names(
        [mapping.Candidate(7, None, "Łódź outreach")], "Sequence"
    ).values()
    assert name == "lodz-outreach"


@given(st.text())
def test_slugs_are_valid_names_or_empty(text):
    slug = slugify(text)
    assert slug == "" or __import__("re").fullmatch(NAME_PATTERN, slug)


def test_provider_names_are_kept_and_owned_keys_win(make_live):
    owned = make_live("Template", 9, {"displayName": "Welcome"}, owner="welcome")
    other = make_live("Template", 3, {"displayName": "Pricing"}, name="pricing")
    naming = assign_names([other, owned])
    assert (naming.name(owned), naming.name(other)) == ("welcome", "pricing")
    assert not naming.pinned


def test_same_display_name_pins_both_and_warns_with_both_ids(make_live):
    a = make_live("Sequence", 12, {"displayName": "Outbound"}, name="outbound-12")
    b = make_live("Sequence", 7, {"displayName": "Outbound"}, name="outbound-7")
    naming = assign_names([a, b])
    assert {naming.name(a), naming.name(b)} == {"outbound-12", "outbound-7"}
    assert naming.is_pinned(a) and naming.is_pinned(b)
    [warning] = naming.warnings_about({("Sequence", 7)})
    assert "id 7" in warning and "id 12" in warning and "metadata.id" in warning


def test_equal_slugs_of_different_display_names_are_pinned(make_live):
    a = make_live("Template", 1, {"displayName": "Follow up!"}, name="follow-up-1")
    b = make_live("Template", 2, {"displayName": "Follow-up"}, name="follow-up-2")
    c = make_live("Template", 3, {"displayName": "Unrelated"}, name="unrelated")
    naming = assign_names([a, b, c])
    assert naming.pinned == {("Template", 1), ("Template", 2)}


def test_invalid_or_duplicate_provider_names_are_replaced_deterministically(make_live):
    a = make_live("Ruleset", 4, {"displayName": "Standard"}, name="standard")
    b = make_live("Ruleset", 2, {"displayName": "Standard copy"}, name="standard")
    first = assign_names([a, b])
    second = assign_names([b, a])
    assert first.names == second.names == {("Ruleset", 2): "standard", ("Ruleset", 4): "standard-4"}


def test_kinds_are_named_independently(make_live):
    seq = make_live("Sequence", 1, {"displayName": "Welcome"}, name="welcome")
    tpl = make_live("Template", 1, {"displayName": "Welcome"}, name="welcome")
    naming = assign_names([seq, tpl])
    assert naming.name(seq) == naming.name(tpl) == "welcome"
    assert not naming.pinned
