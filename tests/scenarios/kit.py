"""Scenario helpers: manifests in a few lines, and a `Kit` that plans, applies and converges
against the sandbox in process."""

from __future__ import annotations

from typing import Any

import httpx

from seqops.apply.executor import apply
from seqops.apply.reconcile import Options, reconcile
from seqops.apply.report import ApplyReport
from seqops.config import Secret
from seqops.manifest.models import Resource, manifest_adapter
from seqops.plan.plan import Plan
from seqops.plan.planner import plan
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken
from seqops.sandbox.app import create_app

TOKEN = "sandbox-token"
TARGET = "scenario"


def resource(kind: str, name: str, spec: dict[str, Any] | None = None, **top: Any) -> Resource:
    return manifest_adapter.validate_python(
        {
            "apiVersion": "seqops/v1",
            "kind": kind,
            "metadata": {"name": name},
            "spec": spec or {},
            **top,
        }
    )


def template(name: str, subject: str = "Hello", **spec: Any) -> Resource:
    return resource("Template", name, {"subject": subject, "bodyHtml": f"<p>{name}</p>", **spec})


def sequence(name: str, steps: list[dict], **spec: Any) -> Resource:
    return resource("Sequence", name, {"steps": steps, **spec})


def email(template: str, wait: str = "1d") -> dict:
    return {"type": "auto_email", "wait": wait, "template": template}


def call(wait: str = "2d", note: str | None = None) -> dict:
    return {"type": "call", "wait": wait, **({"note": note} if note else {})}


def account() -> list[Resource]:
    """A small examples-like account: two templates, a ruleset, two sequences."""
    return [
        template("intro", "Quick intro"),
        template("follow-up", "Following up"),
        resource(
            "Ruleset",
            "default-rules",
            {"displayName": "Default rules", "permitDuplicateProspects": "disallow"},
        ),
        sequence(
            "inbound",
            [email("intro"), call("2d"), email("follow-up", "3d")],
            displayName="Inbound demo",
            enabled=True,
            ruleset="default-rules",
            tags=["inbound"],
        ),
        sequence(
            "outbound", [email("intro", "0"), call("1d", note="Ring them")], displayName="Outbound"
        ),
    ]


def edited(resources: list[Resource], name: str, **spec: Any) -> list[Resource]:
    """`resources` with the spec of the one named `name` updated."""
    out = []
    for r in resources:
        if r.name == name:
            data = r.model_dump(mode="json", exclude_none=True)
            data["spec"] = {**data["spec"], **spec}
            r = manifest_adapter.validate_python(data)
        out.append(r)
    return out


class Kit:
    """Plan, apply and converge against one in-process sandbox."""

    def __init__(self, app, provider: OutreachProvider):
        self.app = app
        self.sandbox = app.state.sandbox
        self.provider = provider
        self.client = provider.client

    async def plan(self, resources: list[Resource], **kw: Any) -> Plan:
        return await plan(resources, self.provider, TARGET, **kw)

    async def apply(self, p: Plan, allow_disruption: bool = False) -> ApplyReport:
        return await apply(p, self.provider, allow_disruption=allow_disruption)

    async def reconcile(self, resources: list[Resource], **options: Any):
        return await reconcile(resources, self.provider, TARGET, Options(**options), apply=True)

    async def converge(self, resources: list[Resource], **options: Any) -> Plan:
        """Apply, assert every change is done, then assert a re-plan has zero changes."""
        outcome = await self.reconcile(resources, **options)
        if outcome.report is not None:
            assert outcome.report.ok, [str(r) for r in outcome.report.results]
        again = await self.plan(resources, allow_delete=options.get("allow_delete", False))
        assert again.empty, [str(c) + " " + str([str(d) for d in c.diff]) for c in again.changes]
        return outcome.plan

    async def sequences(self) -> list[dict]:
        return await self.client.list_all("/sequences")

    async def live(self, kind: str, name: str):
        state = await self.provider.read()
        return state.owned(kind, name)


def make_provider(app, **client: Any) -> OutreachProvider:
    transport = httpx.ASGITransport(app=app)
    options = {"wait_initial": 0.001, "wait_max": 0.005, **client}
    http = JsonApiClient(
        "http://sandbox.test/api/v2", StaticToken(Secret(TOKEN)), transport=transport, **options
    )
    return OutreachProvider(http, "scenario sandbox")


def new_kit(**sandbox: Any) -> Kit:
    app = create_app(token=TOKEN, **sandbox)
    return Kit(app, make_provider(app))
