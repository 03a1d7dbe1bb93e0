"""SIGTERM taken as Ctrl-C is: the run stops and removes its partial output, then exits 143.

By default SIGTERM (``kill``, a job scheduler's time limit, a container stopping) ends Python
at once: no ``finally`` runs, so temporary output stays behind and worker processes are left
alone. Raised as ``Terminated``, a ``KeyboardInterrupt``, it unwinds the run as Ctrl-C does.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""
TERMINATED = 143
"""Exit status after SIGTERM (128 + SIGTERM)."""


class Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM)."""


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises ``Terminated`` (in the main thread, the only one that can
    take a signal handler; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped(exc: KeyboardInterrupt) -> tuple[str, int]:
    """What to say and the exit status, after Ctrl-C or SIGTERM."""
    return ("terminated", TERMINATED) if isinstance(exc, Terminated) else ("interrupted", INTERRUPTED)
