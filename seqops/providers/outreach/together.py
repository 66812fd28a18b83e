"""Concurrent reads that fail as one: the first failure cancels the others and waits for them.

`asyncio.gather` leaves the other requests running after one fails (an auth refusal, an
unreachable host); the process then exits with connections half-opened and Python warns
`coroutine ... was never awaited`. A TaskGroup cancels and awaits them; the caller gets the
first failure itself, not an ExceptionGroup, so the CLI still prints one line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def together(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    tasks: list[asyncio.Task[T]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_run(a)) for a in awaitables]
    except BaseExceptionGroup as failed:
        raise _first(failed) from None
    return [t.result() for t in tasks]


async def _run(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _first(group: BaseExceptionGroup) -> BaseException:
    first = group.exceptions[0]
    return _first(first) if isinstance(first, BaseExceptionGroup) else first
