"""`cnncalc explain SPEC`: every layer's formulas with the numbers filled in."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.completion import complete_spec
from cnncalc.cli.summary import SPEC_HELP


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    latex = "latex"


def explain(
    spec: Annotated[str, typer.Argument(help=SPEC_HELP, show_default=False, autocompletion=complete_spec)],
    layer: Annotated[str | None, typer.Option("--layer", "-l", help="Explain one layer only.")] = None,
    input: Annotated[str | None, typer.Option("--input", "-i", help="Another input size.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a spec parameter.")] = None,
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
