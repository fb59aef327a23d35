"""`cnncalc compare A B`: two specs side by side with differences and ratios."""

from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options, show
from cnncalc.cli.options import Format, OptionalSpec, Spec, default_format
from cnncalc.i18n import _
from cnncalc.render.escape import json_text


def compare(
    a: Spec,
    b: OptionalSpec = None,
    input: Annotated[str | None, typer.Option("--input", "-i", help=_("Run both at this input size."))] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help=_("Override a parameter of both specs."))] = None,
    format: Annotated[str, Format("comparison")] = default_format("comparison"),
    conventions: Annotated[
        bool, typer.Option("--conventions", help=_("One spec, one row per tool's counting convention."))
    ] = False,
    batch: Annotated[
        int, typer.Option("--batch", help=_("With --conventions: the batch each tool is given."), min=1)
    ] = 1,
) -> None:
    """Parameters, MACs, activation memory, receptive field and output of two specs, with ratios.

    E.g. two 3×3 convolutions against one 5×5: same receptive field, parameters down by 28%.
    """
    from cnncalc.analysis.compare import compare as compare_graphs
    from cnncalc.api import load
    from cnncalc.errors import ValidationSpecError

    if conventions:
        _compare_conventions(a, b, input, set_, format, batch)
        return
    with bad_input_exits(format == "json"):
        if batch != 1:
            raise ValidationSpecError(_("--batch goes with --conventions (the batch each tool is given)"))
        if b is None:
            raise ValidationSpecError(_("give two specs to compare (or one with --conventions)"))
        params = parse_set_options(set_)
        result = compare_graphs(load(a, input=input, params=params).graph, load(b, input=input, params=params).graph,
                                a, b)  # fmt: skip
    show("comparison", format, result)


def _compare_conventions(
    a: str, b: str | None, input: str | None, set_: list[str] | None, format: str, batch: int
) -> None:
    """Why published figures differ: the same network counted as each tool counts it."""
    from cnncalc.api import load
    from cnncalc.errors import ValidationSpecError

    with bad_input_exits(format == "json"):
        if b is not None:
            raise ValidationSpecError(_("--conventions compares one spec with itself, counted by each tool"))
        network = load(a, input=input, params=parse_set_options(set_))
        from cnncalc.analysis.conventions import CONVENTIONS

        totals = [network.count(name, batch) for name in CONVENTIONS]
    if format == "json":  # the document also names the spec, which the totals do not hold
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
    else:
        show("conventions", format, totals)
