"""`cnncalc schema`: the JSON Schema of the spec format, for editors."""

from typing import Annotated

import typer

from cnncalc.cli.options import Format, default_format
from cnncalc.render.escape import json_text


def schema(
    format: Annotated[str, Format("schema")] = default_format("schema"),
) -> None:
    """Print the JSON Schema of spec files (wire it into your editor's YAML support)."""
    from cnncalc.spec.schema import spec_schema

    typer.echo(json_text(spec_schema()))
