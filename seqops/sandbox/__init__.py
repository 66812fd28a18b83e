"""A faithful local stand-in for the Outreach API v2 (and Coefficy), served by Starlette.

In process (tests, the embedded default)::

    app = create_app()                      # or create_app("file.db", demo=True, ...)
    transport = httpx.ASGITransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://sandbox/api/v2",
                               headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    app.state.sandbox.generate_account(500)  # knobs and helpers live on the Sandbox

Over HTTP: `seqops sandbox serve` (base URL http://127.0.0.1:8765/api/v2). Injected dropped
connections surface as `httpx.RemoteProtocolError` both ways (see middleware.py).
"""

from seqops.sandbox.app import create_app
from seqops.sandbox.middleware import DroppedConnection
from seqops.sandbox.sandbox import DEFAULT_COEFFICY_TOKEN, DEFAULT_TOKEN, Sandbox

__all__ = ["DEFAULT_COEFFICY_TOKEN", "DEFAULT_TOKEN", "DroppedConnection", "Sandbox", "create_app"]
