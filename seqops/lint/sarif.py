"""Findings as SARIF 2.1.0, the format GitHub code scanning uploads (`github/codeql-action/
upload-sarif`): rule metadata with help text and a `helpUri`, one result per finding with a
full region (start and end), artifact URIs relative to the repository root (`%SRCROOT%`), and
what lets a consumer match a finding across runs while lines move around it:

- `partialFingerprints` from the rule, the resource, the field and the offending text
  (`Finding.fingerprint`), never the line or the message;
- a message whose first line is the rule's own stable text and whose details follow it, also
  given as `arguments` of the rule's `messageStrings` (`sarif diff` groups by that first line).
"""

from __future__ import annotations

import os
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from seqops.lint.finding import Finding, Severity
from seqops.lint.registry import RULES
from seqops.lint.rule import Rule
from seqops.project import documentation

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
ROOT = "SRCROOT"
FINGERPRINT = "seqopsFinding/v1"


def to_sarif(findings: list[Finding], root: Path | None = None) -> dict[str, Any]:
    root = (root or Path.cwd()).resolve()
    ids = list(RULES)
    sources = _Sources(root)
    seen: Counter[str] = Counter()
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "seqops",
                        "version": _version(),
                        "informationUri": documentation("lint.md"),
                        "rules": [_rule(RULES[rule_id]) for rule_id in ids],
                    }
                },
                "originalUriBaseIds": {ROOT: {"uri": root.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, ids.index(f.rule), root, sources, seen) for f in findings],
            }
        ],
    }


def _version() -> str:
    try:
        return version("seqops")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0"


def help_uri(rule_id: str) -> str:
    """The rule's section of docs/lint.md (GitHub's heading anchor: `merge-fieldunknown`)."""
    return documentation(f"lint.md#{rule_id.replace('/', '')}")


def stable_text(rule: Rule) -> str:
    """The rule's one-line description: the same for every finding of the rule."""
    return rule.summary()


def _rule(rule: Rule) -> dict[str, Any]:
    doc = rule.doc()
    escaped = stable_text(rule).replace("{", "{{").replace("}", "}}")
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("/", "-").split("-")),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": doc},
        "messageStrings": {"default": {"text": escaped + "\n{0}"}},
        "helpUri": help_uri(rule.id),
        "help": {
            "text": f"{doc}\n\nSilence it with `# seqops-lint: disable={rule.id}`.",
            "markdown": f"{doc}\n\nSilence it with `# seqops-lint: disable={rule.id}` "
            f"on the line, or turn it off in seqops.yaml (`lint.rules`).",
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.default_enabled},
        "properties": {"tags": [rule.id.split("/")[0]]},
    }


def _result(
    finding: Finding, index: int, root: Path, sources: _Sources, seen: Counter[str]
) -> dict[str, Any]:
    uri = relative_uri(finding.file, root)
    key = finding.fingerprint or f"{finding.rule}:{finding.kind}:{finding.name}:{finding.message}"
    seen[f"{uri}\0{key}"] += 1
    occurrence = seen[f"{uri}\0{key}"]
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {
            "text": f"{stable_text(RULES[finding.rule])}\n{finding.message}",
            "id": "default",
            "arguments": [finding.message],
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": ROOT},
                    "region": region(finding, sources),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: f"{key}:{occurrence}"},
    }


def region(finding: Finding, sources: _Sources) -> dict[str, int]:
    """Start and end, always: a finding with no span of its own ends where its line does."""
    start = {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}
    if finding.end_line is not None and finding.end_column is not None:
        return start | {"endLine": finding.end_line, "endColumn": finding.end_column}
    width = sources.width(finding.file, start["startLine"])
    end_column = max(width + 1, start["startColumn"] + 1)
    return start | {"endLine": start["startLine"], "endColumn": end_column}


class _Sources:
    """The lines of the files findings point into, read once each when a region needs them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def width(self, file: str, line: int) -> int:
        if file not in self._lines:
            try:
                path = Path(file) if Path(file).is_absolute() else self.root / file
                self._lines[file] = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeError):
                self._lines[file] = []
        lines = self._lines[file]
        return len(lines[line - 1]) if 0 < line <= len(lines) else 0


def relative_uri(file: str, root: Path) -> str:
    """`file` as a URI reference relative to `root` (percent-encoded, `/`-separated)."""
    path = Path(file)
    absolute = path if path.is_absolute() else root / path
    try:
        relative = PurePosixPath(Path(os.path.relpath(absolute.resolve(), root)).as_posix())
    except ValueError:  # another drive on Windows
        return absolute.resolve().as_uri()
    return quote(str(relative))
