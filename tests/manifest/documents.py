"""Small valid manifests of every kind, as plain data, for tests to start from and break."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

from seqops.manifest import LoadResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def template(name: str = "intro", **spec: Any) -> dict[str, Any]:
    return envelope("Template", name, {"subject": "Hi {{first_name}}", **spec})


def ruleset(name: str = "standard", **spec: Any) -> dict[str, Any]:
    return envelope("Ruleset", name, {"permitDuplicateProspects": "allow", **spec})


def sequence(name: str = "inbound", steps: list[dict] | None = None, **spec: Any) -> dict:
    if steps is None:
        steps = [
            {"type": "auto_email", "wait": 0, "template": "intro"},
            {"type": "call", "wait": "2d", "priority": "high"},
        ]
    return envelope("Sequence", name, {"steps": steps, **spec})


def automation_rule(name: str = "meeting-booked", **spec: Any) -> dict[str, Any]:
    opportunity = {"title": "Meeting booked", "deadline": 30}
    return envelope(
        "AutomationRule", name, {"sequence": 102, "onSuccess": {"opportunity": opportunity}, **spec}
    )


def envelope(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


GOOD = {
    "Sequence": sequence(),
    "Template": template(),
    "Ruleset": ruleset(),
    "AutomationRule": automation_rule(),
}


def good(kind: str) -> dict[str, Any]:
    return copy.deepcopy(GOOD[kind])


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def messages(result: LoadResult) -> list[str]:
    return [error.message for error in result.errors]
