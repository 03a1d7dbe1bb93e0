"""An ordered map over worker processes, with bounded memory and cheap transfers of bulk bytes.

Each task is ``(bulk, meta)``: ``bulk`` is the bytes of a chunk (its raw records), ``meta`` a
small description (their lengths); each result has the same shape (the output lines, and what
each record gave). Bulk bytes travel through shared memory, one slot per task in flight,
because pushing them through pipes costs the parent about as much CPU as a worker's
conversion: the parent, which also reads and writes, would be the bottleneck. Only ``meta`` is
pickled. (Slots are anonymous memory mapped before the workers fork, so nothing needs naming or
cleaning up; where processes are spawned instead of forked, or a bulk does not fit its slot, the
bytes go through the pipe.)

The parent is one of the ``jobs`` processes that work: between reading a chunk and writing a
result it would otherwise wait, while its reading and writing take a worker's core from time
to time. So it sends a task to the worker with the fewest queued, unless each already has its
share of ``window``, and then does the task itself: it stays busy, the workers never run dry,
and the split follows how much reading (or decompressing) the parent has to do.

Why not ``multiprocessing.Pool``: its feeder thread drains the input as fast as it can read
it (memory grows with the input), and its two handler threads fight the parent's main thread
for the GIL. Here each worker has its own pipe and answers in order, so results are read back
in order with no thread at all; at most ``window`` tasks are in flight and at most twice that
many results are held back, so memory stays flat whatever the input.

Workers never outlive this process. On Linux the kernel sends a worker SIGTERM when its parent
dies (``PR_SET_PDEATHSIG``), killed or not; everywhere a worker notices when its pipe ends (each
worker holds only its own pipe, or the others' copies would keep them open). A worker whose
parent is gone calls ``orphaned`` (the run's cleanup: its temporary output) and exits: it has
no one to answer, and what it holds (open files, memory) goes with it.

The end of the pipe is itself the news of the parent's death, not a hint to check: this process
closes a worker's pipe only once that worker has exited, so a pipe that ends while its worker
runs was closed by the kernel, ending this process. The kernel closes a dying process's files
before it hands its children to another parent, and a worker can run in between (on a loaded
machine, for as long as the scheduler likes), still seeing the dying process as its parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

if TYPE_CHECKING:
    import mmap
    import multiprocessing.process
    from multiprocessing.connection import Connection

Keep = TypeVar("Keep")
Meta = TypeVar("Meta")
ResultMeta = TypeVar("ResultMeta")

Work = Callable[[bytes, Meta], tuple[bytes, ResultMeta]]
"""``work(bulk, meta) -> (bulk, meta)``."""

IN_BYTES = 4 * 2**20
OUT_BYTES = 8 * 2**20
"""Capacity of a slot's two halves: tasks' and results' bulk bytes that fit go through memory."""

_QUEUED = 3
"""Items queued for each worker: enough that none waits while this process does an item itself."""

_Task = tuple[int, int, bytes | None, Any]  # slot, bulk size, the bulk itself if not in the slot, meta
_Answer = tuple[int, bytes | None, Any]  # bulk size, the bulk itself if not in the slot, meta

_slots: list[mmap.mmap] = []
"""Shared with the workers by fork; one map runs at a time."""

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class WorkerError(RuntimeError):
    """A worker process failed (a bug, not a bad record: records fail one by one in ``work``)."""


