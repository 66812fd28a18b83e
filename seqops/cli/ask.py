"""A yes/no question on the terminal that a signal can always interrupt.

The answer is awaited in short `select` waits, not in one blocking read: the OS may hand a
SIGINT or SIGTERM to any thread of the process (an idle executor thread, say), and then the
main thread's read is never interrupted and the Python handler (`seqops.cli.interrupt`) would
wait for the person to press Enter. Between two waits the main thread runs Python again, and
with it any handler a signal left pending."""

from __future__ import annotations

import select
import sys

WAIT_SECONDS = 0.2
YES = ("y", "yes")
NO = ("", "n", "no")


def ask(question: str) -> bool:
    """`question [y/N]: ` until the answer is yes or no (Enter alone, or no more input: no)."""
    while True:
        sys.stdout.write(f"{question} [y/N]: ")
        sys.stdout.flush()
        line = _line()
        answer = line.strip().lower()
        if answer in YES or answer in NO or not line:
            return answer in YES
        sys.stdout.write("Error: invalid input\n")


def _line() -> str:
    while not select.select([sys.stdin], [], [], WAIT_SECONDS)[0]:
        pass
    return sys.stdin.readline()
