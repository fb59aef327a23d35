"""`cnncalc layers`: the layer kinds, their spellings and arguments."""

from typing import Annotated

import typer

from cnncalc.cli.common import console
from cnncalc.cli.options import Format, default_format
from cnncalc.render.escape import json_text


def layers(
    format: Annotated[str, Format("layers")] = default_format("layers"),
) -> None:
    """List every layer kind with its aliases, positional arguments and an example."""
    from cnncalc.analysis.catalog import layer_catalog

    catalog = layer_catalog()
    if format == "json":
        document = {"schema": "cnncalc.layers/1", "kinds": [k.to_dict() for k in catalog]}
        typer.echo(json_text(document))
        return
    from rich.table import Table

    table = Table(title="layer kinds (names are case-insensitive; _ and - are ignored)", title_justify="left")
    for column in ("kind", "example", "arguments", "also written", "what it does"):
        table.add_column(column, no_wrap=column == "kind")
    for info in catalog:
        args = (
            ", ".join(info.positional)
            + (" | " if info.positional else "")
            + ", ".join(a for a in info.arguments if a not in info.positional)
        )
        table.add_row(info.kind, info.example, args.strip(" |"), ", ".join(info.aliases), info.description)
    console().print(table)
