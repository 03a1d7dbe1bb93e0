"""``xformat validate``: files or stdin against the formats, with output for people, tools and CI."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from xformat.errors import UsageError, XFormatError
from xformat.records import STDIN, expand_inputs, iter_records
from xformat.validate import Issue, Result, Summary, validate_records

_FORMATS: dict[str, str | None] = {"auto": None, "native": "native", "activity": "activity"}


class OneLineUsage(click.Command):
    """A command whose usage errors (bad option, bad value) are one line, without the usage text."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            click.echo(f"xformat {self.name}: {exc.format_message()}", err=True)
            ctx.exit(exc.exit_code)


@click.command("validate", cls=OneLineUsage)
@click.argument("inputs", nargs=-1, metavar="[FILE]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(_FORMATS)),
    default="auto",
    show_default=True,
    help="Format the records must have; auto accepts either, record by record.",
)
@click.option("--strict", is_flag=True, help="Report fields the formats do not define as errors.")
@click.option(
    "--era",
    metavar="YEAR",
    help="Validate against the schemas of the era of YEAR (2012, 2017, 2022: each era is named by its "
    "first year), which forbid the fields of later eras. Slower: jsonschema decides.",
)
@click.option(
    "--output",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Errors as text lines, JSON lines, or GitHub workflow annotations.",
)
@click.option("--max-errors", type=click.IntRange(min=1), metavar="N", help="Stop at the Nth invalid record.")
def validate(
    inputs: tuple[str, ...], fmt: str, strict: bool, era: str | None, output: str, max_errors: int | None
) -> None:
    """Check that every record of FILEs is a valid post, deletion or info line.

    FILEs are files, directories, globs or - (stdin, also when none is given): NDJSON, JSON
    arrays or Search API pages, compressed or not. Each error of each invalid record goes to
    stdout with its file, line and JSON path; a summary line goes to stderr. Exit status: 0 all
    valid, 1 some invalid, 2 usage or I/O error.
    """
    try:
        sys.exit(_validate(inputs, _FORMATS[fmt], strict, era, _WRITERS[output], max_errors))
    except BrokenPipeError:
        # The reader of stdout went away (| head): nothing more to say, and nowhere to say it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(2)
    except XFormatError as exc:
        _fail(str(exc))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")


def _fail(message: str) -> None:
    click.echo(f"xformat validate: {message}", err=True)
    sys.exit(2)


def _validate(
    inputs: tuple[str, ...],
    fmt: str | None,
    strict: bool,
    era: str | None,
    write: Callable[[Result, Issue], str],
    max_errors: int | None,
) -> int:
    if not inputs and sys.stdin.isatty():
        raise UsageError("no input: name files or directories, or pipe records to stdin")
    summary = Summary()
    stopped = False
    for result in validate_records(iter_records(expand_inputs(inputs or (STDIN,))), fmt, strict, era):
        summary.add(result)
        for issue in result.errors:
            click.echo(write(result, issue))
        if max_errors is not None and summary.invalid >= max_errors:
            stopped = True
            break
    status = f"stopped at invalid record {summary.invalid}: " if stopped else ""
    click.echo(f"xformat validate: {status}{summary.text()}", err=True)
    return 1 if summary.invalid else 0


def _text(result: Result, issue: Issue) -> str:
    return f"{result.where}: {issue.path}: {issue.reason}"


def _json(result: Result, issue: Issue) -> str:
    fields: dict[str, Any] = {
        "file": result.source,
        "line": result.line,
        "item": result.item,
        "format": result.format,
        "kind": result.kind,
        "path": issue.path,
        "reason": issue.reason,
    }
    return json.dumps(fields, ensure_ascii=False)


def _github(result: Result, issue: Issue) -> str:
    # https://docs.github.com/actions/reference/workflow-commands-for-github-actions: data escapes
    # %, CR and LF; property values also , and :. Standard input is no file to annotate.
    where = f"file={_property(result.source)},line={result.line}," if result.source != STDIN else ""
    item = f" (item {result.item})" if result.item is not None else ""
    message = f"{issue.path}: {issue.reason}{item}"
    return f"::error {where}title=xformat validate::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


_WRITERS: dict[str, Callable[[Result, Issue], str]] = {"text": _text, "json": _json, "github": _github}
