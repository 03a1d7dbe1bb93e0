"""The ``xformat`` command: click commands over the library; no logic of its own."""

from __future__ import annotations

import gc
import importlib
from typing import Any

import click

from xformat import __version__
from xformat.cli.common import Group
from xformat.termination import terminate_as_interrupt

# Each subcommand's module is imported when that subcommand runs (or help lists it): a
# conversion then does not pay for loading jsonschema and referencing, which only `validate`
# and `schema` use.
_COMMANDS = {
    "convert": "xformat.cli.convert_cmd:convert",
    "validate": "xformat.cli.validate_cmd:validate",
    "schema": "xformat.cli.schema_cmd:schema_group",
    "losses": "xformat.cli.losses_cmd:losses",
    "ids": "xformat.cli.compliance_cmd:ids",
    "comply": "xformat.cli.compliance_cmd:comply",
    "compliance-job": "xformat.cli.jobs_cmd:compliance_job",
    "export": "xformat.cli.export_cmd:export",
    "stats": "xformat.cli.stats_cmd:stats",
}


_FIRST_RUN = True
_HOLDING = False
"""Whether collections are held off until the command runs (``_LazyGroup.main``)."""


class _LazyGroup(Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Start-up (click, msgspec, the formats' models, then the subcommand's modules) allocates
        # some hundred thousand objects that live as long as the process, and no garbage: a
        # collection that goes through them finds nothing, and such collections cost about a
        # sixth of the CPU of a command of one record. What the imports made is frozen, out of the
        # way of every later collection, and collections are held off until the command runs
        # (``_run``), its modules imported. Once a process: a program that runs the command
        # several times (tests) has its objects frozen once.
        global _FIRST_RUN, _HOLDING
        if _FIRST_RUN and gc.isenabled():
            gc.freeze()
            gc.disable()
            _HOLDING = True
        _FIRST_RUN = False
        try:
            return super().main(*args, **kwargs)
        finally:
            if _HOLDING:  # no command ran (help, a usage error)
                _HOLDING = False
                gc.enable()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, name = _COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xformat")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Convert, validate and keep compliant X Enterprise data (Enriched Native, Activity Streams)."""
    _run()
    ctx.with_resource(terminate_as_interrupt())  # SIGTERM cleans up as Ctrl-C does


def _run() -> None:
    """The command is about to run, its modules imported by click: collections back on, if
    ``main`` held them off, with what start-up made frozen."""
    global _HOLDING
    if _HOLDING:
        _HOLDING = False
        gc.freeze()
        gc.enable()
