"""Generate `schemas/*.schema.json` from the pydantic models: `python -m seqops.manifest.schemagen`.

The models are authored in code; the JSON Schema files are generated from them and committed,
so editors (yaml-language-server) and CI tools (check-jsonschema) validate exactly what seqops
does. `--check` exits 1 when the committed files differ from what the models generate.

Every file is self-contained (only `#/$defs/...` references), so a tool can use any one of them
alone: one per kind, and `manifest.schema.json`, which dispatches on `kind` with if/then so an
error names the one kind the document says it is rather than failing every alternative.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from seqops.manifest.models import API_VERSION, KINDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://seqops.dev/schemas/v1/"
DISPATCHER = "manifest.schema.json"


class _Generator(GenerateJsonSchema):
    """Pydantic's schema without the titles it derives from field names ("Displayname")."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def file_name(kind: str) -> str:
    """`AutomationRule` -> `automation-rule.schema.json`."""
    words = "".join(f"-{c.lower()}" if c.isupper() else c for c in kind).lstrip("-")
    return f"{words}.schema.json"


def kind_schema(kind: str, model: type[BaseModel]) -> dict[str, Any]:
    body = flatten_optional(model.model_json_schema(schema_generator=_Generator))
    return _header(file_name(kind), f"seqops {kind} manifest") | body


def flatten_optional(node: Any) -> Any:
    """`anyOf: [<a node with a type list>, {type: null}]` (pydantic's `X | None`) as one node
    whose type list includes null: editors then show the node's own `errorMessage` (which
    names the accepted durations) instead of "Incorrect type. Expected integer | null"."""
    if isinstance(node, list):
        return [flatten_optional(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: flatten_optional(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if (
        isinstance(branches, list)
        and len(branches) == 2
        and branches[1] == {"type": "null"}
        and isinstance(branches[0].get("type"), list)
        and "errorMessage" in branches[0]
    ):
        inner = branches[0]
        node.pop("anyOf")
        node = {**inner, **node, "type": [*inner["type"], "null"]}
    return node


def dispatcher_schema() -> dict[str, Any]:
    _, top = models_json_schema(
        [(model, "validation") for model in KINDS.values()], schema_generator=_Generator
    )
    dispatch = [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"$ref": f"#/$defs/{kind}"},
        }
        for kind in KINDS
    ]
    return _header(DISPATCHER, "seqops manifest") | {
        "description": f"Any seqops manifest ({', '.join(KINDS)}), chosen by its `kind`.",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {
            "apiVersion": {"const": API_VERSION, "description": "seqops/v1."},
            "kind": {"enum": list(KINDS), "description": "Which kind of manifest this is."},
        },
        "allOf": dispatch,
        "$defs": flatten_optional(top["$defs"]),
    }


def _header(name: str, title: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": ID_BASE + name, "title": title}


def generate() -> dict[str, dict[str, Any]]:
    """Every schema file, by file name."""
    files = {file_name(kind): kind_schema(kind, model) for kind, model in KINDS.items()}
    return files | {DISPATCHER: dispatcher_schema()}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def stale_files(directory: Path) -> list[str]:
    """The schema files in `directory` that differ from what the models generate."""
    return [
        name
        for name, schema in generate().items()
        if not (directory / name).is_file() or (directory / name).read_text() != render(schema)
    ]


def write(directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    for name, schema in generate().items():
        (directory / name).write_text(render(schema))
    return sorted(generate())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqops.manifest.schemagen")
    parser.add_argument("directory", nargs="?", type=Path, default=Path("schemas"))
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.directory)
        for name in stale:
            print(f"{args.directory / name}: out of date; run python -m seqops.manifest.schemagen")
        return 1 if stale else 0
    for name in write(args.directory):
        print(args.directory / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
