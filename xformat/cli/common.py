"""What every command shares: one-line usage errors, one error-handling wrapper, format options.

Every command says what went wrong in one line, ``xformat <command>: <message>``, never with a
traceback or click's usage text, and exits 0 ok, 1 some records bad, 2 usage or I/O error
(130 when interrupted).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from xformat import formats
from xformat.errors import ComplianceError, XFormatError
from xformat.formats import Format

T = TypeVar("T")


def _name(ctx: click.Context) -> str:
    """The command's name as typed after ``xformat`` (``validate``, ``schema show``)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names)) or (ctx.command.name or "")


class Command(click.Command):
    """A command whose usage errors (bad option, bad value, bad combination) are one line."""

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
    # click lists choices one a line: joined, the message stays one line.
    fail(_name(ctx), " ".join(exc.format_message().split()), exc.exit_code)


class Group(click.Group):
    """A group of ``Command``s (``xformat schema``)."""

    command_class = Command


def fail(command: str, message: str, code: int) -> NoReturn:
    click.echo(f"xformat {command}: {message}", err=True)
    sys.exit(code)


def guarded(
    command: str,
    job: Callable[[], T],
    *,
    records_code: int = 2,
    interrupted: str = "interrupted",
) -> T:
    """``job()``, its failures turned into one message and an exit status: 2 for usage and I/O
    errors, ``records_code`` for input records that cannot be decoded (a ``ComplianceError``
    while reading the data), 130 with ``interrupted`` for Ctrl-C."""
    try:
        return job()
    except ComplianceError as exc:
        fail(command, str(exc), records_code)
    except XFormatError as exc:
        fail(command, str(exc), 2)
    except KeyboardInterrupt:
        fail(command, interrupted, 130)
    except BrokenPipeError:
        # The reader of stdout went away (| head): nothing more to say, and nowhere to say it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(2)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(command, f"{where}{exc.strerror or exc}", 2)


class FormatChoice(click.Choice):  # type: ignore[type-arg]
    """A format by any of its names (``activity-streams``, ``as``), or ``auto`` (None) if allowed."""

    name = "format"

    def __init__(self, *, auto: bool = False) -> None:
        super().__init__([*(["auto"] if auto else []), *formats.choices()])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Format | None:
        if isinstance(value, Format):
            return value
        name = super().convert(value, param, ctx)
        return None if name == "auto" else formats.get(name)


def no_input_from_a_terminal(inputs: tuple[str, ...]) -> None:
    if not inputs and sys.stdin.isatty():
        raise click.UsageError("no input: name files or directories, or pipe records to stdin")
