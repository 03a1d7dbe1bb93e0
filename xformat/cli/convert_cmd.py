"""``xformat convert``: files, directories, globs or stdin, from any format to another, here or on Dask.

The options are parsed into one ``ConvertOptions`` (every usage error found before anything
runs), which then runs locally (``xformat.pipeline``) or, with ``--dask``/``--scheduler``, on a
Dask cluster (``xformat.cli.dask_run``, which alone imports Dask).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import click
from click.core import ParameterSource

from xformat.allocator import keep_buffers_in_heap
from xformat.cli.common import (
    Command,
    FormatChoice,
    guarded,
    jobs_option,
    max_record_bytes_option,
    no_input_from_a_terminal,
    progress_option,
    run_reporting,
)
from xformat.convert import DOMAINS
from xformat.formats import Format
from xformat.output import Parts, Split, open_output, refuse_overwriting, split_parts, write_text
from xformat.pipeline import Settings, run
from xformat.records import STDIN, Reader, expand_inputs
from xformat.rejects import SHOWN
from xformat.reporting import reporter
from xformat.summary import Summary
from xformat.v2pagewriter import PageOutput


class ConvertOptions(NamedTuple):
    """``xformat convert``'s command line, checked."""

    inputs: tuple[str, ...]
    """As given (expanded when the run starts: a missing file is an I/O error, not a usage one)."""
    target: Format
    source: Format | None
    output: str | None
    lossless: bool
    strict: bool
    domain: str
    rejects: str | None
    max_errors: int | None
    jobs: int
    split_by: Split | None
    v2_pages: int | None
    """Posts a response page holds (``--v2-pages``); None: a stream line a post."""
    summary_json: str | None
    max_record_bytes: int
    progress: bool | None
    """True: show a progress bar; False: nothing but errors (``--quiet``); None: when stderr is a terminal."""
    cluster: str | None
    """``local`` (``--dask``: a local cluster of ``jobs`` workers), a scheduler's address, or None."""

    @property
    def settings(self) -> Settings:
        return Settings(
            self.target.name,
            None if self.source is None else self.source.name,
            self.domain,
            self.lossless,
            self.strict,
            dated=self.split_by in ("day", "hour"),
            v2_pages=self.v2_pages is not None,
        )

    @classmethod
    def parse(cls, ctx: click.Context, dask: bool, scheduler: str | None, **params: Any) -> ConvertOptions:
        """The options, or ``click.UsageError`` for a combination that cannot run."""
        if dask and scheduler is not None:
            raise click.UsageError("--dask starts a cluster, --scheduler uses one: choose one")
        options = cls(**params, cluster="local" if dask else scheduler)
        if options.v2_pages is not None:
            options._check_pages()
        if options.cluster is not None:
            options._check_dask(ctx)
        else:
            no_input_from_a_terminal(options.inputs)
        return options

    def _check_pages(self) -> None:
        if self.target.name != "v2":
            raise click.UsageError("--v2-pages writes X API v2 response pages: use it with --to v2")
        if self.lossless:
            raise click.UsageError("--v2-pages does not combine with --lossless: a page has no place for patches")
        if self.cluster is not None:
            flag = "--dask" if self.cluster == "local" else "--scheduler"
            raise click.UsageError(f"--v2-pages does not combine with {flag}: one process gathers the pages")

    def _check_dask(self, ctx: click.Context) -> None:
        flag = "--dask" if self.cluster == "local" else "--scheduler"
        given = {name for name in self._fields if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)}
        # What a run on Dask cannot honour is refused, not ignored.
        if "split_by" in given:
            raise click.UsageError(f"--split-by does not combine with {flag}")
        if "jobs" in given and self.cluster != "local":
            raise click.UsageError(f"--jobs does not combine with {flag}")
        if self.output in (None, STDIN):
            raise click.UsageError(
                "--dask and --scheduler write parts: name a directory (or a pattern holding {}) with -o"
            )
        if not self.inputs or STDIN in self.inputs:
            raise click.UsageError("Dask workers cannot read stdin: name files or directories")


def _split_by(ctx: click.Context, param: click.Parameter, value: str | None) -> Split | None:
    if value is None or value in ("day", "hour"):
        return value  # type: ignore[return-value]
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise click.BadParameter("expected day, hour or a number of records per file")


