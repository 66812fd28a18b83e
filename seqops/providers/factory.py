"""Build the Provider a resolved target describes (see `seqops.config.resolve_target`)."""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx

from seqops.config import Secret, TargetConfig
from seqops.providers.base import Provider, ProviderError
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken, auth_for

EMBEDDED_URL = "http://sandbox.invalid/api/v2"
"""Never resolved: requests to the embedded sandbox go through an in-process ASGI transport."""
EMBEDDED_TOKEN = "sandbox-token"


def build_provider(target: TargetConfig, *, concurrency: int = 8) -> Provider:
    """Outreach URLs and the embedded sandbox here; other providers through their package's
    `build_provider(target)` hook (e.g. `seqops.providers.coefficy.build_provider`)."""
    if target.embedded:
        return embedded_provider(target, concurrency=concurrency)
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


def embedded_provider(target: TargetConfig, *, concurrency: int = 8) -> OutreachProvider:
    """The sandbox in this process, stored in `target.sandbox_db` (created on first use)."""
    from seqops.sandbox.app import create_app  # the sandbox is only loaded when it is the target
    from seqops.sandbox.storage import StorageError

    db = target.sandbox_db
    try:
        if db is not None:
            _make_directory(db.parent)
        app = create_app(db=str(db) if db is not None else ":memory:", token=EMBEDDED_TOKEN)
    except StorageError as exc:
        raise ProviderError(f"embedded sandbox: {exc}") from None
    transport = httpx.ASGITransport(app=app)
    auth = StaticToken(Secret(EMBEDDED_TOKEN))
    client = JsonApiClient(EMBEDDED_URL, auth, transport=transport, concurrency=concurrency)
    return OutreachProvider(client, target.description)


def _make_directory(directory: Path) -> None:
    from seqops.sandbox.storage import StorageError

    if directory.exists() and not directory.is_dir():
        raise StorageError(
            f"{directory} is a file, but the embedded sandbox keeps its data in that directory: "
            "move the file away (or configure a target in seqops.yaml)"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{directory}: cannot create the directory: {exc.strerror}") from None


def _hook(target: TargetConfig) -> Provider:
    try:
        module = importlib.import_module(f"seqops.providers.{target.provider}")
    except ImportError:
        module = None
    build = getattr(module, "build_provider", None)
    if build is None:
        raise ProviderError(f"{target.provider} targets are not supported by this build")
    return build(target)
