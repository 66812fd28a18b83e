"""Ctrl-C and SIGTERM during apply (DESIGN §4): no new write starts, the changes in flight
finish (for at most `GRACE_SECONDS`, or until a second signal) or are abandoned, the done /
failed / not attempted summary is printed, `--report` written, and apply exits 130 (SIGINT) or
143 (SIGTERM). Every state a signal leaves is one the next plan recognises from live state
alone (tests/crash kills applies at every request), so abandoning an HTTP request in flight is
safe: the next plan shows whether it was written.

Before writes start (planning, the confirmation prompt) a signal ends apply at once: nothing
was written.
"""

from __future__ import annotations

import asyncio
import signal

from rich.console import Console

SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 20.0
"""How long the changes in flight may take to finish after a signal: about one request's
deadline (DESIGN §4: a dead target stops the run within ~15 s)."""


class Interrupted(Exception):
    """A signal ended apply before anything was written."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by {signal.Signals(signum).name}: nothing was changed")
        self.signum = signum


class Interrupt:
    """Hears SIGINT and SIGTERM while apply runs; `stop` is the executor's hook."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.signum: int | None = None
        self.writing = False
        self.abandoned = False
        self._task: asyncio.Task[object] | None = None
        self._grace: asyncio.TimerHandle | None = None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum is not None else ""

    @property
    def reason(self) -> str | None:
        """The report's `error` and each change's reason once a signal was heard."""
        return f"interrupted by {self.name}: not started" if self.signum is not None else None

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process the signal ended."""
        return 128 + (self.signum or 0)

    def stop(self) -> str | None:
        return self.reason

    def listen(self) -> None:
        """From the running event loop: signals are heard from now on."""
        loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        for signum in SIGNALS:
            loop.add_signal_handler(signum, self._heard, signum)

    def deaf(self) -> None:
        """At the prompt the loop waits on the terminal, not on events, so its handlers would
        never run: a signal there raises `Interrupted` from the prompt itself (nothing was
        written; exit 130 or 143 with that said, not a bare death by SIGTERM)."""
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.remove_signal_handler(signum)
            signal.signal(signum, _end_at_once)

    def start_writing(self) -> None:
        """Called right before the first write: from now on a signal stops gracefully."""
        self.writing = True
        self.listen()
        if self.signum is not None:  # heard while the prompt was answered: write nothing
            raise Interrupted(self.signum)

    def _heard(self, signum: int) -> None:
        if self.signum is not None or not self.writing:
            self.signum = self.signum or signum
            self._abandon()
            return
        self.signum = signum
        self.console.print(
            f"interrupted by {self.name}: no new change starts; the changes in flight finish "
            f"(at most {GRACE_SECONDS:.0f} s; {self.name} again abandons them)",
            highlight=False,
            markup=False,
        )
        self._grace = asyncio.get_running_loop().call_later(GRACE_SECONDS, self._abandon)

    def _abandon(self) -> None:
        self.abandoned = self.writing
        if self._task is not None:
            self._task.cancel()

    def close(self) -> None:
        if self._grace is not None:
            self._grace.cancel()


def _end_at_once(signum: int, frame: object) -> None:
    raise Interrupted(signum)