@click.command("convert", cls=Command)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--to", "target", required=True, type=FormatChoice(), help="Format to write.")
@click.option(
    "--from",
    "source",
    default="auto",
    show_default=True,
    type=FormatChoice(auto=True),
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
@jobs_option("convert", " (with --dask: N Dask workers)")
@click.option(
    "--split-by",
    callback=_split_by,
    metavar="day|hour|N",
    help="Split the output by the posts' UTC day or hour, or every N records; OUT is then a "
    "directory, or a file name pattern holding {} (replaced by 2018-10-10, 2018-10-10T20 or 00001).",
)
@click.option(
    "--v2-pages",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --to v2: write X API v2 response pages of up to N posts each, in input order, shaped as "
    "search and lookup return them (data, includes without duplicates, meta), instead of a stream line a "
    "post. meta has result_count, newest_id and oldest_id but no next_token: the pages answer no request, "
    "so there is no cursor to continue from. Pages carry no matching_rules (stream lines do): a post's "
    "rules are a declared loss (paged_rules). X API v2 input is re-paged: each post with what it references. "
    "Not with --lossless or Dask.",
)
@click.option("--summary-json", metavar="PATH", help="Also write the summary as JSON.")
@max_record_bytes_option
@progress_option()
@click.option(
    "--dask",
    is_flag=True,
    help="Convert on a local Dask cluster of --jobs worker processes. OUT is then a directory, or a "
    "file name pattern holding {}, that receives one part per input file or block (part-00000.ndjson …).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Convert on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), output as with "
    "--dask. Its workers must see the inputs and OUT at the same paths (a shared file system).",
)
@click.pass_context
def convert(ctx: click.Context, /, **params: Any) -> None:
    """Convert posts between Enriched Native, Activity Streams and X API v2.

    INPUTs are files, directories, globs or - (stdin, also when none is given): NDJSON, JSON
    arrays or Search API pages, X API v2 pages, stream lines or twarc2 files (each post of a
    page written as a record of its own; --to v2 writes one stream line a post, or response
    pages with --v2-pages),
    gzip/bzip2/xz/zstd compressed or not. Every record read is
    accounted for in the summary on stderr. Exit status: 0 all converted, 1 some rejected,
    2 usage or I/O error.
    """
    options = ConvertOptions.parse(ctx, **params)
    to_stdout = options.cluster is None and options.output in (None, STDIN)
    ctx.exit(guarded("convert", lambda: _run(options), stopping="" if to_stdout else ": no output written"))


def _run(options: ConvertOptions) -> int:
    if options.cluster is not None:
        from xformat.cli.dask_run import run_on_dask  # Dask is imported only for a run on Dask

        return run_on_dask(options)
    names = expand_inputs(options.inputs or (STDIN,))
    parts: str | Parts | None = options.output
    if options.split_by is not None and options.output is not None:
        parts = split_parts(options.output, options.split_by)
    refuse_overwriting(names, {"-o": parts, "--rejects": options.rejects, "--summary-json": options.summary_json})
    reader = Reader(names, max_record_bytes=options.max_record_bytes)
    keep_buffers_in_heap()
    with run_reporting(options.progress, reader.total_bytes, options.rejects) as (bar, kept):
        output = open_output(options.output, options.split_by)
        if options.v2_pages is not None:
            output = PageOutput(output, options.v2_pages)
        summary = run(
            reader, options.settings, output, kept, jobs=options.jobs, max_errors=options.max_errors, progress=bar
        )
    return finish(summary, options.summary_json, quiet=options.progress is False)


def finish(summary: Summary, summary_json: str | None, quiet: bool) -> int:
    """Report ``summary`` (stderr unless quiet, and ``--summary-json``); the exit status it means."""
    if summary_json:
        write_text(summary_json, reporter("json").conversion(summary))
    if not quiet:
        shown = min(summary.rejected, SHOWN)
        text = reporter("text").conversion(summary, shown_rejects=shown, summary_json=summary_json)
        click.echo(text, err=True, nl=False)
    return 1 if summary.rejected or summary.stopped_early else 0

