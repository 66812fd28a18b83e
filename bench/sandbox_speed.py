"""How fast the sandbox builds and pages a large account (figures the unit tests used to assert
as wall-clock bounds: 500 x 8 generated in under 2 s, under 0.5 s a page of 1,000 steps).

    .venv/bin/python bench/sandbox_speed.py
"""

from __future__ import annotations

import asyncio
import time

import harness
import httpx

from seqops.sandbox import DEFAULT_TOKEN, create_app

HEADERS = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


async def walk(client: httpx.AsyncClient, url: str) -> int:
    pages = 0
    while url:
        document = (await client.get(url, headers=HEADERS)).json()
        pages += 1
        url = document.get("links", {}).get("next")
    return pages


async def page_timing(app, path: str) -> tuple[int, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        started = time.perf_counter()
        pages = await walk(client, f"http://sandbox/api/v2{path}")
    return pages, time.perf_counter() - started


def main() -> None:
    rows = []
    for sequences, steps in ((500, 8), (2000, 8)):
        app = create_app()
        started = time.perf_counter()
        app.state.sandbox.generate_account(sequences, steps)
        built = time.perf_counter() - started
        pages, walked = asyncio.run(page_timing(app, "/sequenceSteps?page[size]=1000"))
        rows.append([f"{sequences} x {steps}", f"{built:.2f}", pages, f"{walked / pages:.3f}"])
        app.state.sandbox.close()
    print(
        f"sandbox: generate_account and a walk of /sequenceSteps at 1,000 a page\n{harness.machine()}\n"
    )
    harness.print_table(["account", "generate s", "pages", "s per page"], rows)


if __name__ == "__main__":
    main()
