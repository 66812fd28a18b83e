"""The resource registry agrees with outreach-openapi.json: attributes, badges, lengths,
relationships and the operations each path offers."""

from __future__ import annotations

import re

import pytest

from seqops.sandbox import create_app
from seqops.sandbox.resources import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    OBJECT,
    STRING,
    TEXT_LIST,
    TYPES,
    ToMany,
    ToOne,
)

FULLY_MODELLED = (
    "sequence",
    "sequenceStep",
    "sequenceState",
    "ruleset",
    "template",
    "sequenceTemplate",
    "stage",
    "taskPriority",
)
SPEC_KINDS = {
    ("string", None): STRING,
    ("string", "email"): STRING,
    ("string", "date-time"): DATETIME,
    ("string", "date"): DATE,
    ("integer", None): INTEGER,
    ("number", "float"): NUMBER,
    ("boolean", None): BOOLEAN,
    ("array", None): TEXT_LIST,
    ("object", None): OBJECT,
}
SEED_ONLY_ATTRIBUTES = {("sequence", "salesMotion")}  # in outreach-sequence.txt, not the 2023 spec
SEED_ACTIONS = {("sequences", "enable"), ("sequences", "disable")}  # the seed adds these


def badges(prop: dict) -> set[str]:
    return set(re.findall(r"badges/(\w+)\.svg", prop.get("description", "")))


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_attributes_match_the_spec(openapi_spec, type_name):
    spec = openapi_spec["components"]["schemas"][type_name]["properties"]
    rtype = TYPES[type_name]
    for attr in rtype.attributes:
        if (type_name, attr.name) in SEED_ONLY_ATTRIBUTES:
            continue
        prop = spec.get(attr.name)
        assert prop is not None, f"{type_name}.{attr.name} is not in the spec"
        assert SPEC_KINDS[(prop["type"], prop.get("format"))] == attr.kind, attr.name
        assert attr.readonly == ("readonly" in badges(prop)), attr.name
        assert attr.filterable == ("filterable" in badges(prop)), attr.name
        assert attr.sortable == ("sortable" in badges(prop)), attr.name
        if attr.enum is None:
            assert attr.max_length == prop.get("maxLength"), attr.name
    if type_name in FULLY_MODELLED:
        assert set(spec) == set(rtype.attrs) - {
            a for t, a in SEED_ONLY_ATTRIBUTES if t == type_name
        }


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_relationships_match_the_spec(openapi_spec, type_name):
    spec = openapi_spec["components"]["schemas"][f"{type_name}Relationships"]["properties"]
    for rel in TYPES[type_name].rels.values():
        prop = spec.get(rel.name)
        assert prop is not None, f"{type_name}.{rel.name} is not in the spec"
        is_many = prop.get("type") == "array"
        assert is_many == isinstance(rel, ToMany), rel.name
        target = (prop["items"] if is_many else prop).get("title") or prop["oneOf"][0]["title"]
        assert target == rel.target, rel.name
        if isinstance(rel, ToOne):
            assert rel.readonly == ("readonly" in badges(prop)), rel.name


def test_routes_offer_exactly_the_operations_of_the_spec(openapi_spec):
    served = {}
    for route in create_app().routes:
        path = getattr(route, "path", "")
        if path.startswith("/api/v2/"):
            template = path.removeprefix("/api/v2").replace("{id:int}", "{id}")
            served[template] = {m.lower() for m in route.methods} - {"head"}
    for rtype in TYPES.values():
        for suffix in ("", "/{id}"):
            path = f"/{rtype.path}{suffix}"
            assert served[path] == set(openapi_spec["paths"][path]), path


def test_actions_are_the_spec_and_seed_actions(openapi_spec):
    from seqops.sandbox.actions import ACTIONS

    spec_actions = {
        (path.split("/")[1], path.rsplit("/", 1)[1])
        for path in openapi_spec["paths"]
        if "/actions/" in path and path.split("/")[1] in {"sequences", "sequenceStates"}
    }
    ours = {(TYPES[t].path, name) for t, name in ACTIONS}
    assert ours == spec_actions | SEED_ACTIONS
