"""``xformat schema``: the published JSON Schemas, and their drift from the models."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from xformat import registry, schema
from xformat.cli.common import Era, Group, fail
from xformat.errors import XFormatError
from xformat.models.base import CURRENT_ERA, ERAS

_DIR_HELP = "Schema directory (default: schemas/ of the source checkout xformat runs from)."


@click.group("schema", cls=Group)
def schema_group() -> None:
    """List, show, check and regenerate the JSON Schemas of both formats."""


@schema_group.command("list")
def list_() -> None:
    """Every schema: name, version (era), $id and title."""
    rows = [(info.name, info.version, info.id, info.title) for info in registry.list_schemas()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3])


@schema_group.command("show")
@click.argument("name")
@click.option(
    "--version",
    type=Era(),
    default=CURRENT_ERA,
    show_default=True,
    help=f"Era, or any year: the era of its records ({', '.join(ERAS)}: each era is named by its first year).",
)
@click.option(
    "--bundle",
    is_flag=True,
    help="Self-contained: every definition inlined, every $ref local (for other JSON Schema tools).",
)
def show(name: str, version: str, bundle: bool) -> None:
    """Print the schema NAME (see `xformat schema list`)."""
    try:
        shown = registry.get_bundled(name, version) if bundle else registry.get_schema(name, version)
        click.echo(schema.dumps(shown), nl=False)
    except XFormatError as exc:
        _fail(str(exc))


@schema_group.command("check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Schema directory (default: the one xformat serves: installed, else the source checkout's).",
)
def check(directory: Path | None) -> None:
    """Fail (exit 1) when the schema files differ from what the models generate."""
    where = directory if directory is not None else registry.schema_dir()
    lines = schema.drift(where)
    if lines:
        for line in lines:
            click.echo(line)
        _fail(f"{len(lines)} schema files in {where} differ from the models: run `xformat schema write`", 1)
    click.echo(f"xformat schema: {where} matches the models", err=True)


@schema_group.command("write")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False), help=_DIR_HELP)
def write(directory: Path | None) -> None:
    """Regenerate the schema files from the models."""
    where = directory if directory is not None else registry.SOURCE_SCHEMAS
    if directory is None and not (where.parent / "pyproject.toml").is_file():
        _fail("not in a source checkout of xformat: name the directory to write with --dir")
    changed = schema.write(where)
    for path in changed:
        click.echo(path)
    click.echo(f"xformat schema: {len(changed)} files written or removed in {where}", err=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    fail("schema", message, code)
