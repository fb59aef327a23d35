"""Convolutions: standard, transposed, depthwise, separable and locally connected."""

from typing import Literal

from cnncalc.errors import ShapeError
from cnncalc.formulas import effective_kernel, transposed_output_expr, transposed_output_size
from cnncalc.i18n import N_, _
from cnncalc.layers.base import (
    MACS,
    PARAMS,
    Family,
    ParamCount,
    PerAxisNonNeg,
    PosInt,
    RFStep,
    Saved,
    Shape,
    axis_name,
    count,
    kernel_symbol,
    output_line,
    per_axis,
    prod,
    register,
    spatial,
    taps,
)
from cnncalc.layers.window import WINDOW_ALIASES, WindowLayer
from cnncalc.working import Expr, Group, Labelled, Line, Num, Sym, Working, over, plus, times

PaddingMode = Literal["zeros", "reflect", "circular", "replicate"]
CONV_ALIASES = {
    **WINDOW_ALIASES,
    "n": "filters",
    "c": "filters",
    "out": "filters",
    "out_channels": "filters",
    "num_filters": "filters",
    "g": "groups",
    "use_bias": "bias",
    "filtros": "filters",
    "grupos": "groups",
    "sesgo": "bias",
    "dm": "depth_multiplier",
}


def check_groups(kind: str, groups: int, in_channels: int, out_channels: int) -> None:
    if in_channels % groups or out_channels % groups:
        raise ShapeError(
            _(
                "{kind} with groups={groups} needs input and output channels divisible by {groups}, "
                "but they are {channels_in} and {channels_out}"
            ).format(kind=kind, groups=groups, channels_in=in_channels, channels_out=out_channels),
            hint=_("choose groups that divide both channel counts"),
            rule="S006",
        )


class FilterBank(WindowLayer):
    """A window layer with `filters` output channels and optional biases."""

    family = Family.CONVOLUTION
    weighted = True
    positional = ("filters", "kernel", "stride", "padding")
    arg_aliases = CONV_ALIASES

    filters: PosInt
    bias: bool = True

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        return (*self.output_spatial(inputs[0]), self.filters)


@register
class Conv(FilterBank):
    """Convolution (1-D, 2-D or 3-D by the input's rank), grouped or depthwise by `groups`."""

    kind = "conv"
    backward_saves = (Saved.INPUT,)
    description = N_("convolution: Co filters of Ci/groups×K, sliding with stride, padding, dilation")
    aliases = ("conv", "convolution", "convolutional", "convolución", "convolucional")
    example = "CONV(10, k=5, s=1, p=2)"

    groups: PosInt = 1
    padding_mode: PaddingMode = "zeros"

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        sizes = self.output_spatial(shape)
        check_groups(self.kind, self.groups, shape[-1], self.filters)
        return (*sizes, self.filters)

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        kernel = self.kernel_volume(output)
        weights = inputs[0][-1] * self.filters * kernel // self.groups
        return ParamCount(weights + (self.filters if self.bias else 0))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        kernel = self.kernel_volume(output)
        return prod(output) * inputs[0][-1] // self.groups * kernel

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        return filter_params_working(self, inputs, output)

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        return filter_macs_working(self, inputs, output, self.groups)


CI, CO, M, POSITIONS = Sym("Ci"), Sym("Co"), Sym("m"), Sym(N_("positions"))


def kernel_terms(layer: WindowLayer, output: Shape) -> tuple[Expr, Expr]:
    """The kernel's symbol (K, K², K³) and its taps in numbers (3², 1·7) for one working line."""
    ndim = len(output) - 1
    return kernel_symbol(ndim), taps(per_axis(layer.kernel, ndim, "kernel"))


def grouped(product: Expr, groups: Expr | int, by: int) -> Expr:
    """product/g when the layer is grouped (by > 1), the product alone otherwise."""
    return over(product, groups) if by > 1 else product


