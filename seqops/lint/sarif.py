"""Findings as SARIF 2.1.0, the format GitHub code scanning uploads (`github/codeql-action/
upload-sarif`): rule metadata with help text, one result per finding with a precise region,
and artifact URIs relative to the repository root (`%SRCROOT%`)."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from seqops.lint.finding import Finding, Severity
from seqops.lint.registry import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
ROOT = "SRCROOT"


def to_sarif(findings: list[Finding], root: Path | None = None) -> dict[str, Any]:
    root = (root or Path.cwd()).resolve()
    ids = list(RULES)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "seqops",
                        "version": _version(),
                        "rules": [_rule(RULES[rule_id]) for rule_id in ids],
                    }
                },
                "originalUriBaseIds": {ROOT: {"uri": root.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, ids.index(f.rule), root) for f in findings],
            }
        ],
    }


def _version() -> str:
    try:
        return version("seqops")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0"


def _rule(rule: Any) -> dict[str, Any]:
    doc = rule.doc()
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("/", "-").split("-")),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": doc},
        "help": {
            "text": f"{doc}\n\nSilence it with `# seqops-lint: disable={rule.id}`.",
            "markdown": f"{doc}\n\nSilence it with `# seqops-lint: disable={rule.id}` "
            f"on the line, or turn it off in seqops.yaml (`lint.rules`).",
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.id.split("/")[0]]},
    }


def _result(finding: Finding, index: int, root: Path) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line is not None and finding.end_column is not None:
        region |= {"endLine": finding.end_line, "endColumn": finding.end_column}
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": relative_uri(finding.file, root),
                        "uriBaseId": ROOT,
                    },
                    "region": region,
                }
            }
        ],
    }


def relative_uri(file: str, root: Path) -> str:
    """`file` as a URI reference relative to `root` (percent-encoded, `/`-separated)."""
    path = Path(file)
    absolute = path if path.is_absolute() else root / path
    try:
        relative = PurePosixPath(Path(os.path.relpath(absolute.resolve(), root)).as_posix())
    except ValueError:  # another drive on Windows
        return absolute.resolve().as_uri()
    return quote(str(relative))
