"""Upsampling by an integer factor (nearest, bilinear, …)."""

from dataclasses import replace
from typing import Literal

from cnncalc.i18n import N_
from cnncalc.layers.base import (
    Dims,
    Family,
    Layer,
    PerAxis,
    RFStep,
    Shape,
    Weightless,
    output_line,
    per_axis,
    register,
    spatial,
)
from cnncalc.layers.window import check_spatial_input
from cnncalc.working import Line, Num, Sym, Working, times


@register
class Upsample(Weightless, Layer):
    """Repeats (nearest) or interpolates (linear, bilinear, trilinear) by `scale` per axis."""

    kind = "upsample"
    family = Family.RESAMPLING
    linear = True  # nearest and (bi/tri)linear interpolation are linear maps
    backward_saves = ()
    description = N_("upsample the spatial axes by an integer factor; no parameters")
    aliases = ("upsample", "upsampling", "up", "resize", "unpool", "interpolate")
    positional = ("scale",)
    arg_aliases = {"factor": "scale", "scale_factor": "scale", "size": "scale"}
    example = "UPSAMPLE(2)"
    spatial_kind = True

    scale: PerAxis = 2
    mode: Literal["nearest", "linear", "bilinear", "trilinear"] = "nearest"
    dims: Dims = None

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        check_spatial_input(self.kind, self.dims, shape)
        scales = per_axis(self.scale, len(shape) - 1, "scale")
        return (*(w * s for w, s in zip(spatial(shape), scales, strict=True)), shape[-1])

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        scales = per_axis(self.scale, len(inputs[0]) - 1, "scale")
        axes = [
            Working(substituted=times(w, s), result=Num(o))
            for w, s, o in zip(spatial(inputs[0]), scales, spatial(output), strict=True)
        ]
        first = replace(axes[0], lead=(Sym("D"), " = ", times(Sym("W"), Sym("s")), ": "))
        return [(first, *axes[1:]), output_line(output)]

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        """Nearest: output unit u copies input ⌊u/s⌋, so the jump is 1/s.

        The centre of output unit 0 lies at input coordinate (1 − s)/(2s) under the half-pixel
        convention; interpolating modes also read the neighbour, widening the field by one.
        """
        from fractions import Fraction

        scales = per_axis(self.scale, len(inputs[0]) - 1, "scale")
        extra = 0 if self.mode == "nearest" else 1
        return tuple(
            RFStep(Fraction(1 + extra), Fraction(1, s), Fraction(s - 1, 2 * s) + Fraction(extra, 2)) for s in scales
        )
