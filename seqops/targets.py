"""Glue between `seqops.yaml` targets and the CLI: resolve a target, build its provider."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seqops.config import ConfigError, TargetConfig, resolve_target
from seqops.embedded import embedded_provider
from seqops.overlay import OverlayError, R, apply_overrides
from seqops.plan.safety import SafetyThresholds
from seqops.providers import factory
from seqops.providers.base import Provider


@dataclass
class Target:
    config: TargetConfig
    provider: Provider

    @property
    def identity(self) -> str:
        """What a saved plan records and apply --plan compares: the name, URL or `sandbox`."""
        return self.config.name

    @property
    def description(self) -> str:
        return self.config.description

    @property
    def thresholds(self) -> SafetyThresholds:
        return SafetyThresholds.from_config(self.config.safety)

    def overlay(self, resources: list[R]) -> list[R]:
        """The manifests as this target sees them: its seqops.yaml `overrides` merged in.
        Raises `ConfigError` (one `seqops.yaml:LINE:COL:` line per problem)."""
        try:
            return apply_overrides(resources, self.config.overrides)
        except OverlayError as exc:
            raise ConfigError(str(exc)) from None


def open_target(
    name: str | None, config_path: Path | None = None, *, concurrency: int = 8
) -> Target:
    """The target `--target` names (None: seqops.yaml's default, else the embedded sandbox);
    seqops.yaml is `config_path`, or the one found from here up to the repository root.
    Raises `seqops.config.ConfigError` or `ProviderError` with a printable message."""
    config = resolve_target(name, config_path)
    return Target(config, build_provider(config, concurrency=concurrency))


def build_provider(config: TargetConfig, *, concurrency: int = 8) -> Provider:
    """The embedded sandbox, or the provider of an API target (`providers.factory`)."""
    if config.embedded:
        return embedded_provider(config, concurrency=concurrency)
    return factory.build_provider(config, concurrency=concurrency)
