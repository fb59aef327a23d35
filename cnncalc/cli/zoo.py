"""`cnncalc zoo`: the bundled architectures with their size and cost."""

import json
from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console


class ZooFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def zoo(
    format: Annotated[ZooFormat, typer.Option("--format", "-f", help="Output format.")] = ZooFormat.table,
) -> None:
    """List the bundled networks (use their names as SPEC: `cnncalc summary resnet50`)."""
    from cnncalc.analysis.zoo import zoo as entries
    from cnncalc.render import zoo as render

    with bad_input_exits(format is ZooFormat.json):
        rows = entries()
    if format is ZooFormat.json:
        typer.echo(json.dumps({"schema": "cnncalc.zoo/1", "networks": [e.to_dict() for e in rows]}, indent=2))
    elif format is ZooFormat.markdown:
        typer.echo(render.render_markdown(rows).rstrip("\n"))
    else:
        render.render_table(rows, console())
