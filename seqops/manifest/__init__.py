"""Manifests: load and validate YAML (syntax, JSON Schema, semantics) into typed resources.

result = load(["examples/"])
if not result.ok:
    for error in result.errors:
        print(error)            # FILE:LINE:COL: Kind/name: path: message
result.resources                # [Sequence, Template, ...] in file and document order
"""

from seqops.manifest.dump import dump
from seqops.manifest.durations import format_duration, parse_duration
from seqops.manifest.errors import ManifestError
from seqops.manifest.loader import LoadResult, load

__all__ = ["LoadResult", "ManifestError", "dump", "format_duration", "load", "parse_duration"]
