"""``xformat stats``: what a data set holds, before anyone analyses it."""

from __future__ import annotations

import json
import sys

import click

from xformat.cli.common import (
    Command,
    guarded,
    max_record_bytes_option,
    no_input_from_a_terminal,
    progress_option,
    run_reporting,
)
from xformat.export.run import refuse_inputs
from xformat.export.stats import TOP, Stats, collect_stats
from xformat.records import STDIN, Reader, expand_inputs


@click.command("stats", cls=Command)
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
@max_record_bytes_option
@progress_option("no rejects")
def stats(
    inputs: tuple[str, ...], as_json: bool, plot: str | None, top: int, max_record_bytes: int, progress: bool | None
) -> None:
    """What INPUTs hold: posts by type, day and language, distinct authors, top hashtags,
    mentions and link domains, duplicates and deletions, date range, formats and eras.

    INPUTs are files, directories, globs or - (stdin, also when none is given), of any format
    xformat reads. Exit status: 0 all read, 1 some records rejected (the first are shown),
    2 usage or I/O error.
    """
    no_input_from_a_terminal(inputs)

    def job() -> Stats:
        if plot is not None:
            from xformat.export.plot import plot_days
        reader = Reader(expand_inputs(inputs or (STDIN,)), max_record_bytes=max_record_bytes)
        refuse_inputs(reader.names, plot)
        with run_reporting(progress, reader.total_bytes, None) as (bar, kept):
            found = collect_stats(reader, kept, progress=bar)
        if plot is not None:
            plot_days(found, plot)
        return found

    found = guarded("stats", job)
    if as_json:
        click.echo(json.dumps(found.to_dict(top), indent=2))
    else:
        click.echo(found.text(top), nl=False)
    sys.exit(1 if found.counts.rejected else 0)

