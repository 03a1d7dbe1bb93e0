"""``xformat convert --dask`` / ``--scheduler ADDRESS``: the same conversion on a Dask cluster.

Imported only for such a run: plain ``xformat convert`` works without the ``dask`` extra.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from xformat.cli.common import run_reporting
from xformat.cli.convert_cmd import finish
from xformat.dask.lines import plan
from xformat.dask.parts import PART_BYTES, connect, part_names, write_parts
from xformat.output import refuse_overwriting

if TYPE_CHECKING:
    from xformat.cli.convert_cmd import ConvertOptions


def run_on_dask(options: ConvertOptions) -> int:
    """Convert as ``options`` say on the cluster they name; the exit status."""
    assert options.cluster is not None and options.output is not None
    pieces = plan(options.inputs, PART_BYTES)
    # The parts cannot be inputs: part_names refuses a directory that holds parts already.
    files = {"--rejects": options.rejects, "--summary-json": options.summary_json}
    refuse_overwriting([piece.path for piece in pieces], files)
    parts = part_names(options.output)
    total_bytes = sum({piece.path: piece.size for piece in pieces}.values())
    scheduler = None if options.cluster == "local" else options.cluster
    start = time.perf_counter()  # the cluster's start-up counts: it is part of what the user waits for
    with (
        run_reporting(options.progress, total_bytes, options.rejects) as (bar, kept),
        connect(scheduler, options.jobs) as client,
    ):
        summary = write_parts(
            client,
            pieces,
            options.settings,
            parts,
            kept,
            max_record_bytes=options.max_record_bytes,
            max_errors=options.max_errors,
            progress=bar,
        )
    summary.seconds = time.perf_counter() - start
    return finish(summary, options.summary_json, quiet=options.progress is False)
