"""``xformat stats``: what a data set holds, before anyone analyses it."""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import click

from xformat.cli.convert_cmd import reporting
from xformat.errors import XFormatError
from xformat.export.run import refuse_inputs
from xformat.export.stats import TOP, collect_stats
from xformat.records import DEFAULT_MAX_RECORD_BYTES, STDIN, Reader, expand_inputs


@click.command("stats")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--json", "as_json", is_flag=True, help="Print the stats as JSON (every day, every language).")
@click.option("--plot", metavar="FILE.png", help="Also draw posts per day by type (needs xformat[plot]).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=TOP,
    show_default=True,
    metavar="N",
    help="Languages, hashtags, mentions and domains listed.",
)
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
    help="Force the progress bar (default: when stderr is a terminal) / show no progress and no rejects.",
)
def stats(
    inputs: tuple[str, ...], as_json: bool, plot: str | None, top: int, max_record_bytes: int, progress: bool | None
) -> None:
    """What INPUTs hold: posts by type, day and language, distinct authors, top hashtags,
    mentions and link domains, duplicates and deletions, date range, formats and eras.

    INPUTs are files, directories, globs or - (stdin, also when none is given), of any format
    xformat reads. Exit status: 0 all read, 1 some records rejected (the first are shown),
    2 usage or I/O error.
    """
    if not inputs and sys.stdin.isatty():
        raise click.UsageError("no input: name files or directories, or pipe records to stdin")
    try:
        if plot is not None:
            from xformat.export.plot import plot_days
        reader = Reader(expand_inputs(inputs or (STDIN,)), max_record_bytes=max_record_bytes)
        refuse_inputs(reader.names, plot)
        with reporting(progress, reader.total_bytes, None) as (bar, kept):
            found = collect_stats(reader, kept, progress=bar)
        if plot is not None:
            plot_days(found, plot)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except XFormatError as exc:
        _fail(str(exc), 2)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}", 2)
    if as_json:
        click.echo(json.dumps(found.to_dict(top), indent=2))
    else:
        click.echo(found.text(top), nl=False)
    sys.exit(1 if found.counts.rejected else 0)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"xformat stats: {message}", err=True)
    sys.exit(code)
