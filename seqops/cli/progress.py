"""How apply shows its progress (issue 14 point 7, issue 15 point 4).

On a terminal: a bar with done/total, elapsed time, ETA and the change(s) running now, and each
finished change printed above it as it ends. Without a terminal (CI logs): one line per finished
change as it ends, flushed at once, and a progress line at least every `HEARTBEAT_SECONDS`
while changes run, so a long or stuck apply is never silent.
"""

from __future__ import annotations

import threading
import time

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column

from seqops.apply.report import DONE, FAILED, ChangeResult
from seqops.cli.common import live_output
from seqops.plan.changes import Change
from seqops.sanitize import terminal

HEARTBEAT_SECONDS = 10.0
STATUS_STYLE = {DONE: "green", FAILED: "red"}


def result_line(result: ChangeResult) -> str:
    """`done: + create Sequence/x` (rich markup; account strings stripped of control
    characters and escaped)."""
    style = STATUS_STYLE.get(result.status, "yellow")
    change = escape(terminal(str(result.change), one_line=True))
    reason = f": {escape(terminal(result.reason, one_line=True))}" if result.reason else ""
    return f"[{style}]{result.status}[/{style}]: {change}{reason}"


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _bar(console: Console) -> Progress:
    """The figures keep their width (`5/12 elapsed 0:00:04 ETA 0:00:06` at 80 columns);
    the bar and the running change's name share what is left, the name cut with an ellipsis."""

    def fixed() -> Column:
        return Column(no_wrap=True)

    return Progress(
        TextColumn("applying", table_column=fixed()),
        BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=5)),
        MofNCompleteColumn(table_column=fixed()),
        TextColumn("elapsed", table_column=fixed()),
        TimeElapsedColumn(table_column=fixed()),
        TextColumn("ETA", table_column=fixed()),
        TimeRemainingColumn(table_column=fixed()),
        TextColumn(
            "{task.description}",
            table_column=Column(ratio=2, min_width=10, no_wrap=True, overflow="ellipsis"),
        ),
        console=console,
        transient=True,
        expand=True,
    )


class ApplyProgress:
    """Told when apply starts, when each change starts and ends, and when apply stops."""

    def __init__(self, console: Console, heartbeat: float | None = None):
        self.console = console
        self.heartbeat = HEARTBEAT_SECONDS if heartbeat is None else heartbeat
        self.live = live_output(console)
        self.lock = threading.Lock()
        self.running: dict[int, Change] = {}
        self.total = self.finished = self.failed = 0
        self.began = 0.0
        self.bar: Progress | None = None
        self.task = TaskID(0)
        self.stopped = threading.Event()
        self.ticker: threading.Thread | None = None
        self.printed = False
        """Whether per-change lines were printed as they happened (the report then only sums)."""

    def start(self, total: int) -> None:
        self.total, self.began, self.printed = total, time.monotonic(), True
        if self.live:
            self.bar = _bar(self.console)
            self.task = self.bar.add_task("", total=total)
            self.bar.start()
        else:
            self.ticker = threading.Thread(target=self._tick, name="apply-progress", daemon=True)
            self.ticker.start()

    def started(self, change: Change) -> None:
        with self.lock:
            self.running[id(change)] = change
            self._describe()

    def done(self, result: ChangeResult) -> None:
        with self.lock:
            self.running.pop(id(result.change), None)
            self.finished += 1
            self.failed += result.status != DONE
            self.console.print(result_line(result), highlight=False)
            self.console.file.flush()
            if self.bar is not None:
                self.bar.advance(self.task)
                self._describe()

    def stop(self) -> None:
        self.stopped.set()
        if self.ticker is not None:
            self.ticker.join()
        if self.bar is not None:
            self.bar.stop()

    def status_line(self) -> str:
        """`progress: 12/40 changes, 1 not done, elapsed 0:00:20, ETA 0:00:47, running: ...`"""
        elapsed = time.monotonic() - self.began
        parts = [f"progress: {self.finished}/{self.total} changes"]
        if self.failed:
            parts.append(f"{self.failed} not done")
        parts.append(f"elapsed {clock(elapsed)}")
        if self.finished:
            remaining = elapsed / self.finished * (self.total - self.finished)
            parts.append(f"ETA {clock(remaining)}")
        if self.running:
            parts.append(f"running: {self._current()}")
        return ", ".join(parts)

    def _tick(self) -> None:
        while not self.stopped.wait(self.heartbeat):
            with self.lock:
                self.console.print(escape(self.status_line()), highlight=False)
                self.console.file.flush()

    def _describe(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=escape(self._current()))

    def _current(self) -> str:
        changes = list(self.running.values())
        if not changes:
            return ""
        more = f" (+{len(changes) - 1} more)" if len(changes) > 1 else ""
        return f"{terminal(str(changes[0]), one_line=True)}{more}"
