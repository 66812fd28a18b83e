"""Build the Provider of an API target (see `seqops.config.resolve_target`). The embedded
sandbox is not an API target: it is wired where targets are resolved (`seqops.embedded`,
`seqops.targets`), so the layer that talks to APIs never imports the emulator."""

from __future__ import annotations

import importlib

from seqops.config import TargetConfig
from seqops.providers.base import Provider, ProviderError
from seqops.providers.outreach import JsonApiClient, OutreachProvider, auth_for


def build_provider(target: TargetConfig, *, concurrency: int = 8) -> Provider:
    """Outreach URLs here; other providers through their package's `build_provider(target)`
    hook (e.g. `seqops.providers.coefficy.build_provider`)."""
    if target.embedded:
        raise ProviderError("the embedded sandbox is built by seqops.targets, not by providers")
    if target.provider != "outreach":
        return _hook(target)
    if target.url is None:
        raise ProviderError(f"target {target.name!r} has no url")
    client = JsonApiClient(
        target.url,
        auth_for(target.token, target.oauth),
        concurrency=concurrency,
        page_size=target.page_size,
        timeout=target.timeout,
    )
    return OutreachProvider(client, target.description)


def _hook(target: TargetConfig) -> Provider:
    try:
        module = importlib.import_module(f"seqops.providers.{target.provider}")
    except ImportError:
        module = None
    build = getattr(module, "build_provider", None)
    if build is None:
        raise ProviderError(f"{target.provider} targets are not supported by this build")
    provider: Provider = build(target)
    return provider
