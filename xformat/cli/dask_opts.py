"""``xformat convert --dask`` / ``--scheduler ADDRESS``: the same conversion on a Dask cluster.

``with_dask(convert)`` is the command with the two options added; without them it runs as before
(local worker processes), and Dask is never imported.
"""

from __future__ import annotations

import copy
import functools
import time
from typing import Any

import click
from click.core import ParameterSource

from xformat.cli.convert_cmd import FORMATS, convert, fail, finish, reporting
from xformat.errors import UsageError, XFormatError
from xformat.output import refuse_overwriting
from xformat.pipeline import Settings
from xformat.termination import stopped

_OPTIONS = [
    click.Option(
        ["--dask"],
        is_flag=True,
        help="Convert on a local Dask cluster of --jobs worker processes. OUT is then a directory, or a "
        "file name pattern holding {}, that receives one part per input file or block (part-00000.ndjson …).",
    ),
    click.Option(
        ["--scheduler"],
        metavar="ADDRESS",
        help="Convert on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), output as with "
        "--dask. Its workers must see the inputs and OUT at the same paths (a shared file system).",
    ),
]


def with_dask(command: click.Command) -> click.Command:
    """A copy of ``command`` (``xformat convert``) with ``--dask`` and ``--scheduler``."""
    local = command.callback
    assert local is not None
    command = copy.copy(command)
    command.params = [*command.params, *_OPTIONS]

    @functools.wraps(local)
    def callback(*args: Any, dask: bool, scheduler: str | None, **options: Any) -> Any:
        if not dask and scheduler is None:
            return local(*args, **options)
        try:
            if dask and scheduler is not None:
                raise UsageError("--dask starts a cluster, --scheduler uses one: choose one")
            click.get_current_context().exit(_convert(scheduler, **options))
        except KeyboardInterrupt as exc:
            what, status = stopped(exc)
            fail(f"{what}: no output written", status)
        except XFormatError as exc:
            fail(str(exc), 2)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}", 2)

    command.callback = callback
    return command


# The options of `convert` that a run on Dask honours; any other given is refused, not ignored.
_HONOURED = {"inputs", "target", "source", "output", "lossless", "strict", "domain", "rejects", "max_errors"}
_HONOURED |= {"jobs", "summary_json", "max_record_bytes", "progress"}


def _convert(scheduler: str | None, **options: Any) -> int:
    ctx = click.get_current_context()
    given = {name for name in options if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT}
    refused = sorted(given - _HONOURED) or (["jobs"] if scheduler is not None and "jobs" in given else [])
    if refused:
        flag = "--" + refused[0].replace("_", "-")
        raise UsageError(f"{flag} does not combine with {'--scheduler' if scheduler else '--dask'}")
    if options["output"] in (None, "-"):
        raise UsageError("--dask and --scheduler write parts: name a directory (or a pattern holding {}) with -o")
    if not options["inputs"] or "-" in options["inputs"]:
        raise UsageError("Dask workers cannot read stdin: name files or directories")
    # Imported here: plain `xformat convert` must work without the dask extra.
    from xformat.dask.lines import plan
    from xformat.dask.parts import PART_BYTES, connect, part_names, write_parts

    pieces = plan(options["inputs"], PART_BYTES)
    # The parts cannot be inputs: part_names refuses a directory that holds parts already.
    files = {"--rejects": options["rejects"], "--summary-json": options["summary_json"]}
    refuse_overwriting([piece.path for piece in pieces], files)
    parts = part_names(options["output"])
    target = FORMATS[options["target"]]
    assert target is not None
    settings = Settings(target, FORMATS[options["source"]], options["domain"], options["lossless"], options["strict"])
    total_bytes = sum({piece.path: piece.size for piece in pieces}.values())
    start = time.perf_counter()  # the cluster's start-up counts: it is part of what the user waits for
    with (
        reporting(options["progress"], total_bytes, options["rejects"]) as (bar, kept),
        connect(scheduler, options["jobs"]) as client,
    ):
        summary = write_parts(
            client,
            pieces,
            settings,
            parts,
            kept,
            max_record_bytes=options["max_record_bytes"],
            max_errors=options["max_errors"],
            progress=bar,
        )
    summary.seconds = time.perf_counter() - start
    return finish(summary, options["summary_json"], quiet=options["progress"] is False)


convert_command = with_dask(convert)
"""``xformat convert``, as the command line has it."""
