"""Lint: content rules over valid manifests (merge fields, compliance, threading, cadence,
HTML and links, hygiene), with stable rule ids, severities, `seqops.yaml` configuration,
inline suppression and text/JSON/SARIF output.

findings = Linter(load(paths), settings).run()
for finding in findings:
    print(finding)          # FILE:LINE:COL: RULE-ID severity: message

The names below are imported on first use: `seqops.config` reads `seqops.lint.settings`
without loading the rules.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RULES": "seqops.lint.registry",
    "Finding": "seqops.lint.finding",
    "Severity": "seqops.lint.finding",
    "LintSettings": "seqops.lint.settings",
    "Linter": "seqops.lint.engine",
    "invalid": "seqops.lint.engine",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'seqops.lint' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
