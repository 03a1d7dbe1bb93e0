"""``xformat losses``: the declared-loss catalog, as the README shows it."""

from __future__ import annotations

import click

from xformat import formats
from xformat.cli.common import Command
from xformat.convert.losses import Direction, directions, losses_for


def title(direction: Direction) -> str:
    """``Enriched Native -> Activity Streams``: the leg's source and target."""
    fmt = formats.get(direction.format)
    ends = (formats.HUB, fmt) if direction.leg == "from_hub" else (fmt, formats.HUB)
    return " -> ".join(end.title for end in ends)


def markdown_table() -> str:
    """The catalog as Markdown tables, one per direction (the README embeds this text verbatim)."""
    parts = []
    for direction in directions():
        parts.append(f"#### {title(direction)}\n\n| code | what is lost | fields |\n|---|---|---|")
        for loss in losses_for(direction):
            fields = ", ".join(f"`{f}`" for f in loss.fields)
            parts.append(f"| `{loss.code}` | {loss.description} | {fields} |")
        parts.append("")
    return "\n".join(parts)


@click.command("losses", cls=Command)
def losses() -> None:
    """Print what each direction of conversion cannot carry (Markdown)."""
    click.echo(markdown_table(), nl=False)
