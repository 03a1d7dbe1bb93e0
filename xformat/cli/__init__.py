"""The ``xformat`` command: click commands over the library; no logic of its own."""

from __future__ import annotations

import gc
import importlib

# Start-up (click, msgspec, the formats' models, the subcommand's modules) allocates some
# hundred thousand objects that live as long as the process, and no garbage: the collections
# they set off find nothing, and cost about a tenth of the CPU of a command of one record. They
# are held off until the command runs; what start-up made is then frozen, out of the way of
# every later collection (``_start``).
_STARTING = gc.isenabled()
gc.disable()

import click  # noqa: E402

from xformat import __version__  # noqa: E402
from xformat.cli.common import Group  # noqa: E402
from xformat.termination import terminate_as_interrupt  # noqa: E402

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


class _LazyGroup(Group):
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
    _start()  # click has imported the subcommand's module by now
    ctx.with_resource(terminate_as_interrupt())  # SIGTERM cleans up as Ctrl-C does


def _start() -> None:
    """Collections back on (once, and only if they were on when this module was imported), with
    what start-up made frozen."""
    global _STARTING
    if _STARTING:
        _STARTING = False
        gc.freeze()
        gc.enable()
