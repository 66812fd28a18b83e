"""A step's or template's results as a reviewer weighs them: `1,240 delivered, 38.2 % opened,
3.1 % replied`, from the counters the account already holds (`Results`)."""

from __future__ import annotations

from seqops.providers.base import Results


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %"


def figures(results: Results | None) -> str | None:
    """One phrase, or None when the account counted nothing (a call, a new step)."""
    if results is None or not results.counted:
        return None
    sent = results.delivered
    if not sent:
        return f"{results.opened:,} opened, {results.replied:,} replied"
    parts = [f"{sent:,} delivered", f"{percent(results.opened, sent)} opened"]
    if results.clicked:
        parts.append(f"{percent(results.clicked, sent)} clicked")
    parts.append(f"{percent(results.replied, sent)} replied")
    if results.bounced:
        parts.append(f"{percent(results.bounced, sent)} bounced")
    return ", ".join(parts)
