"""``xformat losses``: the declared-loss catalog, as the README shows it."""

from __future__ import annotations

import click

from xformat.convert.losses import losses_for

_TITLES = {
    "to_activity": "Enriched Native -> Activity Streams",
    "to_native": "Activity Streams -> Enriched Native",
}


def markdown_table() -> str:
    """The catalog as Markdown tables, one per direction (the README embeds this text verbatim)."""
    parts = []
    for direction, title in _TITLES.items():
        parts.append(f"#### {title}\n\n| code | what is lost | fields |\n|---|---|---|")
        for loss in losses_for(direction):  # type: ignore[arg-type]
            fields = ", ".join(f"`{f}`" for f in loss.fields)
            parts.append(f"| `{loss.code}` | {loss.description} | {fields} |")
        parts.append("")
    return "\n".join(parts)


@click.command("losses")
def losses() -> None:
    """Print what each direction of conversion cannot carry (Markdown)."""
    click.echo(markdown_table(), nl=False)