def with_bias(weights: Expr, bias: Expr, has_bias: bool) -> Expr:
    return plus(weights, bias) if has_bias else weights


def filter_params_working(layer: "Conv | ConvTranspose", inputs: tuple[Shape, ...], output: Shape) -> Working:
    """Ci·Co·K/groups + Co with numbers (shared by convolutions and transposed convolutions)."""
    k, kernel = kernel_terms(layer, output)
    g = layer.groups
    formula = with_bias(grouped(times(CI, CO, k), Sym("g"), g), CO, layer.bias)
    numbers = with_bias(grouped(times(inputs[0][-1], layer.filters, kernel), g, g), Num(layer.filters), layer.bias)
    return Working(PARAMS, formula, numbers, count(layer.params(inputs, output).trainable))


def filter_macs_working(layer: FilterBank, inputs: tuple[Shape, ...], output: Shape, groups: int = 1) -> Working:
    """MACs = positions·Co·Ci/g·K with numbers (convolutions, and locally connected layers with g = 1)."""
    k, kernel = kernel_terms(layer, output)
    formula = times(grouped(times(POSITIONS, CO, CI), Sym("g"), groups), k)
    numbers = times(grouped(times(*spatial(output), output[-1], inputs[0][-1]), groups, groups), kernel)
    return Working(MACS, formula, numbers, count(layer.macs(inputs, output)))


@register
class DepthwiseConv(WindowLayer):
    """Depthwise convolution: each input channel gets `depth_multiplier` filters of its own."""

    kind = "depthwise_conv"
    backward_saves = (Saved.INPUT,)
    description = N_("depthwise convolution: one K filter per input channel (× depth multiplier)")
    aliases = ("depthwise_conv", "depthwiseconv", "depthwise", "dwconv", "depthwiseconvolution")
    positional = ("kernel", "stride", "padding")
    arg_aliases = CONV_ALIASES
    example = "DEPTHWISE_CONV(3, s=1, p=1)"
    family = Family.CONVOLUTION
    weighted = True

    depth_multiplier: PosInt = 1
    bias: bool = True
    padding_mode: PaddingMode = "zeros"

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        return (*self.output_spatial(shape), shape[-1] * self.depth_multiplier)

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        kernel = self.kernel_volume(output)
        return ParamCount(output[-1] * kernel + (output[-1] if self.bias else 0))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        return prod(output) * self.kernel_volume(output)

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        k, kernel = kernel_terms(self, output)
        formula = with_bias(times(CI, M, k), times(CI, M), self.bias)
        numbers = with_bias(times(inputs[0][-1], self.depth_multiplier, kernel), Num(output[-1]), self.bias)
        return Working(PARAMS, formula, numbers, count(self.params(inputs, output).trainable))

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        k, kernel = kernel_terms(self, output)
        numbers = times(*spatial(output), output[-1], kernel)
        return Working(MACS, times(POSITIONS, CI, M, k), numbers, count(self.macs(inputs, output)))


