"""The ``xformat`` command: click commands over the library; no logic of its own."""

from __future__ import annotations

import click

from xformat import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xformat")
def main() -> None:
    """Convert, validate and keep compliant X Enterprise data (Enriched Native, Activity Streams)."""


from xformat.cli.compliance_cmd import comply, ids  # noqa: E402
from xformat.cli.convert_cmd import convert  # noqa: E402
from xformat.cli.dask_opts import with_dask  # noqa: E402
from xformat.cli.losses_cmd import losses  # noqa: E402
from xformat.cli.schema_cmd import schema_group  # noqa: E402
from xformat.cli.validate_cmd import validate  # noqa: E402

main.add_command(with_dask(convert))
main.add_command(losses)
main.add_command(schema_group)
main.add_command(validate)
main.add_command(ids)
main.add_command(comply)
