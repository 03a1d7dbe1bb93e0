"""Partitioned output on a Dask cluster: what ``xformat convert --dask`` / ``--scheduler`` runs.

Each partition (a file, or a block of a large one: ``xformat.dask.lines``) becomes one part,
``part-00000.ndjson``, ``part-00001.ndjson``… in input order, so that the parts concatenated are
what ``xformat convert`` writes. One task per part: a worker reads its piece of the input
itself, converts it as the single-machine pipeline does (blocks of NDJSON lines cut into
records there, never sent anywhere), writes the part into a hidden staging directory in the
output directory, and sends back only its rejects, its accounting and how many lines it read.
This process takes those in order: reject line numbers, counted by each worker from the start
of its block, are made the file's from the lines of the blocks before; the rejects file is in
input order, as the CLI's. Every part is renamed into place once all are written. A run that
fails, is interrupted or stops at ``max_errors`` removes the staging directory: no part is left
that looks complete. Workers must see the inputs and the output directory at the same paths as
this process (a local cluster, or a shared file system).
"""

from __future__ import annotations

import contextlib
import glob
import logging
import multiprocessing
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import dask

from xformat.dask import missing
from xformat.dask.conversion import Rejected, convert_records, merged
from xformat.dask.lines import Contents, Piece
from xformat.errors import UsageError
from xformat.output import CompressedFile
from xformat.pipeline import Settings
from xformat.progress import Progress
from xformat.rejects import Rejects
from xformat.summary import Summary

try:
    from distributed import Client, LocalCluster
except ImportError as exc:
    raise missing(exc) from None

PART_BYTES = 32 * 2**20
"""Input bytes per part, at most: small enough to spread one large file over the workers, large
enough that the cost of a task (milliseconds) is noise."""


def part_bytes(total: int, workers: int) -> int:
    """Input bytes per part (``lines.plan``'s blocksize) for ``total`` bytes on ``workers`` workers:
    at most ``PART_BYTES``, and the parts as many as a multiple of ``workers``, so that no worker
    is left converting a last part alone while the others idle (330 MiB on 2 workers: 11 parts
    of 32 MiB, the 11th alone; 12 of 27.5 MiB, 6 each). Never less than ``MIN_PART_BYTES``.
    Exact for one large NDJSON file; files of other sizes give what they give (a smaller file
    is one part)."""
    rounds = -(-total // (PART_BYTES * workers))  # parts per worker
    return max(MIN_PART_BYTES, -(-total // max(1, rounds * workers)))


MIN_PART_BYTES = 4 * 2**20
"""Input bytes below which a file is not cut: each part is a task and a file, for a few
hundredths of a second of conversion."""


_LOCAL_CLUSTER = {
    # Not forked from this process: it runs threads (the cluster's event loop, and in a longer
    # program any others), and a worker forked while one of them holds a lock may never start
    # (seen: a LocalCluster waiting for its workers for minutes). A fork server is a fresh,
    # single-threaded process that workers are forked from; spawned, each worker imports dask,
    # distributed and xformat anew (most of a second of CPU each). ``xformat convert --dask``
    # starts the fork server first, with those modules (``cli.dask_run.start_fork_server``).
    "distributed.worker.multiprocessing-method": (
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ),
    # The statistical profiler samples every worker thread's stack 100 times a second, under the GIL.
    "distributed.worker.profile.enabled": False,
    # Each of these wakes a thread of every process (the event loop's health, the dashboard's
    # statistics, the worker's memory), which takes the GIL from the task converting: about a tenth
    # of a worker's CPU on 100,000 records (three runs each way). A task here holds no data in
    # the worker's memory (it writes its part and sends back counts): checking that memory every
    # 5 s instead of 0.1 s risks nothing.
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "5s",
}


@contextlib.contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes
    (one thread each: converting holds the GIL), closed on exit."""
    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with dask.config.set(_LOCAL_CLUSTER):
        local = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,  # no dashboard: with bokeh installed, it would start a web application
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its web server (health, metrics) not on 8787
            silence_logs=logging.ERROR,
        )
        with local, Client(local) as client:  # type: ignore[no-untyped-call]
            yield client


class _Written(NamedTuple):
    rejects: list[Rejected]
    """Their line numbers count from the first line of the part's piece."""
    summary: Summary
    lines: int
    """Lines of a block; 0 for a whole file (the next part starts a file)."""


def write_parts(
    client: Any,
    pieces: Sequence[Piece],
    settings: Settings,
    parts: tuple[Path, str],
    rejects: Rejects,
    *,
    max_record_bytes: int,
    max_errors: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Convert ``pieces`` (``lines.plan``) into ``parts``: their directory and name pattern
    (``part_names``)."""
    directory, name = parts
    # Not mkdtemp: its directory is private, and a cluster's workers may run as another user.
    staging = directory / f".xformat-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    names = [name.replace("{}", f"{i:05d}") for i in range(len(pieces))]
    inputs = [piece.path for piece in pieces if piece.start == 0]  # each file as named, as the CLI lists them
    summary = Summary(inputs=inputs, rejects_file=rejects.path)
    # Earlier parts first (a higher priority runs sooner): they are taken in order here.
    futures = [
        client.submit(_write_part, piece, str(staging / part), settings, max_record_bytes, pure=False, priority=-i)
        for i, (piece, part) in enumerate(zip(pieces, names, strict=True))
    ]
    done = shift = 0
    try:
        for future, piece in zip(futures, pieces, strict=True):
            written: _Written = future.result()
            shift = 0 if piece.start == 0 else shift  # line numbers start anew with each file
            for record, reason, path in written.rejects:
                rejects.add(record._replace(line=record.line + shift), reason, path)
            shift += written.lines
            summary = merged(summary, written.summary)
            done += piece.size if piece.end is None else piece.end - piece.start
            if progress is not None:
                progress.update(summary.read, done)
            if max_errors is not None and summary.rejected >= max_errors:
                summary.stopped_early = True
                break
        if not summary.stopped_early:
            for part in names:
                os.replace(staging / part, directory / part)
            summary.outputs = [str(directory / part) for part in names]
    finally:
        client.cancel(futures)
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _write_part(piece: Piece, path: str, settings: Settings, max_record_bytes: int) -> _Written:
    """A worker's task: convert ``piece`` into the part at ``path``."""
    read = Contents(piece, max_record_bytes)
    part = CompressedFile(Path(path))
    try:
        summary, rejected = convert_records(read, settings, lambda lines, _: part.write(lines))
    finally:
        part.close()
    return _Written(rejected, summary, 0 if piece.end is None else read.lines)


def part_names(output: str) -> tuple[Path, str]:
    """The directory of the parts (created if needed) and their name pattern, from ``-o``: a
    directory, or a file name pattern holding ``{}`` (``out/part-{}.ndjson.gz``, compressed by
    its extension). Refuses a directory that already holds parts: the new ones would mix with them."""
    path = Path(output)
    if "{}" in path.parent.as_posix():
        raise UsageError(f"{output}: only the file name may hold {{}}")
    directory, name = (path.parent, path.name) if "{}" in path.name else (path, "part-{}.ndjson")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create directory {directory}: {exc.strerror or exc}") from None
    existing = sorted(glob.glob(glob.escape(str(directory / name)).replace("{}", "*")))
    if existing:
        raise UsageError(
            f"{directory} already holds parts ({Path(existing[0]).name} …): remove them, or choose another -o"
        )
    return directory, name
