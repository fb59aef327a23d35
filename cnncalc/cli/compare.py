"""`cnncalc compare A B`: two specs side by side with differences and ratios."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.options import OptionalSpec, Spec
from cnncalc.render.escape import json_text


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def compare(
    a: Spec,
    b: OptionalSpec = None,
    input: Annotated[str | None, typer.Option("--input", "-i", help="Run both at this input size.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a parameter of both specs.")] = None,
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.table,
    conventions: Annotated[
        bool, typer.Option("--conventions", help="One spec, one row per tool's counting convention.")
    ] = False,
    batch: Annotated[int, typer.Option("--batch", help="With --conventions: the batch each tool is given.", min=1)] = 1,
) -> None:
    """Parameters, MACs, activation memory, receptive field and output of two specs, with ratios.

    E.g. two 3×3 convolutions against one 5×5: same receptive field, 28% fewer parameters.
    """
    from cnncalc.analysis.compare import compare as compare_graphs
    from cnncalc.api import load
    from cnncalc.errors import ValidationSpecError
    from cnncalc.render import compare as render

    if conventions:
        _compare_conventions(a, b, input, set_, format, batch)
        return
    with bad_input_exits(format is CompareFormat.json):
        if batch != 1:
            raise ValidationSpecError("--batch goes with --conventions (the batch each tool is given)")
        if b is None:
            raise ValidationSpecError("give two specs to compare (or one with --conventions)")
        params = parse_set_options(set_)
        result = compare_graphs(load(a, input=input, params=params).graph, load(b, input=input, params=params).graph,
                                a, b)  # fmt: skip
    if format is CompareFormat.json:
        typer.echo(json_text(result.to_dict()))
    elif format is CompareFormat.markdown:
        typer.echo(render.render_markdown(result).rstrip("\n"))
    else:
        render.render_table(result, console())


def _compare_conventions(
    a: str, b: str | None, input: str | None, set_: list[str] | None, format: CompareFormat, batch: int
) -> None:
    """Why published figures differ: the same network counted as each tool counts it."""
    from cnncalc.api import load
    from cnncalc.errors import ValidationSpecError
    from cnncalc.render import compare as render

    with bad_input_exits(format is CompareFormat.json):
        if b is not None:
            raise ValidationSpecError("--conventions compares one spec with itself, counted by each tool")
        network = load(a, input=input, params=parse_set_options(set_))
        from cnncalc.analysis.conventions import CONVENTIONS

        totals = [network.count(name, batch) for name in CONVENTIONS]
    if format is CompareFormat.json:
        typer.echo(
            json_text(
                {
                    "schema": "cnncalc.conventions/1",
                    "spec": a,
                    "batch": batch,
                    "conventions": [t.to_dict() for t in totals],
                }
            )
        )
    elif format is CompareFormat.markdown:
        typer.echo(render.conventions_markdown(totals).rstrip("\n"))
    else:
        render.conventions_table(totals, console())
