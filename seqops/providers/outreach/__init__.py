"""The Outreach provider: JSON:API client, auth, rate-limit pacing, mapping to manifest models."""

from seqops.providers.outreach.auth import AuthError, OAuthRefresh, StaticToken, auth_for
from seqops.providers.outreach.client import ApiError, JsonApiClient
from seqops.providers.outreach.provider import OutreachProvider

__all__ = [
    "ApiError",
    "AuthError",
    "JsonApiClient",
    "OAuthRefresh",
    "OutreachProvider",
    "StaticToken",
    "auth_for",
]
