"""`cnncalc conv` and `cnncalc pool`: worked examples on small matrices, cell by cell."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, reading_language, show
from cnncalc.cli.options import Format, default_format
from cnncalc.i18n import _


class PaddingMode(StrEnum):
    zeros = "zeros"
    reflect = "reflect"
    circular = "circular"
    replicate = "replicate"


MATRIX_HELP = _("Rows separated by ';' (channels by '|'), or a .csv / .npy file.")


def conv(
    context: typer.Context,
    input: Annotated[str, typer.Option("--input", "-x", help=MATRIX_HELP, show_default=False)],
    kernel: Annotated[str, typer.Option("--kernel", "-k", help=MATRIX_HELP, show_default=False)],
    stride: Annotated[int, typer.Option("--stride", "-s", min=1)] = 1,
    padding: Annotated[str, typer.Option("--padding", "-p", help=_("valid, same, full, P or PxQ."))] = "valid",
    dilation: Annotated[int, typer.Option("--dilation", "-d", min=1)] = 1,
    flip: Annotated[
        bool, typer.Option("--flip", help=_("True convolution (flipped kernel) instead of correlation."))
    ] = False,
    padding_mode: Annotated[PaddingMode, typer.Option("--padding-mode")] = PaddingMode.zeros,
    explain: Annotated[
        bool, typer.Option("--explain", help=_("Show each cell's products and sum (with --grad, each gradient's too)."))
    ] = False,
    grad: Annotated[
        str | None, typer.Option("--grad", help=_("Upstream gradient dL/dout: prints dL/dx and dL/dw."))
    ] = None,
    as_matrix: Annotated[
        bool,
        typer.Option("--as-matrix", help=_("Also show the convolution as a matrix product: output = T · x (im2col).")),
    ] = False,
    format: Annotated[str, Format("conv")] = default_format("conv"),
) -> None:
    """Cross-correlate (or, with --flip, convolve) a small matrix with a kernel, showing the working."""
    from cnncalc.executor.worked import convolve, parse_matrix

    language = reading_language(context)  # 0,25 is a quarter in Spanish, refused as ambiguous in English
    with bad_input_exits(format == "json"):
        upstream = parse_matrix(grad, _("the upstream gradient"), language) if grad else None
        result = convolve(
            parse_matrix(input, _("the input"), language),
            parse_matrix(kernel, _("the kernel"), language),
            stride=stride,
            padding=padding,
            dilation=dilation,
            flip=flip,
            padding_mode=padding_mode.value,
            explain=explain,
            upstream=upstream,
            as_matrix=as_matrix,
        )
    show("conv", format, result)


class PoolType(StrEnum):
    max = "max"
    avg = "avg"
    lp = "lp"


def pool(
    context: typer.Context,
    input: Annotated[str, typer.Option("--input", "-x", help=MATRIX_HELP, show_default=False)],
    kernel: Annotated[str, typer.Option("--kernel", "-k", help=_("Window size: 2 or 2x3."), show_default=False)],
    stride: Annotated[str | None, typer.Option("--stride", "-s", help=_("Default: the window size."))] = None,
    padding: Annotated[str, typer.Option("--padding", "-p", help=_("valid, P or PxQ."))] = "valid",
    type: Annotated[PoolType, typer.Option("--type", "-t")] = PoolType.max,
    power: Annotated[float, typer.Option("--power", help=_("p of LP pooling."))] = 2.0,
    explain: Annotated[
        bool, typer.Option("--explain", help=_("Show each window and its result (with --grad, each gradient's too)."))
    ] = False,
    grad: Annotated[
        str | None,
        typer.Option("--grad", help=_("Upstream gradient dL/dout: prints dL/dx (max routes it to the max).")),
    ] = None,
    format: Annotated[str, Format("pool")] = default_format("pool"),
) -> None:
    """Max, average or LP (power-average) pooling of a small matrix, showing the working."""
    from cnncalc.executor.worked import parse_matrix
    from cnncalc.executor.worked import pool as pool_matrix

    language = reading_language(context)
    with bad_input_exits(format == "json"):
        result = pool_matrix(
            parse_matrix(input, _("the input"), language),
            _pair(kernel, "--kernel"),
            stride=_pair(stride, "--stride") if stride else None,
            padding=padding,
            kind=type.value,
            power=power,
            explain=explain,
            upstream=parse_matrix(grad, _("the upstream gradient"), language) if grad else None,
        )
    show("pool", format, result)


def _pair(text: str, option: str) -> tuple[int, int]:
    from cnncalc.errors import ValidationSpecError

    try:
        values = [int(v) for v in text.lower().split("x")]
    except ValueError:
        values = []
    if len(values) not in (1, 2) or min(values, default=0) < 1:
        raise ValidationSpecError(_("{option} {text!r} is not a size like 2 or 2x3").format(option=option, text=text))
    return (values[0], values[-1])
