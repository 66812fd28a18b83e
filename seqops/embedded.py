"""The embedded sandbox as a target: the emulator in this process, stored in `.seqops/`.

With no configuration at all the target is the embedded sandbox (DESIGN §3). It is wired here,
where targets are resolved (`seqops.targets`), not in `providers/`: the layer that talks to
APIs never imports the emulator.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from seqops.config import Secret, TargetConfig
from seqops.providers.base import ProviderError
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken
from seqops.sandbox.storage import StorageError

EMBEDDED_URL = "http://sandbox.invalid/api/v2"
"""Never resolved: requests to the embedded sandbox go through an in-process ASGI transport."""
EMBEDDED_TOKEN = "sandbox-token"


def embedded_provider(target: TargetConfig, *, concurrency: int = 8) -> OutreachProvider:
    """The sandbox in this process, stored in `target.sandbox_db` (created on first use)."""
    from seqops.sandbox.app import create_app  # the sandbox is only loaded when it is the target

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
    if directory.exists() and not directory.is_dir():
        raise StorageError(
            f"{directory} is a file, but the embedded sandbox keeps its data in that directory: "
            "move the file away (or configure a target in seqops.yaml)"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{directory}: cannot create the directory: {exc.strerror}") from None
