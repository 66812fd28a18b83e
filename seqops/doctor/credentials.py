"""The OAuth refresh token's age: Outreach lets a refresh token expire 14 days after it was
made, or once 100 newer ones exist (Outreach support, as an integration recorded it). seqops
rotates it on every run and writes the new one back to its `file:` (atomically, before using
it), so the file's age is the time since the last run refreshed it. Past 10 days a rarely run
job is about to lose access: say so while there is time (docs/environments.md)."""

from __future__ import annotations

import math
import time
from pathlib import Path

from seqops.config import OAuth
from seqops.doctor.findings import Report

EXPIRES_AFTER_DAYS = 14
WARN_AFTER_DAYS = 10
DAY = 86400.0


def refresh_token_age(oauth: OAuth | None, now: float | None = None) -> float | None:
    """Seconds since the stored refresh token was last rotated (its file was written); None
    for a static token, or a reference seqops cannot date (`env:`)."""
    if oauth is None or oauth.refresh_token.scheme != "file":
        return None
    try:
        written = Path(oauth.refresh_token.target).stat().st_mtime
    except OSError:
        return None
    return max((time.time() if now is None else now) - written, 0.0)


def check_refresh_token(oauth: OAuth | None, age: float | None, report: Report) -> None:
    """One finding on the refresh token (none for a static bearer token)."""
    if oauth is None:
        return
    ref = oauth.refresh_token
    if age is None:
        report.add(
            "oauth",
            "info",
            f"the refresh token comes from {ref}: seqops cannot write the rotated one back "
            "there, nor tell when it last rotated; use a file: reference (docs/environments.md)",
        )
        return
    days = age / DAY
    said = f"the refresh token in {ref} was last rotated {_days(days)} ago"
    if days < WARN_AFTER_DAYS:
        report.add("oauth", "ok", f"{said}; every run rotates it")
        return
    left = EXPIRES_AFTER_DAYS - days
    expiry = (
        f"it expired {_days(-left)} ago: authorise the app again"
        if left <= 0
        else f"it expires in {_days(left)} unless seqops runs against this target before then"
    )
    report.add(
        "oauth",
        "warning",
        f"{said}; Outreach lets it expire {EXPIRES_AFTER_DAYS} days after it was made: {expiry} "
        "(a scheduled plan at least weekly keeps it alive)",
    )


def _days(days: float) -> str:
    whole = max(math.floor(days), 0)
    if whole == 0:
        return "less than a day"
    return f"{whole} day{'s' if whole != 1 else ''}"
