"""`cnncalc schema`: the JSON Schema of the spec format, for editors."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.render.escape import json_text


class SchemaFormat(StrEnum):
    json = "json"


def schema(
    format: Annotated[SchemaFormat, typer.Option("--format", "-f", help="The schema is JSON.")] = SchemaFormat.json,
) -> None:
    """Print the JSON Schema of spec files (wire it into your editor's YAML support)."""
    from cnncalc.spec.schema import spec_schema

    typer.echo(json_text(spec_schema()))
