"""``xformat export``: posts of any format xformat reads, as a Parquet or CSV table."""

from __future__ import annotations

import json

import click

from xformat.allocator import keep_buffers_in_heap
from xformat.cli.common import (
    Command,
    guarded,
    jobs_option,
    max_record_bytes_option,
    no_input_from_a_terminal,
    progress_option,
    run_reporting,
)
from xformat.export import ExportSummary
from xformat.export import export as export_table
from xformat.export.run import refuse_inputs
from xformat.output import write_text
from xformat.records import STDIN, Reader, expand_inputs
from xformat.rejects import SHOWN


def _columns(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    return None if value is None else [name.strip() for name in value.split(",") if name.strip()]


@click.command("export", cls=Command)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="OUT",
    help="OUT.parquet, or OUT.csv (OUT.csv.gz, ...; - for CSV on stdout).",
)
@click.option("--columns", callback=_columns, metavar="a,b,...", help="These columns, in this order (default: all).")
@click.option(
    "--keep-duplicates",
    is_flag=True,
    help="Keep every post, also one whose id was seen before (and no set of ids in memory).",
)
@click.option("--bom", is_flag=True, help="CSV: start with a byte order mark, for Excel.")
@click.option(
    "--rejects", metavar="PATH", help="Write rejected records here (JSON lines); else the first few go to stderr."
)
@click.option(
    "--max-errors", type=click.IntRange(min=1), metavar="N", help="Stop (writing no output) at the Nth reject."
)
@jobs_option("make rows")
@click.option("--summary-json", metavar="PATH", help="Also write the summary as JSON.")
@max_record_bytes_option
@progress_option()
@click.pass_context
def export(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
    output: str,
    columns: list[str] | None,
    keep_duplicates: bool,
    bom: bool,
    rejects: str | None,
    max_errors: int | None,
    jobs: int,
    summary_json: str | None,
    max_record_bytes: int,
    progress: bool | None,
) -> None:
    """Write the posts of INPUTs as a table, one row per post: Parquet or CSV, by OUT's name.

    INPUTs are files, directories, globs or - (stdin, also when none is given), of any format
    xformat reads, mixed as they come. A post seen again (same id) is left out; deletions,
    compliance events and info lines are counted and left out. The columns are listed in the
    README (xformat export --columns id,created_at,text ...). Exit status: 0 all read, 1 some
    records rejected, 2 usage or I/O error.
    """
    no_input_from_a_terminal(inputs)

    def job() -> ExportSummary:
        reader = Reader(expand_inputs(inputs or (STDIN,)), max_record_bytes=max_record_bytes)
        refuse_inputs(reader.names, output, rejects, summary_json)
        keep_buffers_in_heap()
        with run_reporting(progress, reader.total_bytes, rejects) as (bar, kept):
            summary = export_table(
                reader,
                output,
                rejects=kept,
                columns=columns,
                keep_duplicates=keep_duplicates,
                max_errors=max_errors,
                jobs=jobs,
                progress=bar,
                bom=bom,
            )
        if summary_json:
            write_text(summary_json, json.dumps(summary.to_dict(), indent=2) + "\n")
        return summary

    summary = guarded("export", job, stopping=": no output written")
    if progress is not False:
        click.echo(summary.text(shown_rejects=min(summary.rejected, SHOWN)), err=True, nl=False)
    ctx.exit(1 if summary.rejected or summary.stopped_early else 0)

