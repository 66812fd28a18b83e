"""Version suffixes as values (`seqops.plan.versions`): the ` (vN)` a replace writes, how a
name is read back, what a retired owner is, and what a rename keeps."""

from __future__ import annotations

import pytest

from seqops.plan.versions import (
    base_name,
    is_retired,
    next_version_name,
    renamed,
    retired_key,
    retired_owner,
    same_display_name,
    version_of,
)


def test_a_retired_owner_is_the_key_with_a_suffix_and_back():
    assert retired_owner("demo") == "demo--retired"
    assert retired_key("demo--retired") == "demo"
    assert retired_key("demo") == "demo"
    assert is_retired("demo--retired") and is_retired(retired_owner("x"))
    assert not is_retired("demo") and not is_retired(None) and not is_retired("--retiredx")


@pytest.mark.parametrize(
    ("display", "version", "base"),
    [
        ("Demo", 1, "Demo"),
        ("Demo (v2)", 2, "Demo"),
        ("Demo (v12)", 12, "Demo"),
        ("Demo (v1)", 1, "Demo"),
        ("A (v2) (v3)", 3, "A (v2)"),
        ("Demo(v2)", 1, "Demo(v2)"),
        ("Demo (v2) ", 1, "Demo (v2) "),
        ("Demo (vx)", 1, "Demo (vx)"),
        ("Demo (V2)", 1, "Demo (V2)"),
        ("Demo [v2]", 1, "Demo [v2]"),
        (" (v4)", 4, ""),
    ],
)
def test_the_version_and_base_of_a_display_name(display, version, base):
    assert version_of(display) == version
    assert base_name(display) == base


def test_a_live_vn_is_what_the_manifest_name_looks_like_after_replaces():
    assert same_display_name("Demo", "Demo")
    assert same_display_name("Demo", "Demo (v2)")
    assert same_display_name("Demo", "Demo (v9)")
    assert not same_display_name("Demo", "Demo (v1)")
    assert not same_display_name("Demo", "Other (v2)")
    assert not same_display_name("Demo (v2)", "Demo")


def test_the_next_version_is_one_above_every_live_one_and_the_floor():
    assert next_version_name("Demo", []) == "Demo (v2)"
    assert next_version_name("Demo", ["Demo"]) == "Demo (v2)"
    assert next_version_name("Demo", ["Demo", "Demo (v3)", "Other (v9)"]) == "Demo (v4)"
    assert next_version_name("Demo", ["Demo (v5)", "Demo (v2)"]) == "Demo (v6)"
    assert next_version_name("Demo", ["Demo (v2)"], floor=7) == "Demo (v8)"
    assert next_version_name("Demo", ["Demo (v9)"], floor=7) == "Demo (v10)"


def test_a_rename_of_a_versioned_sequence_keeps_its_suffix():
    assert renamed("New", "Old (v3)", ["Old (v3)"]) == "New (v3)"
    assert renamed("New", "Old (v2)", ["Old (v2)", "Other"]) == "New (v2)"


def test_a_rename_of_a_v1_or_to_a_suffixed_name_is_exactly_the_manifest_s():
    assert renamed("New", "Old", ["Old"]) == "New"
    assert renamed("New (v7)", "Old (v3)", ["Old (v3)"]) == "New (v7)"
    assert renamed("New (v2)", "Old (v3)", ["Old (v3)"]) == "New (v2)"
    assert renamed("Old", "Old (v3)", ["Old (v3)"]) == "Old (v3)"  # kept: never back to v1


def test_a_rename_onto_a_taken_versioned_name_takes_the_next_free_version():
    live = ["Old (v3)", "New (v3)", "New (v5)"]
    assert renamed("New", "Old (v3)", live) == "New (v6)"
    assert renamed("New", "Old (v3)", ["Old (v3)", "New (v3)"]) == "New (v4)"
    # the sequence's own live name does not block its rename
    assert renamed("New", "New (v3)", ["New (v3)"]) == "New (v3)"


def test_old_version_names_are_read_back_and_never_reused():
    from seqops.plan.versions import is_old_version, is_retiring, retiring_owner, stage_of

    assert (version_of("Demo (v3, retiring)"), base_name("Demo (v3, retiring)")) == (3, "Demo")
    assert (version_of("Demo (v1, retired)"), stage_of("Demo (v1, retired)")) == (1, "retired")
    assert stage_of("Demo (v2)") is None and version_of("Demo (v2, drained)") == 1
    assert next_version_name("Demo", ["Demo (v1, retiring)", "Demo (v2, retired)"]) == "Demo (v3)"
    assert not same_display_name("Demo", "Demo (v2, retiring)")  # never the current version
    assert retiring_owner("demo") == "demo--retiring" and retired_key("demo--retiring") == "demo"
    assert is_retiring("demo--retiring") and not is_retired("demo--retiring")
    assert is_old_version("demo--retiring") and is_old_version("demo--retired")
    assert not is_old_version("demo") and not is_old_version(None)


def test_an_old_version_is_named_for_its_stage_within_the_apis_limit():
    from seqops.plan.versions import longest_length, old_version_name

    assert old_version_name("Demo", "retiring") == "Demo (v1, retiring)"
    assert old_version_name("Demo (v4)", "retired") == "Demo (v4, retired)"
    assert old_version_name("Demo (v2, retiring)", "retired") == "Demo (v2, retired)"
    long = old_version_name("x" * 250, "retiring")
    assert len(long) == 255 and long.endswith("x… (v1, retiring)")
    assert longest_length("Demo (v2)") == len("Demo (v2, retiring)")


def test_an_update_writes_the_live_versioned_name_when_the_manifest_says_its_base():
    assert renamed("Demo", "Demo (v2)", ["Demo (v2)", "Demo (v1, retiring)"]) == "Demo (v2)"
