"""seqops.yaml checked the way manifests are: every problem at once, each one line at
`FILE:LINE:COL`, list positions 1-based, a "did you mean" for misspelt keys and names.

The file is read and parsed by the manifest machinery (`manifest.files`, `manifest.yamlnodes`:
regular files only, UTF-8, duplicate keys refused, positions kept) and checked by the pydantic
model of each section; this module turns the model's errors into located lines. A new section
needs only its model: unknown keys, missing keys and bad choices are explained from it.

Values are never shown, except the choices a field offers: seqops.yaml names credentials, and
a token pasted in the wrong place must not be echoed back.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

from seqops.manifest.errors import Finding, ManifestError, format_path
from seqops.manifest.files import SourceError, read_text
from seqops.manifest.schema_check import suggest, unknown_key
from seqops.manifest.yamlnodes import Document, parse

_QUOTED = re.compile(r"'([^']*)'")


class Problems(Exception):
    """seqops.yaml's located problems, one line each."""

    def __init__(self, errors: list[ManifestError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def read(path: Path) -> Document | None:
    """The one YAML document of seqops.yaml (None when the file holds none)."""
    try:
        text = read_text(path)
    except SourceError as exc:
        raise Problems([_line(path, exc.line, exc.column, exc.message)]) from None
    parsed = parse(text)
    if parsed.problems:
        raise Problems([_line(path, p.line, p.column, p.message) for p in parsed.problems])
    documents = [d for d in parsed.documents if d.data is not None]
    if len(documents) > 1:
        line, column = documents[1].position
        raise Problems([_line(path, line, column, "seqops.yaml holds one YAML document, not two")])
    return documents[0] if documents else None


def findings(model: type[BaseModel], data: Any, exc: ValidationError) -> list[Finding]:
    """The model's errors as findings at paths of `data`, one per problem."""
    found: dict[tuple[str | int, ...], Finding] = {}
    for error in exc.errors():
        finding = _finding(model, data, error)
        previous = found.get(finding.path)
        # a value that fits no member of a union fails once per member: keep the best reason
        if previous is None or _rank(error) < _rank_of(previous):
            found[finding.path] = finding
    return list(found.values())


def locate(path: Path, document: Document | None, found: Iterable[Finding]) -> list[ManifestError]:
    """Each finding at its `FILE:LINE:COL`, in the order of the file."""
    errors = []
    for finding in found:
        line, column = document.locate(finding.path, finding.at_key) if document else (1, 1)
        errors.append(
            ManifestError(
                file=str(path),
                line=line,
                column=column,
                path=format_path(finding.path),
                message=finding.message,
            )
        )
    errors.sort(key=lambda e: (e.line or 0, e.column or 0))
    return list(dict.fromkeys(errors))


def unknown_name(what: str, name: str, known: Iterable[str]) -> str:
    """ "unknown target 'stagin' (did you mean 'staging'?)", or the names there are."""
    known = sorted(known)
    if close := suggest(name, known):
        return f"unknown {what} {name!r} (did you mean {close!r}?)"
    return f"unknown {what} {name!r} (defined: {', '.join(known) or 'none'})"


# --- one pydantic error -> one finding ------------------------------------------------------


def _finding(model: type[BaseModel], data: Any, error: Any) -> Finding:
    path = _data_path(data, error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        fields = _fields_at(model, path[:-1])
        return Finding(path, unknown_key(str(path[-1]), fields or ()), at_key=True)
    if kind == "missing":
        key = error["loc"][-1]
        return Finding(path[:-1] if path and path[-1] == key else path, f"missing key {key!r}")
    if kind in ("literal_error", "enum"):
        return Finding(path, _choice(error))
    return Finding(path, message(error))


def message(error: Any) -> str:
    """One pydantic error in the words manifest errors use, without the value."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _TYPES:
        return f"must be {_TYPES[kind]}"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        bound = ctx.get(key)
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"must be {word} {bound}"
    text = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return text.removeprefix("Input ")


_TYPES = {
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "list_type": "a list",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
}
"""pydantic's type errors in the words manifest errors use (never with the value)."""
_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _rank(error: Any) -> int:
    return {"literal_error": 0, "enum": 0, "extra_forbidden": 1}.get(error["type"], 2)


def _rank_of(finding: Finding) -> int:
    return 0 if "is not one of" in finding.message else 2


def _choice(error: Any) -> str:
    """ "'hubspot' is not one of 'outreach', 'coefficy'": choices are no secret, and a
    value that was meant as one of them is no credential either."""
    choices = _QUOTED.findall(str(error.get("ctx", {}).get("expected", "")))
    given = error.get("input")
    text = f"is not one of {', '.join(repr(c) for c in choices)}"
    if isinstance(given, str) and len(given) <= 40 and (close := suggest(given, choices)):
        return f"{given!r} {text} (did you mean {close!r}?)"
    return f"{given!r} {text}" if isinstance(given, str) and len(given) <= 40 else f"{text}"


def _data_path(data: Any, loc: Iterable[Any]) -> tuple[str | int, ...]:
    """pydantic's `loc` without the union members and validators it names along the way:
    only the keys and indexes that are in the document (and a last key that is missing)."""
    path: list[str | int] = []
    node = data
    parts = list(loc)
    for i, part in enumerate(parts):
        if _holds(node, part):
            node = node[part]
            path.append(part)
        elif i == len(parts) - 1 and isinstance(node, dict) and isinstance(part, str):
            path.append(part)  # a missing key: the last part names it
    return tuple(path)


def _holds(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str] | None:
    """The keys the model allows at `path` (a mapping inside the document), if it is a model."""
    current: Any = model
    for part in path:
        current = _model_or_container(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        else:
            return None
    current = _model_or_container(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _model_or_container(annotation: Any) -> Any:
    """`X | None`, `Annotated[X, ...]` and unions of a literal, a bool and a model -> the one
    member that has keys (a model, a dict or a list), else the annotation as it is."""
    if typing.get_origin(annotation) is Annotated:
        return _model_or_container(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [_model_or_container(a) for a in typing.get_args(annotation)]
        for member in members:
            if _has_keys(member):
                return member
        return annotation
    return annotation


def _has_keys(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return typing.get_origin(annotation) in (dict, list)


def _line(path: Path, line: int, column: int, message: str) -> ManifestError:
    return ManifestError(file=str(path), line=line, column=column, message=message)


def rules(data: Any) -> Iterator[Finding]:
    """What the models cannot see alone: `default` names one of the targets."""
    if not isinstance(data, dict):
        return
    default, targets = data.get("default"), data.get("targets")
    names = list(targets) if isinstance(targets, dict) else []
    if isinstance(default, str) and default not in names:
        yield Finding(("default",), unknown_name("target", default, names))
