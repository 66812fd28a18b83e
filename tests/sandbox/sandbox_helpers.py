"""Helpers the sandbox tests share (imported by name: pytest puts this directory on sys.path):
response checking against outreach-openapi.json, a sync in-process client, request builders."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from seqops.sandbox import DEFAULT_TOKEN
from seqops.sandbox.jsonapi import MEDIA_TYPE
from seqops.sandbox.resources import TYPES

JSONAPI = {"content-type": MEDIA_TYPE}
SPEC_URI = "urn:outreach-openapi"


def guide_relationships(schemas: dict[str, Any], type_name: str) -> None:
    """Replace the spec's relationship notation by the guide's, for one served type.

    The OpenAPI file writes to-many relationships as arrays of `{data}` / `{links}` items and
    `links.related` as an enum of type names, and its to-one `oneOf`s (nothing required) match
    every object. Outreach's "Making requests" guide (JSON:API 1.0), which DESIGN.md says wins,
    shows relationship objects: `{data: {type, id} | null}`, `{data: [...]}` where the API gives
    linkage, `{links: {related: URL}}` where it does not. Each schema becomes exactly that,
    keeping what the spec says about linkage types and about which to-many relationships are
    links-only (docs/sandbox.md).
    """
    properties = schemas[f"{type_name}Relationships"]["properties"]
    for name, node in properties.items():
        many = node.get("type") == "array"
        branches = leaf_branches(node["items"] if many else node)
        targets = [t for b in branches if b["title"] == "data" for t in linkage_types(b)]
        choices = [LINKS_ONLY]
        if targets:
            item = {
                "type": "object",
                "required": ["type", "id"],
                "properties": {"id": {"type": "integer"}, "type": {"enum": targets}},
            }
            linkage = {"type": "array", "items": item} if many else {"anyOf": [item, NULL]}
            data = {"type": "object", "required": ["data"], "properties": {"data": linkage}}
            choices.append(data)
        properties[name] = {"oneOf": choices} if len(choices) > 1 else choices[0]


NULL = {"type": "null"}


def leaf_branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The `data` / `links` branches of a relationship, through the nested `oneOf`s the spec
    uses for polymorphic ones (one level per target type)."""
    if node.get("title") in ("data", "links") and "oneOf" not in node:
        return [node]
    return [leaf for branch in node.get("oneOf", []) for leaf in leaf_branches(branch)]


def linkage_types(branch: dict[str, Any]) -> list[str]:
    return branch["properties"]["data"]["properties"]["type"]["enum"]


LINKS_ONLY = {
    "type": "object",
    "required": ["links"],
    "not": {"required": ["data"]},
    "properties": {
        "links": {
            "type": "object",
            "required": ["related"],
            "properties": {"related": {"type": "string", "pattern": "^https?://"}},
        }
    },
}


def nullable_attributes(schemas: dict[str, Any], type_name: str) -> None:
    """Unset attributes are `null` (the guide's `lastName: null`); the spec's types are not
    nullable, so each attribute schema also accepts null. Everything else still applies."""
    for node in schemas[type_name]["properties"].values():
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]


ENUM_SENTENCE = re.compile(r"[Mm]ust be (?:either |one of )?(.*)")


def reconcile_enum_lengths(node: Any) -> None:
    """Drop a `maxLength` that contradicts the values its own description lists.

    `sequence.primaryReplyAction` says "<= 4 characters" and "Must be one of "finish",
    "continue", or "pause"": no listed value fits, so the limit is a documentation error.
    """
    if isinstance(node, dict):
        sentence = (
            ENUM_SENTENCE.search(node.get("description", "")) if "maxLength" in node else None
        )
        listed = re.findall(r'"(\w+)"', sentence[1]) if sentence else []
        if listed and max(map(len, listed)) > node["maxLength"]:
            del node["maxLength"]
        for value in node.values():
            reconcile_enum_lengths(value)
    elif isinstance(node, list):
        for value in node:
            reconcile_enum_lengths(value)


