"""Ownership tags: `seqops:<name>` on a live object says which manifest owns it. Only a valid
manifest name is ownership; user tags survive every write; names of unowned objects come from
their display names and never collide with an owned one."""

from __future__ import annotations

import pytest

from seqops.manifest.names import MAX_SLUG
from seqops.providers.outreach import records
from seqops.providers.outreach.mapping import (
    Candidate,
    assign_names,
    attributes,
    by_id,
    candidate,
    linkage,
    owner_key,
    related_id,
    slugify,
    tags_with_owner,
    user_tags,
)


@pytest.mark.parametrize(
    ("tags", "owner"),
    [
        (None, None),
        ([], None),
        (["intro"], None),
        (["seqops:intro"], "intro"),
        (("team", "seqops:intro-2", "q3"), "intro-2"),
        (["seqops:9lives"], "9lives"),
        (["SEQOPS:intro"], None),
        (["seqops:"], None),
        (["seqops:Intro"], None),
        (["seqops:-intro"], None),
        (["seqops:in tro"], None),
        (["seqops:in_tro"], None),
        (["xseqops:intro"], None),
        (["seqops:Bad Name", "seqops:good", "seqops:other"], "good"),
        (["seqops:" + "a" * 200], "a" * 200),
        (["seqops:" + "a" * 201], None),
        (["seqops:" + "a" * 201, "seqops:short"], "short"),
    ],
)
def test_only_a_valid_manifest_name_in_a_seqops_tag_is_ownership(tags, owner):
    assert owner_key(tags) == owner


def test_user_tags_drop_every_seqops_tag_valid_or_not_and_keep_order():
    tags = ["b", "seqops:intro", "a", "seqops:Not Valid", "Seqops:kept", "b"]
    assert user_tags(tags) == ["b", "a", "Seqops:kept", "b"]
    assert user_tags(None) == [] and user_tags(()) == []


def test_tags_with_owner_replace_any_ownership_tag_with_the_owner_s_own_last():
    assert tags_with_owner(["x", "seqops:old", "y"], "new") == ["x", "y", "seqops:new"]
    assert tags_with_owner(None, "intro") == ["seqops:intro"]
    assert tags_with_owner(("seqops:intro",), "intro") == ["seqops:intro"]
    assert owner_key(tags_with_owner(["seqops:other"], "mine")) == "mine"


def sequence_record(id: int, name: str | None, tags: list[str] | None = None) -> records.Record:
    return records.of({"type": "sequence", "id": id, "attributes": {"name": name, "tags": tags}})


def test_a_candidate_is_owned_by_its_tag_unless_ownership_is_not_read():
    record = sequence_record(3, "Intro Flow", ["seqops:intro"])
    assert candidate(record) == Candidate(3, "intro", "Intro Flow")
    assert candidate(record, owned=False) == Candidate(3, None, "Intro Flow")
    assert candidate(sequence_record(4, None)) == Candidate(4, None, "")


def test_an_owned_object_is_named_by_its_tag_whatever_its_display_name():
    names = assign_names([Candidate(1, "intro", "Renamed In The UI")], "Template")
    assert names == {1: "intro"}


def test_an_unowned_object_takes_its_slug_when_nothing_else_claims_it():
    candidates = [Candidate(1, "intro", "Intro"), Candidate(2, None, "Follow Up")]
    assert assign_names(candidates, "Template") == {1: "intro", 2: "follow-up"}


def test_an_unowned_slug_equal_to_an_owned_name_gets_its_id():
    candidates = [Candidate(2, None, "Intro"), Candidate(1, "intro", "Something else")]
    assert assign_names(candidates, "Template") == {1: "intro", 2: "intro-2"}


def test_unowned_objects_sharing_a_slug_each_get_their_id():
    candidates = [Candidate(7, None, "Demo!"), Candidate(8, None, "demo"), Candidate(9, None, "x")]
    assert assign_names(candidates, "Sequence") == {7: "demo-7", 8: "demo-8", 9: "x"}


def test_an_unowned_object_without_a_sluggable_name_is_named_by_kind_and_id():
    candidates = [Candidate(5, None, "???"), Candidate(6, None, "")]
    assert assign_names(candidates, "Ruleset") == {5: "ruleset-5", 6: "ruleset-6"}
    assert assign_names(iter([Candidate(5, None, "")]), "Template") == {5: "template-5"}


def test_a_slug_is_lowercase_ascii_words_joined_by_single_dashes():
    assert slugify("  Inbound Demo (v2)  ") == "inbound-demo-v2"
    assert slugify("Café & Crème") == "cafe-creme"
    assert slugify("--a__b--") == "a-b"
    assert slugify("日本") == "ri-ben"  # python-slugify transliterates (Unidecode tables)
    assert slugify("🚀") == ""


def test_a_long_slug_is_cut_without_a_trailing_dash():
    assert slugify("a" * 300) == "a" * MAX_SLUG
    assert slugify("a" * (MAX_SLUG - 1) + " b") == "a" * (MAX_SLUG - 1)
    assert len(slugify("word " * 100)) <= MAX_SLUG
    assert not slugify("word " * 100).endswith("-")


def test_lookup_tables_skip_records_without_the_attribute():
    users = [
        records.of({"type": "user", "id": 1, "attributes": {"email": "a@x.test"}}),
        records.of({"type": "user", "id": 2, "attributes": {"email": None}}),
        records.of({"type": "user", "id": "3", "attributes": {}}),
    ]
    assert by_id(users, "email") == {1: "a@x.test"}


def test_to_one_relationships_and_attributes_of_a_resource():
    resource = {"relationships": {"owner": {"data": [{"id": "4"}, {"id": 5}]}}}
    assert related_id(resource, "owner") == 4
    assert related_id(resource, "ruleset") is None
    assert related_id({"relationships": {"owner": {"data": None}}}, "owner") is None
    assert attributes({"attributes": None}) == {} and attributes({}) == {}
    assert attributes({"attributes": {"a": 1}}) == {"a": 1}
    assert linkage("user", 4) == {"data": {"type": "user", "id": 4}}
