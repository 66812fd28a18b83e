"""The committed JSON Schema files, found in a checkout or in an installed wheel, and the one
validator seqops builds from them per process."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from seqops.manifest import schemagen

_CHECKOUT = Path(__file__).resolve().parents[2] / "schemas"


def schema_dir() -> Path | None:
    """`seqops/_schemas` in a wheel (pyproject force-includes it), else the checkout's `schemas/`."""
    installed = resources.files("seqops") / "_schemas"
    for candidate in (Path(str(installed)), _CHECKOUT):
        if (candidate / schemagen.DISPATCHER).is_file():
            return candidate
    return None


@cache
def load_schema(name: str = schemagen.DISPATCHER) -> dict[str, Any]:
    """A schema file by name; generated from the models when no file ships (same content: a
    test keeps the committed files equal to what the generator writes)."""
    directory = schema_dir()
    if directory is None:
        return schemagen.generate()[name]
    return json.loads((directory / name).read_text(encoding="utf-8"))


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """`pattern` as ECMA-262 (editors, check-jsonschema) and pydantic read it: `$` ends the text.
    Python's `re` also lets `$` match before a final newline, accepting "name\\n"."""
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


ManifestValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@cache
def manifest_validator(name: str = schemagen.DISPATCHER) -> Draft202012Validator:
    """Built once: compiling a schema costs more than validating a document with it."""
    return ManifestValidator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)