@register
class SeparableConv(FilterBank):
    """Depthwise-separable convolution: a depthwise K filter per channel, then a 1×1 pointwise."""

    kind = "separable_conv"
    backward_saves = (Saved.INPUT, Saved.DEPTHWISE_OUTPUT)  # the pointwise step keeps the depthwise result
    description = N_("depthwise K convolution followed by a pointwise 1×1 convolution to Co channels")
    aliases = ("separable_conv", "separableconv", "sepconv", "separableconvolution", "separable")
    example = "SEPARABLE_CONV(64, k=3, p=1)"

    depth_multiplier: PosInt = 1
    padding_mode: PaddingMode = "zeros"

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        kernel = self.kernel_volume(output)
        mid = inputs[0][-1] * self.depth_multiplier
        return ParamCount(mid * kernel + mid * self.filters + (self.filters if self.bias else 0))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        kernel = self.kernel_volume(output)
        mid = inputs[0][-1] * self.depth_multiplier
        positions = prod(spatial(output))
        return positions * mid * kernel + positions * mid * self.filters

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        k, kernel = kernel_terms(self, output)
        mid = inputs[0][-1] * self.depth_multiplier
        both = plus(
            Labelled(times(CI, M, k), (N_("depthwise"),), True), Labelled(times(CI, M, CO), (N_("pointwise"),), True)
        )
        formula = with_bias(both, CO, self.bias)
        numbers = with_bias(plus(times(mid, kernel), times(mid, self.filters)), Num(self.filters), self.bias)
        return Working(PARAMS, formula, numbers, count(self.params(inputs, output).trainable))

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        k, kernel = kernel_terms(self, output)
        mid = inputs[0][-1] * self.depth_multiplier
        formula = times(POSITIONS, plus(times(CI, M, k), times(CI, M, CO)))
        numbers = times(*spatial(output), plus(times(mid, kernel), times(mid, self.filters)))
        return Working(MACS, formula, numbers, count(self.macs(inputs, output)))


@register
class LocallyConnected(FilterBank):
    """Locally connected layer: like a convolution, but every output position has its own filters."""

    kind = "locally_connected"
    backward_saves = (Saved.INPUT,)
    description = N_("unshared convolution: a separate Ci×K filter bank for every output position")
    aliases = ("locally_connected", "locallyconnected", "local", "localconv", "unshared_conv")
    example = "LOCALLY_CONNECTED(16, k=3)"

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        kernel = self.kernel_volume(output)
        positions = prod(spatial(output))
        weights = positions * inputs[0][-1] * kernel * self.filters
        return ParamCount(weights + (positions * self.filters if self.bias else 0))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        kernel = self.kernel_volume(output)
        return prod(output) * inputs[0][-1] * kernel

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        k, kernel = kernel_terms(self, output)
        positions = spatial(output)
        formula = times(POSITIONS, Group(with_bias(times(CI, k, CO), CO, self.bias)))
        weights = times(*positions, inputs[0][-1], kernel, self.filters)
        numbers = with_bias(weights, times(*positions, self.filters), self.bias)
        return Working(PARAMS, formula, numbers, count(self.params(inputs, output).trainable))

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        return filter_macs_working(self, inputs, output)


