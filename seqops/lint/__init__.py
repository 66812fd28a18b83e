"""Lint: content rules over valid manifests (merge fields, compliance, threading, cadence,
HTML and links, hygiene), with stable rule ids, severities, `seqops.yaml` configuration,
inline suppression and text/JSON/SARIF output.

findings = Linter(load(paths), settings).run()
for finding in findings:
    print(finding)          # FILE:LINE:COL: RULE-ID severity: message
"""

from seqops.lint.engine import Linter, invalid
from seqops.lint.finding import Finding, Severity
from seqops.lint.registry import RULES
from seqops.lint.settings import LintSettings

__all__ = ["RULES", "Finding", "LintSettings", "Linter", "Severity", "invalid"]
