"""``xformat validate``: files or stdin against the formats, with output for people, tools and CI."""

from __future__ import annotations

from typing import Any, NamedTuple

import click

from xformat.cli.common import (
    Command,
    Era,
    FormatChoice,
    guarded,
    jobs_option,
    no_input_from_a_terminal,
    progress_bar,
    progress_option,
    reader_gone,
)
from xformat.formats import Format
from xformat.records import STDIN, Reader, expand_inputs
from xformat.reporting import REPORTERS, TextReporter, reporter
from xformat.validate import POOL_MIN_BYTES, Summary, pool_jobs, validate_pieces


class ValidateOptions(NamedTuple):
    """``xformat validate``'s command line, checked."""

    inputs: tuple[str, ...]
    format: Format | None
    """The format records must have; None accepts any, record by record."""
    strict: bool
    era: str | None
    output: TextReporter
    max_errors: int | None
    jobs: int
    progress: bool | None
    """True: show a progress bar; False: nothing but the errors (``--quiet``); None: when stderr is a terminal."""

    @classmethod
    def parse(cls, inputs: tuple[str, ...], fmt: Format | None, output: str, **params: Any) -> ValidateOptions:
        no_input_from_a_terminal(inputs)
        return cls(inputs, fmt, output=reporter(output), **params)


@click.command("validate", cls=Command)
@click.argument("inputs", nargs=-1, metavar="[FILE]...")
@click.option(
    "--format",
    "fmt",
    type=FormatChoice(auto=True),
    default="auto",
    show_default=True,
    help="Format the records must have; auto accepts either, record by record.",
)
@click.option("--strict", is_flag=True, help="Report fields the formats do not define as errors.")
@click.option(
    "--era",
    type=Era(),
    help="Validate against the schemas of the era of YEAR (2012, 2017, 2022: each era is named by its "
    "first year), which forbid the fields of later eras. Slower: jsonschema decides.",
)
@click.option(
    "--output",
    type=click.Choice(list(REPORTERS)),
    default="text",
    show_default=True,
    help="Errors as text lines, JSON lines, or GitHub workflow annotations.",
)
@click.option("--max-errors", type=click.IntRange(min=1), metavar="N", help="Stop at the Nth invalid record.")
@jobs_option(
    "validate",
    f"; inputs under {POOL_MIN_BYTES // 2**20} MiB are validated by this one alone, a pool costing more than it saves",
)
@progress_option("no summary: the errors alone, and the exit status")
@click.pass_context
def validate(ctx: click.Context, /, **params: Any) -> None:
    """Check that every record of FILEs is a valid post, deletion, compliance event or system message.

    FILEs are files, directories, globs or - (stdin, also when none is given): NDJSON, JSON
    arrays or Search API pages, compressed or not. Each error of each invalid record goes to
    stdout with its file, line and JSON path; a summary line goes to stderr. Exit status: 0 all
    valid, 1 some invalid, 2 usage or I/O error.
    """
    options = ValidateOptions.parse(**params)
    ctx.exit(guarded("validate", lambda: _validate(options)))


def _validate(options: ValidateOptions) -> int:
    summary = Summary()
    stopped = False
    reader = Reader(expand_inputs(options.inputs or (STDIN,)))
    with progress_bar(options.progress, reader.total_bytes) as bar:
        tick = None if bar is None else lambda: bar.update(summary.records, reader.bytes_read)
        # Results come for invalid records only, with the summary counted up to each.
        jobs = pool_jobs(options.jobs, reader.total_bytes)
        results = validate_pieces(
            reader.pieces(), summary, options.format, options.strict, options.era, jobs=jobs, tick=tick
        )
        try:
            for result in results:
                if bar is not None:
                    bar.close()  # the errors go to stdout, which may be the same terminal
                try:
                    for issue in result.errors:
                        click.echo(options.output.issue(result, issue))
                except BrokenPipeError:  # | head: the verdict so far (an invalid record), quietly
                    reader_gone()
                    return 1
                if options.max_errors is not None and summary.invalid >= options.max_errors:
                    stopped = True
                    break
        finally:
            results.close()  # stops the workers, also when stopping early
    if options.progress is not False:
        click.echo(options.output.validation(summary, stopped=stopped), err=True)
    return 1 if summary.invalid else 0