def ordered_map(
    make_work: Callable[[], Work[Meta, ResultMeta]],
    items: Iterable[tuple[Keep, bytes, Meta]],
    *,
    jobs: int = 1,
    window: int | None = None,
    orphaned: Callable[[], object] | None = None,
) -> Generator[tuple[Keep, bytes | memoryview, ResultMeta], None, None]:
    """``(keep, *work(bulk, meta))`` for each item, in order; ``work = make_work()``, once per process.

    ``jobs`` processes do the work: this one and ``jobs - 1`` workers. ``bulk`` and ``meta``
    cross to a worker, ``keep`` stays here: send workers only what they need. This process does
    an item itself whenever every worker already has its share of ``window`` items queued, so it
    works between reading and writing instead of waiting, and the workers never run dry. With
    ``jobs == 1`` everything runs here (no workers, no copies).
    A result's bulk may be a view of shared memory, valid until the generator is resumed: use
    it (write it out) or copy it before asking for the next result. Closing the generator early
    stops the workers. A worker that finds this process gone calls ``orphaned`` (where workers
    are forked: it is a copy of this process's callable, state and all) before it exits.
    """
    work = make_work()
    if jobs <= 1:
        for keep, bulk, meta in items:
            yield keep, *work(bulk, meta)
        return
    # Imported here: a run in one process needs neither (a tenth of a conversion's start-up).
    import mmap
    import multiprocessing

    global _slots
    helpers = jobs - 1
    window = max(window or _QUEUED * helpers, helpers)
    queued = window // helpers
    forks = "fork" in multiprocessing.get_all_start_methods()
    # Fork wherever it exists (not only where it is the default): workers then share the slots.
    context = multiprocessing.get_context("fork") if forks else multiprocessing.get_context("spawn")
    _slots = [mmap.mmap(-1, IN_BYTES + OUT_BYTES) for _ in range(window)] if forks else []
    workers: list[_Worker] = []
    try:
        for _ in range(helpers):
            here, there = context.Pipe()
            # A forked worker gets copies of this process's ends of the pipes, its own and the
            # earlier workers': it closes them at once, or its own pipe could never end.
            others = [here, *(worker.connection for worker in workers)] if forks else []
            cleanup = orphaned if forks else None  # a spawned worker would need it pickled
            args = (there, make_work, os.getpid(), others, cleanup)
            process = context.Process(target=_serve, args=args, daemon=True)
            process.start()
            there.close()
            workers.append(_Worker(process, here))
        free = list(range(window))
        pending: deque[_Sent[Keep] | _Done[Keep]] = deque()
        for keep, bulk, meta in items:
            worker = min(workers, key=_queued)
            if worker.queued < queued:
                pending.append(_send(worker, free.pop(), bulk, meta, keep, pending))
            else:
                pending.append(_Done(keep, *work(bulk, meta)))
            yield from _hand_back(pending, free, 2 * window)
        yield from _hand_back(pending, free, 0)
        for worker in workers:
            worker.connection.send(None)
            worker.process.join()
    finally:
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.connection.close()
        for memory in _slots:
            # A view of the last result may still be held: then the memory goes with it.
            with contextlib.suppress(BufferError):
                memory.close()
        _slots = []


class _Worker:
    """A worker process, its pipe, and how many of its items are not yet handed back."""

    __slots__ = ("connection", "process", "queued")

    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection) -> None:
        self.process, self.connection, self.queued = process, connection, 0


def _queued(worker: _Worker) -> int:
    return worker.queued


def _send(
    worker: _Worker, slot: int, bulk: bytes, meta: Any, keep: Keep, pending: deque[_Sent[Keep] | _Done[Keep]]
) -> _Sent[Keep]:
    task: _Task = (slot, len(bulk), None, meta)
    if _slots and len(bulk) <= IN_BYTES:
        _slots[slot][: len(bulk)] = bulk
    else:
        task = (slot, len(bulk), bulk, meta)
        # A big message can fill the pipe: first take every answer this worker owes, so that it
        # is not itself stuck sending a big answer while we are stuck sending.
        for earlier in pending:
            if isinstance(earlier, _Sent) and earlier.worker is worker and earlier.answer is None:
                earlier.answer = _receive(worker.connection)
    try:
        worker.connection.send(task)
    except (BrokenPipeError, ConnectionResetError):
        _raise_failure(worker, pending)
    worker.queued += 1
    return _Sent(keep, slot, worker)


def _hand_back(
    pending: deque[_Sent[Keep] | _Done[Keep]], free: list[int], held: int
) -> Generator[tuple[Keep, bytes | memoryview, Any], None, None]:
    """The results at the head of ``pending``, in order: those that are done, and the next ones
    too (waiting for them) while more than ``held`` are pending."""
    while pending and (len(pending) > held or pending[0].ready()):
        done = pending.popleft()
        yield done.result()
        done.release(free)  # only now: the result may be a view of the slot


class _Sent(Generic[Keep]):
    """An item sent to a worker: its slot, and the worker's answer once read."""

    __slots__ = ("answer", "keep", "slot", "worker")

    def __init__(self, keep: Keep, slot: int, worker: _Worker) -> None:
        self.keep, self.slot, self.worker = keep, slot, worker
        self.answer: _Answer | None = None

    def ready(self) -> bool:
        return self.answer is not None or self.worker.connection.poll()

    def result(self) -> tuple[Keep, bytes | memoryview, Any]:
        size, bulk, meta = self.answer or _receive(self.worker.connection)
        if bulk is None:
            # A view, not a copy: a fresh megabyte of bytes per chunk costs the parent hundreds of
            # page faults, more than the rest of its work on the chunk.
            return self.keep, memoryview(_slots[self.slot])[IN_BYTES : IN_BYTES + size], meta
        return self.keep, bulk, meta

    def release(self, free: list[int]) -> None:
        """Once the result is used: the slot can take another item, the worker is owed one less."""
        free.append(self.slot)
        self.worker.queued -= 1


