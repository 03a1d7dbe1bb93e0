"""What every command shares: one-line usage errors, one error-handling wrapper, format options,
the progress bar and rejects of a run.

Every command says what went wrong in one line, ``xformat <command>: <message>``, never with a
traceback or click's usage text, and exits 0 ok, 1 some records bad, 2 usage or I/O error
(130 when interrupted, 143 when terminated).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from xformat import formats
from xformat.errors import ComplianceError, XFormatError
from xformat.progress import Progress
from xformat.records import DEFAULT_MAX_RECORD_BYTES
from xformat.termination import stopped

if TYPE_CHECKING:
    from xformat.formats import Format
    from xformat.rejects import Rejects

# Imported where used, not here: every command loads this module, and ``xformat validate``
# needs neither a rejects file (xformat.rejects, which writes through xformat.output) nor the
# schemas of the eras (xformat.schema) unless asked for one.

T = TypeVar("T")


def _name(ctx: click.Context) -> str:
    """The command's name as typed after ``xformat`` (``validate``, ``schema show``; empty for ``xformat``)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


class _OneLineUsage(click.Command):
    """Usage errors (bad option, bad value, bad combination, no such command) in one line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _usage(ctx, exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _usage(ctx, exc)


def _usage(ctx: click.Context, exc: click.UsageError) -> NoReturn:
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):  # a group named alone: its help is the answer
        raise exc
    # click lists choices one a line: joined, the message stays one line.
    fail(_name(ctx), " ".join(exc.format_message().split()), exc.exit_code)


class Command(_OneLineUsage):
    """A command whose usage errors are one line."""


class Group(_OneLineUsage, click.Group):
    """A group of ``Command``s (``xformat``, ``xformat schema``), its own usage errors one line too."""

    command_class = Command


def fail(command: str, message: str, code: int) -> NoReturn:
    click.echo(f"xformat {command}: {message}" if command else f"xformat: {message}", err=True)
    sys.exit(code)


def guarded(
    command: str,
    job: Callable[[], T],
    *,
    records_code: int = 2,
    stopping: str = "",
) -> T:
    """``job()``, its failures turned into one message and an exit status: 0 when the reader of
    stdout stops reading (``| head``), quietly; 2 for usage and I/O errors, ``records_code`` for
    input records that cannot be decoded (a ``ComplianceError`` while reading the data), 130 for
    Ctrl-C and 143 for SIGTERM (``xformat.termination``), said as ``interrupted`` or
    ``terminated`` followed by ``stopping`` (``: no output written``)."""
    try:
        return job()
    except BaseExceptionGroup as group:  # (from a pool of workers, say): said as its first fault alone
        first: BaseException = group
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        return guarded(command, partial(_raise, first), records_code=records_code, stopping=stopping)
    except ComplianceError as exc:
        fail(command, str(exc), records_code)
    except XFormatError as exc:
        fail(command, str(exc), 2)
    except KeyboardInterrupt as exc:
        what, status = stopped(exc)
        fail(command, what + stopping, status)
    except BrokenPipeError:
        # The reader of stdout went away (| head): it has what it wanted, which is no error.
        reader_gone()
        sys.exit(0)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(command, f"{where}{exc.strerror or exc}", 2)


def reader_gone() -> None:
    """After a broken pipe on stdout: nothing more to say there, and nowhere to say it (not even
    the flush at exit, which would complain of the broken pipe)."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _raise(exc: BaseException) -> NoReturn:
    raise exc


class Era(click.ParamType[str]):
    """A year, taken as the era whose schemas records of that year follow (``2019`` -> ``2017``):
    one reading for every option that names an era (``validate --era``, ``schema show --version``)."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from xformat.schema import era_of

        try:
            return era_of(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class FormatChoice(click.Choice):  # type: ignore[type-arg]
    """A format by any of its names (``activity-streams``, ``as``), or ``auto`` (None) if allowed."""

    name = "format"

    def __init__(self, *, auto: bool = False) -> None:
        super().__init__([*(["auto"] if auto else []), *formats.choices()])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Format | None:
        if isinstance(value, formats.Format):
            return value
        name = super().convert(value, param, ctx)
        return None if name == "auto" else formats.get(name)


@contextmanager
def run_reporting(
    progress: bool | None, total_bytes: int | None, rejects: str | None
) -> Iterator[tuple[Progress | None, Rejects]]:
    """A run's progress bar (when asked for, or stderr is a terminal) and rejects sink; both closed after.

    Shared by every command that reads records (convert, here or on Dask; export; stats), so that
    all talk to the user the same way.
    """
    from xformat.rejects import Rejects

    with progress_bar(progress, total_bytes) as bar:

        def note(text: str) -> None:
            if bar is not None:
                bar.close()
            click.echo(text, err=True, nl=False)

        kept = Rejects(rejects, None if progress is False else note)
        try:
            yield bar, kept
        finally:
            kept.close()


@contextmanager
def progress_bar(progress: bool | None, total_bytes: int | None) -> Iterator[Progress | None]:
    """A run's progress bar, when asked for or stderr is a terminal (``--progress/--quiet``), closed after."""
    bar = Progress(sys.stderr, total_bytes) if (progress if progress is not None else sys.stderr.isatty()) else None
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def no_input_from_a_terminal(inputs: tuple[str, ...]) -> None:
    if not inputs and sys.stdin.isatty():
        raise click.UsageError("no input: name files or directories, or pipe records to stdin")


def jobs_option(what: str, more: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-j/--jobs N``, worded for what the processes do (``"convert"``), ``more`` said after."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        metavar="N",
        help=f"Processes that {what}: this one and N-1 workers{more}.",
    )


def progress_option(quiet: str = "no summary") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--progress/--quiet``; ``quiet`` says what else -q leaves out."""
    return click.option(
        "--progress/--quiet",
        " /-q",
        "progress",
        default=None,
        help=f"Force the progress bar (default: when stderr is a terminal) / show no progress and {quiet}.",
    )


max_record_bytes_option = click.option(
    "--max-record-bytes",
    type=click.IntRange(min=1024),
    default=DEFAULT_MAX_RECORD_BYTES,
    show_default=True,
    help="Reject longer records without reading them into memory.",
)