@register
class ConvTranspose(FilterBank):
    """Transposed ("de-") convolution: the shape inverse of a convolution with the same arguments."""

    kind = "conv_transpose"
    transposed = True
    backward_saves = (Saved.INPUT,)
    description = N_("transposed convolution: (W−1)S − P_begin − P_end + d(F−1) + output_padding + 1")
    aliases = (
        "conv_transpose",
        "convtranspose",
        "convtransposed",
        "transposedconv",
        "transposeconv",
        "deconv",
        "deconvolution",
        "upconv",
        "convolutiontranspose",
    )
    arg_aliases = {**CONV_ALIASES, "op": "output_padding", "out_padding": "output_padding"}
    example = "CONV_TRANSPOSE(64, k=2, s=2)"

    output_padding: PerAxisNonNeg = 0
    groups: PosInt = 1

    def _pads(self, sizes: Shape) -> tuple[tuple[int, int], ...]:
        """Padding removed from the full output. Keras 'same' makes the output exactly W·S.

        As in TensorFlow, the begin side loses ⌊max(F_eff − S, 0)/2⌋; when F_eff < S the full
        output is S − F_eff short and is extended at the end (a negative end padding).
        """
        ndim = len(sizes)
        kernels = per_axis(self.kernel, ndim, "kernel")
        strides = per_axis(self.stride, ndim, "stride")
        dilations = per_axis(self.dilation, ndim, "dilation")
        if self.padding == "same":
            totals = [effective_kernel(k, d) - s for k, s, d in zip(kernels, strides, dilations, strict=True)]
            return tuple((max(t, 0) // 2, t - max(t, 0) // 2) for t in totals)
        if self.padding == "full":
            raise ShapeError(
                _("'full' padding is not defined for a transposed convolution"),
                hint=_("use 'valid', 'same' or explicit padding"),
            )
        return tuple((w.pad_begin, w.pad_end) for w in self.windows((*sizes, 1)))

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        windows = self.windows(shape)
        ndim = len(windows)
        pads = self._pads(spatial(shape))
        extra = per_axis(self.output_padding, ndim, "output_padding")
        sizes = []
        for axis, (win, (begin, end), op) in enumerate(zip(windows, pads, extra, strict=True)):
            if op >= max(win.stride, win.dilation):
                raise ShapeError(
                    _(
                        "output_padding {value} on axis {axis} must be smaller than "
                        "the stride ({stride}) or the dilation ({dilation})"
                    ).format(value=op, axis=axis_name(axis, ndim), stride=win.stride, dilation=win.dilation),
                    hint=_("output_padding only picks among the sizes a stride makes ambiguous"),
                )
            size = transposed_output_size(win.size, win.kernel, win.stride, begin, end, win.dilation, op)
            if size < 1:
                full = (win.size - 1) * win.stride + win.span + op
                raise ShapeError(
                    _(
                        "output collapses to {size} on axis {axis}: padding {begin}+{end} crops "
                        "more than the {full} positions the transposed convolution produces ({working})"
                    ).format(
                        size=size,
                        axis=axis_name(axis, ndim),
                        begin=begin,
                        end=end,
                        full=full,
                        working=f"({win.size}−1)·{win.stride} + {win.span}{f' + {op}' if op else ''} = {full}",
                    ),
                    hint=_("a transposed convolution's padding removes output: use less of it"),
                    rule="S002",
                )
            sizes.append(size)
        check_groups(self.kind, self.groups, shape[-1], self.filters)
        return (*sizes, self.filters)

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        kernel = self.kernel_volume(output)
        weights = inputs[0][-1] * self.filters * kernel // self.groups
        return ParamCount(weights + (self.filters if self.bias else 0))

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        windows = self.windows(inputs[0])
        pads = self._pads(spatial(inputs[0]))
        extra = per_axis(self.output_padding, len(windows), "output_padding")
        lines: list[Line] = [
            (
                Working(
                    Sym("D"),
                    substituted=transposed_output_expr(w.size, w.stride, (b, e), w.dilation, w.kernel, op),
                    result=Num(out),
                    axis=axis_name(a, len(windows)),
                ),
            )
            for a, (w, (b, e), op, out) in enumerate(zip(windows, pads, extra, spatial(output), strict=True))
        ]
        return [*lines, output_line(output)]

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        return filter_params_working(self, inputs, output)

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        k, kernel = kernel_terms(self, output)
        g = self.groups
        formula = times(grouped(times(Sym(N_("input positions")), CI, CO), Sym("g"), g), k)
        numbers = times(grouped(times(*spatial(inputs[0]), inputs[0][-1], self.filters), g, g), kernel)
        return Working(MACS, formula, numbers, count(self.macs(inputs, output)))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        """Every input position scatters Ci·Co·K/groups products into the output."""
        kernel = self.kernel_volume(output)
        return prod(inputs[0]) * self.filters // self.groups * kernel

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        """Zero-insertion by S (jump 1/S), then a stride-1 convolution with padding F_eff−1−P."""
        from fractions import Fraction

        sizes = spatial(inputs[0])
        steps = []
        for win, (begin, _end) in zip(self.windows(inputs[0]), self._pads(sizes), strict=True):
            kernel = 1 + Fraction(win.span - 1, win.stride)
            pad = Fraction(win.span - 1 - begin, win.stride)
            steps.append(RFStep(kernel, Fraction(1, win.stride), pad))
        return tuple(steps)


__all__ = ["Conv", "ConvTranspose", "DepthwiseConv", "LocallyConnected", "SeparableConv"]