def shape(node: Any, key: str | None = None) -> Any:
    """What validation can depend on: JSON types, string lengths, and `type` names.

    Sound because the resource schemas constrain values only by type, maxLength and the enums
    of relationship `type`s, and the pattern of `links.related` URLs, which ids do not affect
    (no other patterns, bounds or enums: `value_constraints`).
    """
    if isinstance(node, dict):
        return {k: shape(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [shape(v) for v in node]
    if isinstance(node, str):
        if key == "related":  # a URL; ids do not change whether it matches its pattern
            return re.sub(r"\d+", "0", node)
        return node if key == "type" else "x" * len(node)
    if isinstance(node, bool) or node is None:
        return node
    return 0 if isinstance(node, int) else 0.0


def value_constraints(node: Any, key: str | None = None) -> list[str]:
    """Keywords that constrain values in ways `shape` would hide."""
    found = []
    if isinstance(node, dict) and key != "related":
        found += [k for k in ("pattern", "minimum", "maximum", "minLength", "const") if k in node]
        if "enum" in node and key not in ("type", "related"):
            found.append(f"enum of {key}")
        for k, v in node.items():
            found += value_constraints(v, k)
    elif isinstance(node, list):
        for v in node:
            found += value_constraints(v)
    return found


class SpecChecker:
    """Validates sandbox response bodies against the OpenAPI component schemas."""

    def __init__(self, spec: dict[str, Any]) -> None:
        spec = copy.deepcopy(spec)
        schemas = spec["components"]["schemas"]
        for type_name in TYPES:
            guide_relationships(schemas, type_name)
            nullable_attributes(schemas, type_name)
        reconcile_enum_lengths(spec)
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        error_schema = spec["paths"]["/sequences"]["get"]["responses"]["422"]["content"]
        self.error_schema = error_schema[MEDIA_TYPE]["schema"]
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._valid_shapes: set[str] = set()
        self.checked = 0
        served = [schemas[f"{t}{suffix}"] for t in TYPES for suffix in ("", "Relationships")]
        assert not value_constraints(served), "shape() would hide a constraint"

    def validate_resource(self, resource: dict[str, Any]) -> None:
        """Validate, once per shape: thousands of generated rows share a handful of shapes."""
        key = json.dumps(shape(resource), sort_keys=True)
        if key not in self._valid_shapes:
            self.validator(resource["type"]).validate(resource)
            self._valid_shapes.add(key)

    def validator(self, type_name: str) -> jsonschema.Draft202012Validator:
        if type_name not in self._validators:
            ref = {"$ref": f"{SPEC_URI}#/components/schemas/{type_name}Response"}
            self._validators[type_name] = jsonschema.Draft202012Validator(
                ref, registry=self.registry
            )
        return self._validators[type_name]

    def check_document(self, document: dict[str, Any]) -> None:
        if "errors" in document:
            jsonschema.validate(document, self.error_schema)
            assert document["errors"], "an error document lists at least one error"
            for item in document["errors"]:
                # Outreach's guide spells the 415's key `details` (docs/sandbox.md)
                detail = "details" if item.get("id") == "unsupportedMediaType" else "detail"
                assert {"id", "title", detail} <= set(item), item
            return
        data = document["data"]
        for resource in [
            *(data if isinstance(data, list) else [data]),
            *document.get("included", []),
        ]:
            self.validate_resource(resource)
            assert isinstance(resource["id"], int)
            assert resource["links"]["self"].endswith(f"/{resource['id']}")
            self.checked += 1

    def check_response(self, response: httpx.Response) -> None:
        if response.status_code == 204:
            assert response.content == b""
            return
        if response.status_code == 502 and response.headers["content-type"] == "text/html":
            assert b"502 Bad Gateway" in response.content  # --max-page-size: a gateway's page
            return
        if response.url.path.startswith("/api/v2"):
            assert response.headers["content-type"] == MEDIA_TYPE
            self.check_document(response.json())


class NoSpec:
    """Without ../shared/reference there is nothing to validate against (the tests still run)."""

    checked = 0

    def check_response(self, response: httpx.Response) -> None:
        pass


class ApiClient:
    """A synchronous face on `httpx.AsyncClient` + `ASGITransport` (which is async-only).

    Every response is checked against the OpenAPI schemas before the test sees it.
    """

    def __init__(
        self, app, check: Callable[[httpx.Response], None], token: str | None = DEFAULT_TOKEN
    ):
        self.app = app
        self.check = check
        self.loop = asyncio.new_event_loop()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://sandbox.test/api/v2",
            headers=headers,
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response = self.loop.run_until_complete(self.http.request(method, url, **kwargs))
        self.check(response)
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        body = None if data is None else json.dumps({"data": data})
        return self.request(
            "POST", url, content=body, headers=kwargs.pop("headers", JSONAPI), **kwargs
        )

    def patch(self, url: str, data: dict[str, Any], **kwargs: Any) -> httpx.Response:
        body = json.dumps({"data": data})
        return self.request(
            "PATCH", url, content=body, headers=kwargs.pop("headers", JSONAPI), **kwargs
        )

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()

    @property
    def sandbox(self):
        return self.app.state.sandbox


def rel(type_name: str, rid: int) -> dict[str, Any]:
    return {"data": {"type": type_name, "id": rid}}


def new_sequence(api, name: str = "Seq", **attributes: Any) -> dict[str, Any]:
    response = api.post(
        "/sequences", {"type": "sequence", "attributes": {"name": name, **attributes}}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def new_step(api, sequence_id: int, step_type: str = "call", **attributes: Any) -> dict[str, Any]:
    body = {
        "type": "sequenceStep",
        "attributes": {"stepType": step_type, **attributes},
        "relationships": {"sequence": rel("sequence", sequence_id)},
    }
    response = api.post("/sequenceSteps", body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def walk(api, url: str) -> tuple[list[dict[str, Any]], int]:
    """Follow links.next from `url`; every row served, and the number of pages."""
    rows, pages = [], 0
    while url:
        document = api.get(url).json()
        rows += document["data"]
        pages += 1
        url = document["links"].get("next")
    return rows, pages
