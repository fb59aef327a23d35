"""`cnncalc scale SPEC --sizes 224,320,448,640`: cost as a function of input size."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options, show
from cnncalc.cli.options import Format, SetParameters, Spec, default_format
from cnncalc.i18n import _


def scale(
    spec: Spec,
    sizes: Annotated[str, typer.Option("--sizes", help=_("Input sizes, e.g. 224,320,448,640."))] = "224,320,448,640",
    set_: SetParameters = None,
    format: Annotated[str, Format("scale")] = default_format("scale"),
    plot: Annotated[
        Path | None, typer.Option("--plot", help=_("Also draw MACs and memory against size (SVG)."))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing --plot file."))] = False,
) -> None:
    """Parameters, MACs, activation memory and output shape at each input size, with the valid sizes.

    Each size is used on every spatial axis (224 → 224×224×C). A size where the shapes fail shows
    why; 'clean' says whether every window fits without dropping pixels, and the line below the
    table lists every size in the range that does (as `cnncalc solve inputs`).
    """
    from cnncalc.analysis.scale import scale as scale_spec
    from cnncalc.api import load
    from cnncalc.errors import ValidationSpecError
    from cnncalc.output import write_atomic
    from cnncalc.render.scale import render_plot

    with bad_input_exits(format == "json"):
        try:
            wanted = tuple(int(part) for part in sizes.replace(" ", "").split(",") if part)
        except ValueError:
            message = _("--sizes {text!r} is not a list of integers").format(text=sizes)
            raise ValidationSpecError(message, hint=_("e.g. {example}").format(example="224,320")) from None
        result = scale_spec(load(spec, params=parse_set_options(set_)).spec, wanted)
        if plot is not None:
            write_atomic(plot, render_plot(result), force)
    show("scale", format, result)
