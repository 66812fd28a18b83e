"""Layer 2: a document against the JSON Schema, each error explained in one line at its path.

jsonschema is imported only when a document is checked against the schema: `lint` lets the
models decide (`model_first`) and needs the schema only to explain a document they refuse, and
importing jsonschema costs about 50 ms, a fifth of a lint of a few dozen templates."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError as ModelError

from seqops.manifest.durations import PATTERN as DURATION_PATTERN
from seqops.manifest.durations import parse_duration
from seqops.manifest.errors import Finding
from seqops.manifest.models.base import API_VERSION, NAME_PATTERN

if TYPE_CHECKING:
    from jsonschema import ValidationError

JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def schema_findings(data: Any) -> list[Finding]:
    from seqops.manifest.schemas import manifest_validator

    errors = list(manifest_validator().iter_errors(data))
    # `must be 'seqops/v1', not null` says all; `must be text, not null` beside it is noise
    named = {tuple(e.absolute_path) for e in errors if e.validator in ("const", "enum")}
    findings: list[Finding] = []
    for error in errors:
        if error.validator != "type" or tuple(error.absolute_path) not in named:
            findings.extend(explain(error))
    return list(dict.fromkeys(findings))  # the dispatcher and a kind may both say one thing


def model_findings(exc: ModelError) -> list[Finding]:
    """Pydantic's errors, for the rules a model checks beyond its schema."""
    return [
        Finding(tuple(error["loc"]), error["msg"].removeprefix("Value error, "))
        for error in exc.errors()
    ]


def explain(error: ValidationError) -> list[Finding]:
    path = tuple(error.absolute_path)
    if _is_duration(schema_of(error)):  # its type, minimum or pattern: one message
        return [Finding(path, _duration_message(error.instance))]
    if error.validator == "additionalProperties":
        known = list(schema_of(error).get("properties", {}))
        given = error.instance if isinstance(error.instance, dict) else {}
        extra = [k for k in given if k not in known]
        return [Finding((*path, key), unknown_key(key, known), at_key=True) for key in extra]
    if error.validator in ("anyOf", "oneOf"):
        return _alternatives(error, path)
    if error.validator == "pattern" and error.validator_value == NAME_PATTERN:
        value = error.instance if isinstance(error.instance, str) else None
        return [Finding(path, message(error), value=value)]
    return [Finding(path, message(error))]


def _alternatives(error: ValidationError, path: tuple[str | int, ...]) -> list[Finding]:
    schema = schema_of(error)
    if "errorMessage" in schema:
        return [Finding(path, schema["errorMessage"])]
    branches = _plausible_branches(error)
    if len(branches) == 1:  # `X | None` given something that is no null: explain X fully
        return [finding for sub in branches[0] for finding in explain(sub)]
    if not branches:
        return [Finding(path, message(error))]
    from jsonschema.exceptions import best_match

    return explain(best_match(sub for branch in branches for sub in branch))


def schema_of(error: ValidationError) -> Mapping[str, Any]:
    """The (sub)schema that failed; `true`/`false` schemas have no keywords to read."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _plausible_branches(error: ValidationError) -> list[list[ValidationError]]:
    """The failed alternatives grouped by branch, without the `null` one of an optional field."""
    branches: dict[str | int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    return [errors for errors in branches.values() if not _only_not_null(errors)]


def _only_not_null(errors: list[ValidationError]) -> bool:
    return (
        len(errors) == 1 and errors[0].validator == "type" and errors[0].validator_value == "null"
    )


def _is_duration(schema: Mapping[str, Any]) -> bool:
    return schema.get("pattern") == DURATION_PATTERN and "integer" in schema.get("type", ())


def _duration_message(value: Any) -> str:
    try:
        parse_duration(value)
    except ValueError as exc:
        return str(exc)
    return f"{show(value)} is not a duration"


def unknown_key(key: str, known: Iterable[str]) -> str:
    known = list(known)
    if close := suggest(key, known):
        return f"unknown key {key!r} (did you mean {close!r}?)"
    if known and len(known) <= 12:
        return f"unknown key {key!r}: expected one of {', '.join(known)}"
    return f"unknown key {key!r}"


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to a misspelt `word`, if any is close; case differences count little."""
    choices = [str(c) for c in choices]
    lowered = {c.lower(): c for c in choices}
    if str(word).lower() in lowered:
        return lowered[str(word).lower()]
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return close[0] if close else None