class _Done(Generic[Keep]):
    """An item done in this process."""

    __slots__ = ("value",)

    def __init__(self, keep: Keep, bulk: bytes, meta: Any) -> None:
        self.value = (keep, bulk, meta)

    def ready(self) -> bool:
        return True

    def result(self) -> tuple[Keep, bytes | memoryview, Any]:
        return self.value

    def release(self, free: list[int]) -> None:
        pass


def _raise_failure(worker: _Worker, pending: deque[_Sent[Keep] | _Done[Keep]]) -> NoReturn:
    """A worker stopped reading: its last word (why it failed) waits behind its earlier answers."""
    for earlier in pending:
        if isinstance(earlier, _Sent) and earlier.worker is worker and earlier.answer is None:
            earlier.answer = _receive(worker.connection)  # raises the worker's error when it gets to it
    _receive(worker.connection)
    raise WorkerError("a worker process died")


def _receive(connection: Connection) -> _Answer:
    try:
        answer = connection.recv()
    except EOFError:
        raise WorkerError("a worker process died") from None
    if isinstance(answer, str):
        raise WorkerError(f"a worker process failed: {answer}")
    return answer  # type: ignore[no-any-return]


def _serve(
    connection: Connection,
    make_work: Callable[[], Callable[[bytes, Any], tuple[bytes, Any]]],
    parent: int,
    others: list[Connection],
    orphaned: Callable[[], object] | None,
) -> None:
    """A worker's life: build the work function once, then answer tasks in order until None, or
    until the parent is gone."""
    # Ctrl-C is the parent's to handle: it stops the workers and removes partial output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: _terminated(parent, orphaned))
    _die_with_parent()
    for other in others:
        other.close()
    if os.getppid() != parent:  # it died before the line above could ask to be told
        _orphaned(orphaned)
    try:
        work = make_work()
        while (task := _next_task(connection, orphaned)) is not None:
            _reply(connection, _run(work, task), orphaned)
    except Exception:
        _reply(connection, traceback.format_exc(limit=-3).strip().splitlines()[-1], orphaned)
    finally:
        connection.close()


def _next_task(connection: Connection, orphaned: Callable[[], object] | None) -> _Task | None:
    try:
        return connection.recv()  # type: ignore[no-any-return]
    except (EOFError, OSError):  # the pipe ended (reset, if it held unread bytes): the parent is gone
        _orphaned(orphaned)


def _reply(connection: Connection, answer: _Answer | str, orphaned: Callable[[], object] | None) -> None:
    try:
        connection.send(answer)
    except OSError:  # the pipe ended (SIGPIPE is ignored, as Python does by default): the parent is gone
        _orphaned(orphaned)


def _die_with_parent() -> None:
    """Asks the kernel to send this process SIGTERM when its parent dies (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _terminated(parent: int, orphaned: Callable[[], object] | None) -> NoReturn:
    """SIGTERM: from the parent stopping this worker (the parent cleans up), or from the kernel
    once the parent died (it sends it after handing this process to another parent)."""
    if os.getppid() == parent:
        os._exit(0)
    _orphaned(orphaned)


def _orphaned(orphaned: Callable[[], object] | None) -> NoReturn:
    """The parent is gone: its cleanup, done here, then the end of this worker."""
    # One cleanup, whole: the kernel's SIGTERM may come while the pipe's end has it running.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if orphaned is not None:
        with contextlib.suppress(Exception):  # exiting matters more than a cleanup that fails
            orphaned()
    os._exit(0)


def _run(work: Callable[[bytes, Any], tuple[bytes, Any]], task: _Task) -> _Answer:
    slot, size, bulk, meta = task
    out, out_meta = work(_slots[slot][:size] if bulk is None else bulk, meta)
    if _slots and len(out) <= OUT_BYTES:
        _slots[slot][IN_BYTES : IN_BYTES + len(out)] = out
        return len(out), None, out_meta
    return len(out), out, out_meta
