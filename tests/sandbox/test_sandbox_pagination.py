"""Cursor pagination walks thousands of rows without loss or repeats, quickly."""

from __future__ import annotations

import pytest
from sandbox_helpers import ApiClient, walk

from seqops.sandbox import create_app


@pytest.fixture(scope="module")
def big(request):
    """One sandbox with 2,000 sequences x 8 steps, shared by this module's read-only tests."""
    make_client = request.getfixturevalue("make_client")
    api = make_client()
    api.sandbox.generate_account(2000, 8)
    return api


@pytest.fixture(scope="module")
def make_client(spec_checker):
    # Module-scoped twin of the conftest fixture, so `big` is built once.
    clients = []

    def make(**options):
        client = ApiClient(create_app(**options), spec_checker.check_response)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_default_page_is_50_with_next_link_and_total_count(big):
    document = big.get("/sequences").json()
    assert len(document["data"]) == 50
    assert document["meta"]["count"] == 2000
    assert (
        "page%5Bafter%5D=" in document["links"]["next"]
        or "page[after]=" in document["links"]["next"]
    )


def test_walks_16000_steps_at_1000_per_page_without_loss_or_repeats(big):
    rows, pages = walk(big, "/sequenceSteps?page[size]=1000")
    ids = [r["id"] for r in rows]
    assert pages == 16 and len(ids) == 16000 and len(set(ids)) == 16000
    assert ids == sorted(ids)


@pytest.mark.parametrize("sort", ["-id", "name", "-name", "stepType,-order"])
def test_sorted_walks_keep_every_row_once_in_order(big, sort):
    path = "/sequenceSteps" if "stepType" in sort else "/sequences"
    rows, _ = walk(
        big,
        f"{path}?page[size]=700&sort={sort}&fields[sequence]=name&fields[sequenceStep]=stepType,order",
    )
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == (16000 if "stepType" in sort else 2000)
    first = sort.split(",")[0]
    key = first.lstrip("-")
    values = [r["id"] if key == "id" else r["attributes"][key] for r in rows]
    assert values == sorted(values, reverse=first.startswith("-"))


def test_filtered_walk_keeps_the_filter_across_pages(big):
    rows, pages = walk(
        big, "/sequenceSteps?page[size]=1000&filter[stepType]=auto_email&count=false"
    )
    assert pages == 6 and len(rows) == 2000 * 3
    assert {r["attributes"]["stepType"] for r in rows} == {"auto_email"}


def test_rows_created_during_a_walk_do_not_disturb_it(make_client):
    api = make_client()
    api.sandbox.generate_account(30, 1)
    first = api.get("/sequences?page[size]=10").json()
    api.sandbox.generate_account(5, 1, prefix="late")
    rows, _ = walk(api, first["links"]["next"])
    ids = [r["id"] for r in first["data"] + rows]
    assert len(ids) == len(set(ids)) == 35


def test_a_cursor_belongs_to_its_sort(big):
    cursor = big.get("/sequences?sort=name").json()["links"]["next"]
    assert big.get(cursor.replace("sort=name", "sort=-name")).status_code == 400
