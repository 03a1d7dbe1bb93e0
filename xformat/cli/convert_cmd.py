"""``xformat convert``: files, directories, globs or stdin, from either format to the other."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from xformat.allocator import keep_buffers_in_heap
from xformat.convert import DOMAINS
from xformat.errors import XFormatError
from xformat.output import Split, open_output, write_text
from xformat.pipeline import Settings, run
from xformat.progress import Progress
from xformat.records import DEFAULT_MAX_RECORD_BYTES, STDIN, Reader, expand_inputs
from xformat.rejects import SHOWN, Rejects
from xformat.summary import Summary

FORMATS: dict[str, str | None] = {
    "activity-streams": "activity",
    "activity": "activity",
    "native": "native",
    "auto": None,
}


def _split_by(ctx: click.Context, param: click.Parameter, value: str | None) -> Split | None:
    if value is None or value in ("day", "hour"):
        return value  # type: ignore[return-value]
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise click.BadParameter("expected day, hour or a number of records per file")


@click.command("convert")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Choice(["activity-streams", "activity", "native"]),
    help="Format to write.",
)
@click.option(
    "--from",
    "source",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "native", "activity", "activity-streams"]),
    help="Format of the input; auto detects it record by record (mixed files are fine).",
)
@click.option("-o", "--output", metavar="OUT", help="Output file (compressed by its extension); default stdout.")
@click.option("--lossless", is_flag=True, help="Carry what the target cannot hold, for exact round trips.")
@click.option("--strict", is_flag=True, help="Reject every record that would lose something.")
@click.option(
    "--domain",
    type=click.Choice(DOMAINS),
    default="twitter.com",
    show_default=True,
    help="Domain of the IRIs and links written.",
)
@click.option(
    "--rejects", metavar="PATH", help="Write rejected records here (JSON lines); else the first few go to stderr."
)
@click.option(
    "--max-errors", type=click.IntRange(min=1), metavar="N", help="Stop (writing no output) at the Nth reject."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Processes that convert: this one and N-1 workers (with --dask: N Dask workers).",
)
@click.option(
    "--split-by",
    callback=_split_by,
    metavar="day|hour|N",
    help="Split the output by the posts' UTC day or hour, or every N records; OUT is then a "
    "directory, or a file name pattern holding {} (replaced by 2018-10-10, 2018-10-10T20 or 00001).",
)
@click.option("--summary-json", metavar="PATH", help="Also write the summary as JSON.")
@click.option(
    "--max-record-bytes",
    type=click.IntRange(min=1024),
    default=DEFAULT_MAX_RECORD_BYTES,
    show_default=True,
    help="Reject longer records without reading them into memory.",
)
@click.option(
    "--progress/--quiet",
    " /-q",
    "progress",
    default=None,
    help="Force the progress bar (default: when stderr is a terminal) / show no progress and no summary.",
)
@click.pass_context
def convert(ctx: click.Context, /, **options: Any) -> None:
    """Convert posts between Enriched Native and Activity Streams.

    INPUTs are files, directories, globs or - (stdin, also when none is given): NDJSON, JSON
    arrays or Search API pages, gzip/bzip2/xz/zstd compressed or not. Every record read is
    accounted for in the summary on stderr. Exit status: 0 all converted, 1 some rejected,
    2 usage or I/O error.
    """
    try:
        ctx.exit(_convert(**options))
    except KeyboardInterrupt:
        to_stdout = options["output"] in (None, "-")
        fail("interrupted" if to_stdout else "interrupted: no output written", 130)
    except BrokenPipeError:
        # The reader of stdout went away (| head): nothing more to say, and nowhere to say it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(2)
    except XFormatError as exc:
        fail(str(exc), 2)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}", 2)


def fail(message: str, code: int) -> None:
    click.echo(f"xformat convert: {message}", err=True)
    sys.exit(code)


@contextmanager
def reporting(
    progress: bool | None, total_bytes: int | None, rejects: str | None
) -> Iterator[tuple[Progress | None, Rejects]]:
    """A run's progress bar (when asked for, or stderr is a terminal) and rejects sink; both closed after.

    Shared with the Dask path, so both runs talk to the user the same way.
    """
    show = progress if progress is not None else sys.stderr.isatty()
    bar = Progress(sys.stderr, total_bytes) if show else None

    def note(text: str) -> None:
        if bar is not None:
            bar.close()
        click.echo(text, err=True, nl=False)

    kept = Rejects(rejects, None if progress is False else note)
    try:
        yield bar, kept
    finally:
        kept.close()
        if bar is not None:
            bar.close()


def finish(summary: Summary, summary_json: str | None, quiet: bool) -> int:
    """Report ``summary`` (stderr unless quiet, and ``--summary-json``); the exit status it means."""
    if summary_json:
        write_text(summary_json, json.dumps(summary.to_dict(), indent=2) + "\n")
    if not quiet:
        click.echo(summary.text(shown_rejects=min(summary.rejected, SHOWN)), err=True, nl=False)
    return 1 if summary.rejected or summary.stopped_early else 0


def _convert(
    inputs: tuple[str, ...],
    target: str,
    source: str,
    output: str | None,
    lossless: bool,
    strict: bool,
    domain: str,
    rejects: str | None,
    max_errors: int | None,
    jobs: int,
    split_by: Split | None,
    summary_json: str | None,
    max_record_bytes: int,
    progress: bool | None,
) -> int:
    if not inputs and sys.stdin.isatty():
        raise click.UsageError("no input: name files or directories, or pipe records to stdin")
    names = expand_inputs(inputs or (STDIN,))
    target_format = FORMATS[target]
    assert target_format is not None
    settings = Settings(target_format, FORMATS[source], domain, lossless, strict, dated=split_by in ("day", "hour"))
    reader = Reader(names, max_record_bytes=max_record_bytes)
    keep_buffers_in_heap()
    with reporting(progress, reader.total_bytes, rejects) as (bar, kept):
        summary = run(
            reader, settings, open_output(output, split_by), kept, jobs=jobs, max_errors=max_errors, progress=bar
        )
    return finish(summary, summary_json, quiet=progress is False)
