"""A faithful local stand-in for the Outreach API v2 (and Coefficy), served by Starlette."""

from seqops.sandbox.app import create_app
from seqops.sandbox.middleware import DroppedConnection
from seqops.sandbox.sandbox import DEFAULT_COEFFICY_TOKEN, DEFAULT_TOKEN, Sandbox

__all__ = ["DEFAULT_COEFFICY_TOKEN", "DEFAULT_TOKEN", "DroppedConnection", "Sandbox", "create_app"]
