"""The crash audits can fail: each bad state they look for, built by hand on the sandbox, is
found (a guard that never fires proves nothing)."""

from __future__ import annotations

import pytest

from tests.scenarios.kit import call, email, sequence, template

from .rig import Rig

pytestmark = pytest.mark.anyio


async def test_every_version_disabled_while_one_holds_prospects_is_stranded():
    """Outreach stops the active prospects of a disabled sequence (state `disabled`): they
    are still in flight, and a key whose versions are all disabled strands them."""
    rig = Rig()
    try:
        await rig.kit.converge(
            [template("intro"), sequence("s", [email("intro"), call()], enabled=True)]
        )
        live = await rig.kit.live("Sequence", "s")
        rig.kit.sandbox.enroll(live.id, 2)
        assert (await rig.audit()).stranded() == []
        document = {"data": {"type": "sequence", "attributes": {"name": "s (v2)"}}}
        document["data"]["attributes"]["tags"] = ["seqops:s"]
        await rig.raw.post("/sequences", document)  # a new version, created disabled
        assert (await rig.audit()).stranded() == []  # the old one still runs
        await rig.raw.action(f"/sequences/{live.id}/actions/disable")
        assert (await rig.audit()).stranded() == ["seqops:s"]
    finally:
        await rig.aclose()
