"""An ordered map over worker processes, with bounded memory and cheap transfers of bulk bytes.

Each task is ``(bulk, meta)``: ``bulk`` is the bytes of a chunk (its raw records), ``meta`` a
small description (their lengths); each result has the same shape (the output lines, and what
each record gave). Bulk bytes travel through shared memory, one slot per task in flight,
because pushing them through pipes costs the parent about as much CPU as a worker's
conversion: the parent, which also reads and writes, would be the bottleneck. Only ``meta`` is
pickled. (Slots are anonymous memory mapped before the workers fork, so nothing needs naming or
cleaning up; where processes are spawned instead of forked, or a bulk does not fit its slot, the
bytes go through the pipe.)

Why not ``multiprocessing.Pool``: its feeder thread drains the input as fast as it can read
it (memory grows with the input), and its two handler threads fight the parent's main thread
for the GIL. Here task ``n`` goes to worker ``n % jobs`` over that worker's own pipe, each
worker answers in order, so results are read back in order with no thread at all; at most
``window`` tasks are in flight, so memory stays flat whatever the input.
"""

from __future__ import annotations

import contextlib
import mmap
import multiprocessing
import signal
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from multiprocessing.connection import Connection
from typing import Any, Generic, NoReturn, TypeVar

Keep = TypeVar("Keep")
Meta = TypeVar("Meta")
ResultMeta = TypeVar("ResultMeta")

Work = Callable[[bytes, Meta], tuple[bytes, ResultMeta]]
"""``work(bulk, meta) -> (bulk, meta)``."""

IN_BYTES = 4 * 2**20
OUT_BYTES = 8 * 2**20
"""Capacity of a slot's two halves: tasks' and results' bulk bytes that fit go through memory."""

_Task = tuple[int, int, bytes | None, Any]  # slot, bulk size, the bulk itself if not in the slot, meta
_Answer = tuple[int, bytes | None, Any]  # bulk size, the bulk itself if not in the slot, meta

_slots: list[mmap.mmap] = []
"""Shared with the workers by fork; one map runs at a time."""


class WorkerError(RuntimeError):
    """A worker process failed (a bug, not a bad record: records fail one by one in ``work``)."""


def ordered_map(
    make_work: Callable[[], Work[Meta, ResultMeta]],
    items: Iterable[tuple[Keep, bytes, Meta]],
    *,
    jobs: int = 1,
    window: int | None = None,
) -> Generator[tuple[Keep, bytes | memoryview, ResultMeta], None, None]:
    """``(keep, *work(bulk, meta))`` for each item, in order; ``work = make_work()``, once per process.

    ``bulk`` and ``meta`` cross to a worker process, ``keep`` stays here: send workers only what
    they need. With ``jobs == 1`` everything runs in this process (no workers, no copies).
    A result's bulk may be a view of shared memory, valid until the generator is resumed: use
    it (write it out) or copy it before asking for the next result. Closing the generator early
    stops the workers.
    """
    if jobs <= 1:
        work = make_work()
        for keep, bulk, meta in items:
            yield keep, *work(bulk, meta)
        return
    global _slots
    window = window or 4 * jobs
    forks = "fork" in multiprocessing.get_all_start_methods()
    # Fork wherever it exists (not only where it is the default): workers then share the slots.
    context = multiprocessing.get_context("fork") if forks else multiprocessing.get_context("spawn")
    _slots = [mmap.mmap(-1, IN_BYTES + OUT_BYTES) for _ in range(window)] if forks else []
    workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        for _ in range(jobs):
            here, there = context.Pipe()
            process = context.Process(target=_serve, args=(there, make_work), daemon=True)
            process.start()
            there.close()
            workers.append((process, here))
        pending: deque[_Pending[Keep]] = deque()
        for n, (keep, bulk, meta) in enumerate(items):
            # Slot n % window is free: the task that used it last was read back (window rule below).
            slot = n % window
            connection = workers[n % jobs][1]
            task: _Task = (slot, len(bulk), None, meta)
            if _slots and len(bulk) <= IN_BYTES:
                _slots[slot][: len(bulk)] = bulk
            else:
                task = (slot, len(bulk), bulk, meta)
                # A big message can fill the pipe: first take every answer this worker owes, so
                # that it is not itself stuck sending a big answer while we are stuck sending.
                for earlier in pending:
                    if earlier.connection is connection and earlier.answer is None:
                        earlier.answer = _receive(connection)
            try:
                connection.send(task)
            except (BrokenPipeError, ConnectionResetError):
                _raise_failure(connection, pending)
            pending.append(_Pending(keep, slot, connection))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        for worker, connection in workers:
            connection.send(None)
            worker.join()
    finally:
        for worker, connection in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
            connection.close()
        for memory in _slots:
            # A view of the last result may still be held: then the memory goes with it.
            with contextlib.suppress(BufferError):
                memory.close()
        _slots = []


class _Pending(Generic[Keep]):
    """A task sent to a worker, and its answer once read."""

    __slots__ = ("answer", "connection", "keep", "slot")

    def __init__(self, keep: Keep, slot: int, connection: Connection) -> None:
        self.keep, self.slot, self.connection = keep, slot, connection
        self.answer: _Answer | None = None

    def result(self) -> tuple[Keep, bytes | memoryview, Any]:
        size, bulk, meta = self.answer or _receive(self.connection)
        if bulk is None:
            # A view, not a copy: a fresh megabyte of bytes per chunk costs the parent hundreds of
            # page faults, more than the rest of its work on the chunk.
            return self.keep, memoryview(_slots[self.slot])[IN_BYTES : IN_BYTES + size], meta
        return self.keep, bulk, meta


def _raise_failure(connection: Connection, pending: deque[_Pending[Keep]]) -> NoReturn:
    """A worker stopped reading: its last word (why it failed) waits behind its earlier answers."""
    for earlier in pending:
        if earlier.connection is connection and earlier.answer is None:
            earlier.answer = _receive(connection)  # raises the worker's error when it gets to it
    _receive(connection)
    raise WorkerError("a worker process died")


def _receive(connection: Connection) -> _Answer:
    try:
        answer = connection.recv()
    except EOFError:
        raise WorkerError("a worker process died") from None
    if isinstance(answer, str):
        raise WorkerError(f"a worker process failed: {answer}")
    return answer  # type: ignore[no-any-return]


def _serve(connection: Connection, make_work: Callable[[], Callable[[bytes, Any], tuple[bytes, Any]]]) -> None:
    """A worker's life: build the work function once, then answer tasks in order until None."""
    # Ctrl-C is the parent's to handle: it stops the workers and removes partial output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        work = make_work()
        while (task := connection.recv()) is not None:
            connection.send(_run(work, task))
    except Exception:
        connection.send(traceback.format_exc(limit=-3).strip().splitlines()[-1])
    finally:
        connection.close()


def _run(work: Callable[[bytes, Any], tuple[bytes, Any]], task: _Task) -> _Answer:
    slot, size, bulk, meta = task
    out, out_meta = work(_slots[slot][:size] if bulk is None else bulk, meta)
    if _slots and len(out) <= OUT_BYTES:
        _slots[slot][IN_BYTES : IN_BYTES + len(out)] = out
        return len(out), None, out_meta
    return len(out), out, out_meta
