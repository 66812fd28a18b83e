"""Coefficy Campaign API (read-only): sequence actions for `status`, and the AutomationRule audit.

- `build_provider(target)`: the `CoefficyProvider` of a `provider: coefficy` target (the hook
  `seqops.providers.factory.build_provider` calls);
- `audit.read_and_audit(rules, provider)` / `audit.audit_rules(rules, actions)`: drift of
  AutomationRule manifests against live actions;
- `status.read_status(provider, since_minutes)`: outcome and automation counts per sequence.
"""

from seqops.config import TargetConfig
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE, CoefficyProvider


def build_provider(target: TargetConfig) -> CoefficyProvider:
    """The read-only provider of a Coefficy target (token by reference, never inline)."""
    return CoefficyProvider.from_target(target)


__all__ = ["READ_ONLY_MESSAGE", "CoefficyProvider", "build_provider"]
