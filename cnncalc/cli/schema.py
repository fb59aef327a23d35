"""`cnncalc schema`: the JSON Schema of the spec format, for editors."""

import json


def schema() -> None:
    """Print the JSON Schema of spec files (wire it into your editor's YAML support)."""
    import typer

    from cnncalc.spec.schema import spec_schema

    typer.echo(json.dumps(spec_schema(), indent=2, ensure_ascii=False))
