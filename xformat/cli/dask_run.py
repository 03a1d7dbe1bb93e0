"""``xformat convert --dask`` / ``--scheduler ADDRESS``: the same conversion on a Dask cluster.

Imported only for such a run: plain ``xformat convert`` works without the ``dask`` extra.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import time
from typing import TYPE_CHECKING

from xformat.cli.common import run_reporting
from xformat.cli.convert_cmd import finish
from xformat.output import refuse_overwriting

if TYPE_CHECKING:
    from xformat.cli.convert_cmd import ConvertOptions

WORKER_MODULES = ["xformat.dask.numpy_free", "xformat.dask.parts", "xformat.cli"]
"""What a worker of the local cluster imports before its first task: Dask's worker (distributed,
which ``xformat.dask.parts`` imports) without NumPy, which it does not need, the conversion,
and the command's own modules (a worker forked by a fork server runs the ``xformat`` script
again, as a module of its own)."""


def run_on_dask(options: ConvertOptions) -> int:
    """Convert as ``options`` say on the cluster they name; the exit status."""
    assert options.cluster is not None and options.output is not None
    scheduler = None if options.cluster == "local" else options.cluster
    start = time.perf_counter()  # the cluster's start-up counts: it is part of what the user waits for
    if scheduler is None:
        start_fork_server()
        import xformat.dask.numpy_free  # noqa: F401 - before distributed: this process needs no NumPy either
    # Dask is imported only now, while the fork server imports it on the other core.
    from xformat.dask.lines import plan
    from xformat.dask.parts import connect, part_bytes, part_names, write_parts

    files = plan(options.inputs, None)  # one piece per file: what is read, and how much
    # The parts cannot be inputs: part_names refuses a directory that holds parts already.
    refuse_overwriting(
        [piece.path for piece in files], {"--rejects": options.rejects, "--summary-json": options.summary_json}
    )
    parts = part_names(options.output)
    total_bytes = sum(piece.size for piece in files)
    with (
        run_reporting(options.progress, total_bytes, options.rejects) as (bar, kept),
        connect(scheduler, options.jobs) as client,
    ):
        workers = options.jobs if scheduler is None else sum(client.nthreads().values())
        summary = write_parts(
            client,
            plan([piece.path for piece in files], part_bytes(total_bytes, workers)),
            options.settings,
            parts,
            kept,
            max_record_bytes=options.max_record_bytes,
            max_errors=options.max_errors,
            progress=bar,
        )
    summary.seconds = time.perf_counter() - start
    return finish(summary, options.summary_json, quiet=options.progress is False)


def start_fork_server() -> None:
    """Starts the fork server that the local cluster's workers are forked from (``connect``), with
    their modules imported once there: it starts now, a fresh process importing them on another
    core while this one imports Dask and starts the scheduler, instead of when the first worker
    is asked for, and no worker imports them after it was forked."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return  # the workers are spawned (connect): each imports its modules itself
    multiprocessing.get_context("forkserver").set_forkserver_preload(WORKER_MODULES)
    multiprocessing.forkserver.ensure_running()
