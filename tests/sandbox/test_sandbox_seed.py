"""Reference data, the demo account, bulk generation and persistence in a SQLite file."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from seqops.sandbox import create_app


def names(api, path: str) -> list[str]:
    return [
        r["attributes"]["name"] for r in api.get(path, params={"page[size]": 1000}).json()["data"]
    ]


def test_every_sandbox_starts_with_reference_data(api):
    assert names(api, "/taskPriorities") == ["high", "medium", "low"]
    assert "Cold" in names(api, "/stages")
    assert api.get("/users").json()["meta"]["count"] >= 2
    mailboxes = api.get("/mailboxes", params={"include": "user"}).json()
    assert mailboxes["meta"]["count"] == api.get("/users").json()["meta"]["count"]
    assert {m["attributes"]["userId"] for m in mailboxes["data"]} == {
        u["id"] for u in mailboxes["included"]
    }
    prospects = api.get("/prospects", params={"page[size]": 100}).json()
    assert prospects["meta"]["count"] >= 20
    assert all(p["attributes"]["emails"] for p in prospects["data"])
    assert api.get("/sequences").json()["meta"]["count"] == 0
    # One ruleset, the account's default, as every Outreach account has.
    assert names(api, "/rulesets") == ["Default ruleset"]


def test_demo_adds_sequences_with_active_and_paused_prospects(make_client):
    api = make_client(demo=True)
    sequences = api.get(
        "/sequences", params={"include": "sequenceSteps.sequenceTemplates.template"}
    ).json()
    assert len(sequences["data"]) >= 3
    assert {s["attributes"]["sequenceType"] for s in sequences["data"]} == {"interval", "date"}
    assert any(s["attributes"]["enabled"] for s in sequences["data"])
    assert any(not s["attributes"]["enabled"] for s in sequences["data"])
    assert {r["type"] for r in sequences["included"]} == {
        "sequenceStep",
        "sequenceTemplate",
        "template",
    }
    for state in ("active", "paused", "finished"):
        assert (
            api.get("/sequenceStates", params={"filter[state]": state}).json()["meta"]["count"] > 0
        )
    assert api.get("/rulesets").json()["meta"]["count"] == 2  # the default and the demo's


def test_a_sandbox_file_keeps_data_and_seeds_once(tmp_path: Path, make_client):
    db = str(tmp_path / "keep.db")
    with mock.patch("seqops.sandbox.coefficy.seed_coefficy") as seed_coefficy:
        first = make_client(app=create_app(db, demo=True))
        created = first.post(
            "/templates", {"type": "template", "attributes": {"name": "kept"}}
        ).json()["data"]
        counts = {
            p: first.get(p).json()["meta"]["count"] for p in ("/users", "/prospects", "/sequences")
        }
        first.sandbox.close()
        second = make_client(app=create_app(db, demo=True))
        assert (
            second.get(f"/templates/{created['id']}").json()["data"]["attributes"]
            == created["attributes"]
        )
        assert {p: second.get(p).json()["meta"]["count"] for p in counts} == counts
    seed_coefficy.assert_called_once()
    assert seed_coefficy.call_args.args[1] is True  # told it is a demo


def test_generate_account_builds_the_whole_account(make_client):
    api = make_client()
    ids = api.sandbox.generate_account(500, 8)
    assert len(ids) == 500
    assert api.get("/sequenceSteps", params={"page[size]": 1}).json()["meta"]["count"] == 4000
    assert api.get("/templates", params={"page[size]": 1}).json()["meta"]["count"] == 500 * 3
    live = api.get(f"/sequences/{ids[0]}").json()["data"]["attributes"]
    assert live["sequenceStepCount"] == 8 and live["automationPercentage"] == 0.375


def test_enroll_uses_free_seed_prospects(api):
    [sequence] = api.sandbox.generate_account(1, 2)
    first = api.sandbox.enroll(sequence, 5)
    second = api.sandbox.enroll(sequence, 2, state="paused")
    states = api.get(
        "/sequenceStates", params={"filter[sequence][id]": sequence, "include": "prospect"}
    ).json()
    assert (
        len(states["data"])
        == 7
        == len({s["relationships"]["prospect"]["data"]["id"] for s in states["data"]})
    )
    assert [s["attributes"]["state"] for s in states["data"]] == ["active"] * 5 + ["paused"] * 2
    assert set(first + second) == {s["id"] for s in states["data"]}
