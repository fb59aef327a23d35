"""Sliding-window geometry shared by convolutions and pooling: resolved once per layer and input."""

from dataclasses import dataclass

from cnncalc.errors import ShapeError
from cnncalc.formulas import (
    conv_output_size,
    describe_positions,
    effective_kernel,
    effective_kernel_expr,
    full_padding,
    output_size_expr,
    same_padding,
    unread_at_end,
)
from cnncalc.i18n import N_, _, ngettext, number
from cnncalc.layers.base import (
    Dims,
    Layer,
    PadSpec,
    PerAxis,
    RFStep,
    Shape,
    axis_name,
    format_shape,
    output_line,
    per_axis,
    prod,
    spatial,
)
from cnncalc.working import Aside, Expr, Line, Num, Sym, Working, minus, plus, text, times


@dataclass(frozen=True)
class AxisWindow:
    """A window sweep along one spatial axis, with padding resolved to (begin, end)."""

    size: int
    kernel: int
    stride: int
    dilation: int
    pad_begin: int
    pad_end: int

    @property
    def span(self) -> int:
        return effective_kernel(self.kernel, self.dilation)

    def sweep(self, ceil_mode: bool = False) -> tuple[int, int, int, int, int, int, bool]:
        """The arguments of the formulas (conv_output_size, unread_inputs, …), in their order."""
        return self.size, self.kernel, self.stride, self.pad_begin, self.pad_end, self.dilation, ceil_mode

    def output_size(self, ceil_mode: bool = False) -> int:
        return conv_output_size(*self.sweep(ceil_mode))

    @property
    def padding_text(self) -> str:
        """'2·1' for symmetric padding, '0 + 1' for (begin, end), as the working writes it."""
        return text(self.padding_expr())

    def padding_expr(self) -> Expr:
        """2·1 for symmetric padding, 0 + 1 for (begin, end): the P of the working."""
        return times(2, self.pad_begin) if self.pad_begin == self.pad_end else plus(self.pad_begin, self.pad_end)

    def working(self, axis: str, ceil_mode: bool = False, fit: bool = True) -> Working:
        """D = ⌊(W − F + 2P)/S⌋ + 1 with this axis's numbers (dilation and asymmetry shown), and with
        `fit`, when the stride does not fit, the exact quotient and the input rows it never reads."""
        kernel = Num(self.span) if self.dilation == 1 else Aside(effective_kernel_expr(self.kernel, self.dilation))
        formula = output_size_expr(self.size, kernel, self.padding_expr(), self.stride, ceil_mode)
        size = self.output_size(ceil_mode)
        span = self.size + self.pad_begin + self.pad_end - self.span
        ceiled = -(-span // self.stride) + 1
        if ceil_mode and ceiled != size:  # PyTorch's rule: the last window must start inside the input or left padding
            start = (ceiled - 1) * self.stride
            note = (
                N_(", but window "), Num(ceiled), N_(" would start at "), times(minus(ceiled, 1), self.stride), " = ",
                Num(start), " ", Sym("≥"), " ", plus(Sym("W"), Sym("P_begin")), " = ", Num(self.size + self.pad_begin),
                N_(", in the end padding, so it is dropped: "), Num(size),
            )  # fmt: skip
            return Working(Sym("D"), substituted=formula, result=Num(ceiled), axis=axis, note=note)
        misfit = self.misfit(axis, ceil_mode) if fit else ""
        return Working(
            Sym("D"), substituted=formula, result=Num(size), axis=axis, note=(f"; {misfit}",) if misfit else ()
        )

    def misfit(self, axis: str, ceil_mode: bool = False) -> str:
        """'the stride does not fit: (7 − 3 + 2·0)/3 + 1 = 2.33, so the input row at position 6 (the
        last) is never read', the lecture's lesson (lint's S001 says the same), or '' when the windows
        reach the end."""
        lost = unread_at_end(*self.sweep(ceil_mode))
        if not lost:
            return ""
        exact = (self.size - self.span + self.pad_begin + self.pad_end) / self.stride + 1
        positions = describe_positions(tuple(range(self.size - lost, self.size)), self.size)
        if axis == "H":
            unread = ngettext(
                "the input row at {positions} is never read", "the input rows at {positions} are never read", lost
            )
        elif axis == "W":
            unread = ngettext("the input column at {positions} is never read",
                              "the input columns at {positions} are never read", lost)  # fmt: skip
        else:
            unread = ngettext("input {positions} is never read", "input {positions} are never read", lost)
        quotient = f"({self.size} − {self.span} + {self.padding_text})/{self.stride} + 1 = {number(exact, '.2f')}"
        return _("the stride does not fit: {quotient}, so {unread}").format(
            quotient=quotient, unread=unread.format(positions=positions)
        )

    def rf_step(self) -> RFStep:
        return RFStep(self.span, self.stride, self.pad_begin)


def resolve_padding(
    padding: PadSpec, sizes: Shape, kernels: Shape, strides: Shape, dilations: Shape
) -> tuple[tuple[int, int], ...]:
    """Turn any padding spelling into (begin, end) per axis."""
    ndim = len(sizes)
    if padding == "valid":
        return ((0, 0),) * ndim
    if padding == "same":
        return tuple(same_padding(w, k, s, d) for w, k, s, d in zip(sizes, kernels, strides, dilations, strict=True))
    if padding == "full":
        return tuple(full_padding(k, d) for k, d in zip(kernels, dilations, strict=True))
    return per_side(padding, ndim, "padding")


def per_side(value: object, ndim: int, what: str) -> tuple[tuple[int, int], ...]:
    """An int, one int per axis, or (begin, end) per axis → (begin, end) per axis."""
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        if len(value) != ndim:
            raise ShapeError(
                _("{what} gives (begin, end) for {count} axes but the input has {ndim} spatial axes").format(
                    what=what, count=len(value), ndim=ndim
                ),
                hint=_("give exactly {ndim} (begin, end) pairs").format(ndim=ndim),
            )
        return tuple((int(b), int(e)) for b, e in value)
    # Validated arguments: what is not (begin, end) pairs is an int or one int per axis.
    return tuple((v, v) for v in per_axis(value, ndim, what))  # type: ignore[arg-type]


def check_spatial_input(kind: str, dims: Dims, shape: Shape) -> None:
    if len(shape) < 2:
        raise ShapeError(
            _("{kind} needs a spatial input (length×channels, H×W×C or D×H×W×C) but gets {shape}").format(
                kind=kind, shape=format_shape(shape)
            ),
            hint=_("apply it before flatten/dense, or reshape the input"),
        )
    if dims is not None and len(shape) - 1 != dims:
        raise ShapeError(
            _("{kind} is {dims}-D but its input {shape} has {count} spatial axes").format(
                kind=kind, dims=dims, shape=format_shape(shape), count=len(shape) - 1
            ),
            hint=_("use the {count}-D form of the layer, or change the input").format(count=len(shape) - 1),
        )


def check_padding_mode(windows: tuple[AxisWindow, ...], mode: str) -> None:
    """PyTorch's limits: reflect padding must be smaller than the input, circular no larger."""
    ndim = len(windows)
    for axis, win in enumerate(windows):
        pad = max(win.pad_begin, win.pad_end)
        if (mode == "reflect" and pad >= win.size) or (mode == "circular" and pad > win.size):
            message = (
                _("{mode} padding of {pad} on axis {axis} must be smaller than the input's {size}")
                if mode == "reflect"
                else _("{mode} padding of {pad} on axis {axis} must be at most the input's {size}")
            )
            raise ShapeError(
                message.format(mode=mode, pad=pad, axis=axis_name(axis, ndim), size=win.size),
                hint=_("use less padding, a larger input, or padding_mode=zeros or replicate"),
                rule="S007",
            )


def check_output_sizes(windows: tuple[AxisWindow, ...], sizes: Shape) -> None:
    """Raise when a window does not fit the padded input on some axis (output would be ≤ 0)."""
    ndim = len(windows)
    for axis, (win, out) in enumerate(zip(windows, sizes, strict=True)):
        if out < 1:
            padded = win.size + win.pad_begin + win.pad_end
            raise ShapeError(
                _(
                    "output collapses to {size} on axis {axis}: kernel span {span} is larger than "
                    "the padded input {padded} ({input} + padding {begin}+{end})"
                ).format(
                    size=out,
                    axis=axis_name(axis, ndim),
                    span=win.span,
                    padded=padded,
                    input=win.size,
                    begin=win.pad_begin,
                    end=win.pad_end,
                ),
                hint=_(
                    "use a smaller kernel or stride, add padding, remove a downsampling layer, or give a larger --input"
                ),
                rule="S002",
            )


class WindowLayer(Layer):
    """A layer that slides a window over the spatial axes: convolutions and pooling."""

    kernel: PerAxis
    stride: PerAxis = 1
    padding: PadSpec = 0
    dilation: PerAxis = 1
    dims: Dims = None

    spatial_kind = True

    def stride_value(self) -> PerAxis:
        return self.stride

    def windows(self, shape: Shape) -> tuple[AxisWindow, ...]:
        check_spatial_input(self.kind, self.dims, shape)
        sizes = spatial(shape)
        ndim = len(sizes)
        kernels = per_axis(self.kernel, ndim, "kernel")
        strides = per_axis(self.stride_value(), ndim, "stride")
        dilations = per_axis(self.dilation, ndim, "dilation")
        pads = resolve_padding(self.padding, sizes, kernels, strides, dilations)
        return tuple(
            AxisWindow(w, k, s, d, b, e)
            for w, k, s, d, (b, e) in zip(sizes, kernels, strides, dilations, pads, strict=True)
        )

    def uses_ceil(self) -> bool:
        return False

    def output_spatial(self, shape: Shape) -> Shape:
        windows = self.windows(shape)
        sizes = tuple(w.output_size(self.uses_ceil()) for w in windows)
        check_output_sizes(windows, sizes)
        check_padding_mode(windows, getattr(self, "padding_mode", "zeros"))
        return sizes

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        return tuple(w.rf_step() for w in self.windows(inputs[0]))

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        windows = self.windows(inputs[0])
        ndim = len(windows)
        lines = [(w.working(axis_name(a, ndim), self.uses_ceil()),) for a, w in enumerate(windows)]
        return [*lines, output_line(output)]

    def kernel_volume(self, output: Shape) -> int:
        """K^n: the number of taps of one filter over the spatial axes."""
        return prod(per_axis(self.kernel, len(output) - 1, "kernel"))


WINDOW_ALIASES = {
    "k": "kernel",
    "f": "kernel",
    "kernel_size": "kernel",
    "pool_size": "kernel",
    "s": "stride",
    "strides": "stride",
    "p": "padding",
    "pad": "padding",
    "d": "dilation",
    "dilation_rate": "dilation",
    # Spanish, as the course notes write them (accents are folded away before lookup)
    "nucleo": "kernel",
    "tamano": "kernel",
    "tamano_nucleo": "kernel",
    "paso": "stride",
    "relleno": "padding",
    "dilatacion": "dilation",
}
