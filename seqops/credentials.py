"""Hostile or mistaken credentials and URLs: refused with one line that never echoes them.

People paste the token itself where the variable name goes (`token: "env:<the token>"`), put
it in a `--target` URL (`https://user:tok@host/`), or copy it with a stray newline or a
non-ASCII quote. None of these may reach a terminal, a log, a plan file or a retry loop.
"""

from __future__ import annotations

import re
from pathlib import Path

HIDDEN = "… (value hidden)"
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
"""What an environment variable name conventionally looks like (what people write)."""
_PLAIN_FILE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_SENDABLE = re.compile(r"^[\x21-\x7e]+$")
"""Visible ASCII: what an HTTP header (Authorization: Bearer …) can carry."""


def shown_reference(scheme: str, target: str) -> str:
    """How a token reference prints: `env:SEQOPS_TOKEN`, `file:/home/me/.token`, or, when
    the reference itself could be a token, `env:… (value hidden)`."""
    return f"{scheme}:{target}" if _looks_like_reference(scheme, target) else f"{scheme}:{HIDDEN}"


def _looks_like_reference(scheme: str, target: str) -> bool:
    if scheme == "env":
        return bool(_ENV_NAME.match(target))
    path = Path(target)
    return path.exists() or bool(_PLAIN_FILE.match(path.name))


def unsendable_token(value: str) -> bool:
    """A token with a space, a control character (a pasted newline) or a non-ASCII character
    cannot be sent as a bearer token: retrying would only fail the same way."""
    return not _SENDABLE.match(value)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a target (None: it can), in words that do not repeat it."""
    if any(not c.isprintable() or c.isspace() for c in url):
        return "it contains a space, a newline or a control character"
    if not url.isascii():
        return (
            "it contains a non-ASCII character (write the host in punycode, paths percent-encoded)"
        )
    authority = url.partition("://")[2].split("/", 1)[0]
    if "@" in authority:
        return "it carries credentials (user:…@host): put the token in SEQOPS_TOKEN or seqops.yaml"
    return None
