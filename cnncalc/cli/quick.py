"""`cnncalc out-size`: the output size of one layer, with the working and a stride-fit verdict."""

from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, show
from cnncalc.cli.options import Format, default_format
from cnncalc.i18n import _


def sizes(text: str, option: str) -> tuple[int, ...]:
    from cnncalc.errors import ValidationSpecError

    try:
        return tuple(int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        message = _("{option} {text!r} is not an integer or sizes like {example}")
        raise ValidationSpecError(message.format(option=option, text=text, example="7x9")) from None


def out_size(
    width: Annotated[str, typer.Option("-W", help=_("Input size (per axis: 7x9)."), show_default=False)],
    kernel: Annotated[str, typer.Option("-F", help=_("Kernel size."), show_default=False)],
    stride: Annotated[str, typer.Option("-S", help=_("Stride."))] = "1",
    padding: Annotated[str, typer.Option("-P", help=_("Padding on each side."))] = "0",
    dilation: Annotated[str, typer.Option("-D", help=_("Dilation."))] = "1",
    transposed: Annotated[bool, typer.Option("--transposed", help=_("A transposed convolution."))] = False,
    output_padding: Annotated[str, typer.Option("--output-padding", help=_("Transposed only."))] = "0",
    format: Annotated[str, Format("out_size")] = default_format("out_size"),
) -> None:
    """D = ⌊(W − F + 2P)/S⌋ + 1 with the working; says when the stride does not fit."""
    from cnncalc.analysis.quick import out_sizes

    with bad_input_exits(format == "json"):
        answers = out_sizes(
            sizes(width, "-W"), sizes(kernel, "-F"), sizes(stride, "-S"), sizes(padding, "-P"),
            sizes(dilation, "-D"), transposed, sizes(output_padding, "--output-padding"),
        )  # fmt: skip
    show("out_size", format, answers)