def message(error: ValidationError) -> str:
    """One line for one failed keyword; the value is shown short, never a wall of text."""
    schema = schema_of(error)
    if "errorMessage" in schema:
        return str(schema["errorMessage"])
    explain_keyword = _KEYWORDS.get(str(error.validator))
    if explain_keyword is None:
        return _shorten(error.message)
    return explain_keyword(error.validator_value, error.instance)


def _enum(values: list[Any], value: Any) -> str:
    text = f"{show(value)} is not one of {', '.join(show(v) for v in values)}"
    if isinstance(value, str) and (close := suggest(value, [v for v in values])):
        text += f" (did you mean {close!r}?)"
    return text


def _const(expected: Any, value: Any) -> str:
    text = f"must be {show(expected)}, not {show(value)}"
    if isinstance(expected, str) and isinstance(value, str):
        text += f" (did you mean {expected!r}?)"  # one value is right: it is the suggestion
    return text


def _type(expected: str | list[str], value: Any) -> str:
    names = [expected] if isinstance(expected, str) else expected
    wanted = " or ".join(JSON_TYPES.get(n, n) for n in names)
    return f"must be {wanted}, not {describe(value)}"


def _required(keys: list[str], value: Any) -> str:
    missing = [repr(k) for k in keys if k not in value]  # one line for all: they are one fix
    text = f"missing required key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    return text + (f" (apiVersion: {API_VERSION})" if "'apiVersion'" in missing else "")


def _pattern(pattern: str, value: Any) -> str:
    if pattern == NAME_PATTERN:
        return (
            f"{show(value)} is not a valid name: use lowercase letters, digits and '-', "
            "starting with a letter or a digit"
        )
    return f"{show(value)} does not match the pattern {pattern}"


def _not(schema: Any, value: Any) -> str:
    if (
        isinstance(schema, dict)
        and "required" in schema
        and set(schema) <= {"required", "properties"}
    ):
        return f"{', '.join(repr(k) for k in schema['required'])} must not be given here"
    return f"{show(value)} is not allowed here"


_KEYWORDS: dict[str, Callable[[Any, Any], str]] = {
    "enum": _enum,
    "const": _const,
    "type": _type,
    "required": _required,
    "pattern": _pattern,
    "not": _not,
    "maxLength": lambda n, v: f"is {len(v)} characters long; the limit is {n}",
    "minLength": lambda n, v: "must not be empty" if n == 1 else f"must be {n}+ characters long",
    "minimum": lambda n, v: f"must be at least {n}, not {show(v)}",
    "maximum": lambda n, v: f"must be at most {n}, not {show(v)}",
    "minItems": lambda n, v: f"needs at least {n} item{'s' if n != 1 else ''}",
    "maxItems": lambda n, v: f"takes at most {n} items, not {len(v)}",
    "format": lambda f, v: (
        f"{show(v)} is not a valid {f}" + (" (write it as YYYY-MM-DD)" if f == "date" else "")
    ),
}


def describe(value: Any) -> str:
    """A value's JSON type in words, with the value itself when it is short."""
    if isinstance(value, bool) or value is None:
        return show(value)
    if isinstance(value, dict | list):
        return JSON_TYPES["object" if isinstance(value, dict) else "array"]
    kind = "text" if isinstance(value, str) else "the number"
    return f"{kind} {show(value)}"


def show(value: Any, limit: int = 60) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[: limit - 3] + "...")
    if isinstance(value, dict | list):
        return describe(value)
    return str(value)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
