"""`cnncalc explain SPEC`: every layer's formulas with the numbers filled in."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.options import InputSize, SetParameters, Spec


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    latex = "latex"


def explain(
    spec: Spec,
    layer: Annotated[str | None, typer.Option("--layer", "-l", help="Explain one layer only.")] = None,
    input: InputSize = None,
    set_: SetParameters = None,
    format: Annotated[ExplainFormat, typer.Option("--format", "-f", help="Output format.")] = ExplainFormat.text,
) -> None:
    """Show the working: D = ⌊(W − F + 2P)/S⌋ + 1, params = Ci·Co·K² + Co, MACs, receptive-field steps."""
    from cnncalc.api import load
    from cnncalc.render import explain as render

    with bad_input_exits(format is ExplainFormat.json):
        result = load(spec, input=input, params=parse_set_options(set_)).explain(layer)
    if format is ExplainFormat.text:
        render.render_text(result, console(soft_wrap=True))
    else:
        writer = {
            ExplainFormat.json: render.render_json,
            ExplainFormat.markdown: render.render_markdown,
            ExplainFormat.latex: render.render_latex,
        }[format]
        typer.echo(writer(result).rstrip("\n"))
