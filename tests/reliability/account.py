"""A small account as manifest files, and what the live account must look like once applied:
every manifest object exactly once (no twin from a retried create, nothing lost), every
sequence with its steps in order and one template per email step."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx

from .conftest import CANARY

RULESET = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: default-rules}
spec: {displayName: Default rules, permitDuplicateProspects: disallow}
"""

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: %(name)s}
spec: {subject: "%(subject)s", bodyHtml: "<p>%(name)s</p>"}
"""

SEQUENCE = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {name: %(name)s}
spec:
  displayName: "%(title)s"
  ruleset: default-rules
  enabled: %(enabled)s
  steps:
    - {type: auto_email, wait: 0, template: %(name)s-intro}
    - {type: call, wait: %(wait)s}
    - {type: auto_email, wait: 3d, template: %(name)s-follow-up, isReply: true}
    - {type: task, wait: 1w, note: Last try}
"""
STEPS = 4
EMAIL_STEPS = 2


def names(n: int) -> list[str]:
    return [f"seq-{i}" for i in range(n)]


def write_account(directory: Path, n: int = 4, *, subject: str = "Hello", wait: str = "2d") -> Path:
    """`n` sequences (the first enabled), two templates each, one shared ruleset."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "rules.yaml").write_text(RULESET)
    for i, name in enumerate(names(n)):
        templates = [
            TEMPLATE % {"name": f"{name}-{t}", "subject": f"{subject} {t}"}
            for t in ("intro", "follow-up")
        ]
        sequence = SEQUENCE % {
            "name": name,
            "title": f"Sequence {i}",
            "enabled": "true" if i == 0 else "false",
            "wait": wait,
        }
        (directory / f"{name}.yaml").write_text("---\n".join([*templates, sequence]))
    return directory


def listed(url: str, collection: str) -> list[dict]:
    headers = {"Authorization": f"Bearer {CANARY}"}
    rows: list[dict] = []
    next_url: str | None = f"{url}/{collection}?page[size]=1000"
    with httpx.Client(headers=headers) as http:
        while next_url:
            page = http.get(next_url).raise_for_status().json()
            rows += page["data"]
            next_url = (page.get("links") or {}).get("next")
    return rows


def related(row: dict, name: str) -> str | None:
    data = (row.get("relationships", {}).get(name) or {}).get("data")
    return None if data is None else str(data["id"])


def assert_exactly_once(url: str, n: int) -> None:
    """Every object of `write_account(n)` is live exactly once, complete and in order."""
    sequences = [s for s in listed(url, "sequences") if _owner(s)]
    owners = Counter(_owner(s) for s in sequences)
    assert owners == Counter(names(n)), f"sequences by owner: {owners}"
    templates = Counter(_owner(t) for t in listed(url, "templates") if _owner(t))
    expected = Counter(f"{s}-{t}" for s in names(n) for t in ("intro", "follow-up"))
    assert templates == expected, f"templates by owner: {templates}"
    rulesets = Counter(r["attributes"]["name"] for r in listed(url, "rulesets"))
    assert rulesets["Default rules"] == 1, rulesets
    _assert_steps(url, {s["id"] for s in sequences})


def _assert_steps(url: str, sequence_ids: set) -> None:
    steps = [s for s in listed(url, "sequenceSteps") if related(s, "sequence") in
             {str(i) for i in sequence_ids}]  # fmt: skip
    orders: dict[str, list[int]] = {}
    for step in steps:
        orders.setdefault(related(step, "sequence"), []).append(step["attributes"]["order"])
    assert {k: sorted(v) for k, v in orders.items()} == {
        str(i): list(range(1, STEPS + 1)) for i in sequence_ids
    }
    step_ids = {str(s["id"]) for s in steps}
    bindings = Counter(
        related(b, "sequenceStep")
        for b in listed(url, "sequenceTemplates")
        if related(b, "sequenceStep") in step_ids
    )
    assert len(bindings) == EMAIL_STEPS * len(sequence_ids), bindings
    assert set(bindings.values()) == {1}, f"a step bound twice: {bindings}"


def _owner(row: dict) -> str | None:
    tags = row["attributes"].get("tags") or []
    owned = [t.removeprefix("seqops:") for t in tags if t.startswith("seqops:")]
    return owned[0] if owned else None
