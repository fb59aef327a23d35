"""`cnncalc explain SPEC`: every layer's formulas with the numbers filled in."""

from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options, show
from cnncalc.cli.options import Format, InputSize, SetParameters, Spec, default_format
from cnncalc.i18n import _


def explain(
    spec: Spec,
    layer: Annotated[str | None, typer.Option("--layer", "-l", help=_("Explain one layer only."))] = None,
    input: InputSize = None,
    set_: SetParameters = None,
    format: Annotated[str, Format("explain")] = default_format("explain"),
) -> None:
    """Show the working: D = ⌊(W − F + 2P)/S⌋ + 1, params = Ci·Co·K² + Co, MACs, receptive-field steps."""
    from cnncalc.api import load

    with bad_input_exits(format == "json"):
        result = load(spec, input=input, params=parse_set_options(set_)).explain(layer)
    show("explain", format, result)
