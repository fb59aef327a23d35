"""`cnncalc compare A B`: two specs side by side with differences and ratios."""

import json
from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.summary import SPEC_HELP


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def compare(
    a: Annotated[str, typer.Argument(help=SPEC_HELP, show_default=False)],
    b: Annotated[str, typer.Argument(help=SPEC_HELP, show_default=False)],
    input: Annotated[str | None, typer.Option("--input", "-i", help="Run both at this input size.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a parameter of both specs.")] = None,
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.table,
) -> None:
    """Parameters, MACs, activation memory, receptive field and output of two specs, with ratios.

    E.g. two 3×3 convolutions against one 5×5: same receptive field, 28% fewer parameters.
    """
    from cnncalc.analysis.compare import compare as compare_graphs
    from cnncalc.api import load
    from cnncalc.render import compare as render

    with bad_input_exits(format is CompareFormat.json):
        params = parse_set_options(set_)
        result = compare_graphs(load(a, input=input, params=params).graph, load(b, input=input, params=params).graph,
                                a, b)  # fmt: skip
    if format is CompareFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif format is CompareFormat.markdown:
        typer.echo(render.render_markdown(result).rstrip("\n"))
    else:
        render.render_table(result, console())
