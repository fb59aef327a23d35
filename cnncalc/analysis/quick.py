"""Quick calculators: one axis of a convolution or pooling (or its transposed form), with working."""

from __future__ import annotations

from dataclasses import dataclass

from cnncalc.errors import ValidationSpecError
from cnncalc.formulas import (
    conv_output_size,
    count_unread,
    describe_positions,
    dropped_pixels,
    effective_kernel,
    fitting_paddings,
    fitting_strides,
    transposed_output_expr,
    transposed_output_size,
    unread_inputs,
)
from cnncalc.i18n import _
from cnncalc.layers.window import AxisWindow
from cnncalc.working import Num, Sym, Working, times, working_text


@dataclass(frozen=True)
class OutSize:
    """Result of the quick calculator: the exact quotient and what a layer really produces."""

    size: int
    numerator: int
    stride: int
    dropped: int

    @property
    def exact(self) -> float:
        """(W − F_eff + 2P)/S + 1 before flooring; not an integer when the stride does not fit."""
        return self.numerator / self.stride + 1

    @property
    def fits(self) -> bool:
        return self.dropped == 0


def out_size(W: int, F: int, S: int = 1, P: int = 0, D: int = 1) -> OutSize:
    """Quick calculator of the lecture formula D = (W − F + 2P)/S + 1, with dilation.

    >>> out_size(7, 3, S=3).size, round(out_size(7, 3, S=3).exact, 2), out_size(7, 3, S=3).fits
    (2, 2.33, False)
    >>> out_size(32, 5, P=2).size
    32
    """
    numerator = W - effective_kernel(F, D) + 2 * P
    size = conv_output_size(W, F, S, P, P, D)
    return OutSize(size=size, numerator=numerator, stride=S, dropped=dropped_pixels(W, F, S, P, P, D))


LISTED = 1000  # unread positions listed per axis (a long axis may have millions)


@dataclass(frozen=True)
class AxisAnswer:
    """D for one axis, the exact quotient, whether the stride fits, what is never read and what would fit.

    `dropped` counts positions of the padded input past the last window (padding included);
    `unread` lists the input positions (0-based, padding excluded) that no window reads.
    """

    axis: str
    size: int
    exact: float
    fits: bool
    dropped: int
    working: str
    fitting_paddings: tuple[int, ...]
    fitting_strides: tuple[int, ...]
    unread: tuple[int, ...] = ()  # the first LISTED of them on a long axis
    input_size: int = 0
    unread_count: int = 0

    @property
    def unread_text(self) -> str:
        """'position 6 (the last)' and the like, or '' when every input position is read."""
        return describe_positions(self.unread, self.input_size, count=self.unread_count) if self.unread else ""

    def to_dict(self) -> dict[str, object]:
        return {
            "axis": self.axis,
            "size": self.size,
            "exact": round(self.exact, 6),
            "fits": self.fits,
            "dropped": self.dropped,
            "unread_inputs": list(self.unread),
            "unread_count": self.unread_count,
            "working": self.working,
            "fitting_paddings": list(self.fitting_paddings),
            "fitting_strides": list(self.fitting_strides),
        }


def axis_answer(
    axis: str, W: int, F: int, S: int = 1, P: int = 0, D: int = 1, transposed: bool = False, output_padding: int = 0
) -> AxisAnswer:
    """The output size along one axis, as the lecture formula D = (W − F + 2P)/S + 1 gives it."""
    if min(W, F, S, D) < 1 or P < 0 or output_padding < 0:
        raise ValidationSpecError(_("W, F, S and D must be positive and P, output padding non-negative"))
    if output_padding and not transposed:
        raise ValidationSpecError(_("--output-padding applies to transposed convolutions"), hint=_("add --transposed"))
    if transposed:
        size = transposed_output_size(W, F, S, P, P, D, output_padding)
        formula = transposed_output_expr(W, S, (times(2, P),), D, F, output_padding)
        working = working_text(Working(Sym("D"), substituted=formula, result=Num(size), axis=axis))
        return AxisAnswer(axis, size, float(size), True, 0, working, (), ())
    window = AxisWindow(W, F, S, D, P, P)
    size = window.output_size()
    if size < 1:
        raise ValidationSpecError(
            _("the kernel span {span} is larger than the padded input {size}").format(
                span=effective_kernel(F, D), size=W + 2 * P
            ),
            hint=_("use a smaller kernel or more padding"),
        )
    exact = (W - effective_kernel(F, D) + 2 * P) / S + 1
    lost = dropped_pixels(W, F, S, P, P, D)
    paddings = tuple(p for p in fitting_paddings(W, F, S, D) if p != P)
    strides = tuple(s for s in fitting_strides(W, F, 2 * P, D) if s != S)
    unread, unread_count = unread_inputs(W, F, S, P, P, D, limit=LISTED), count_unread(W, F, S, P, P, D)
    working = working_text(window.working(axis, fit=False))  # out-size gives its own verdict below it
    return AxisAnswer(axis, size, exact, lost == 0, lost, working, paddings, strides, unread, W, unread_count)


def _refuse_channels(W: tuple[int, ...], others: tuple[tuple[int, ...], ...]) -> None:
    """-W 32x32x3 with one kernel size: cnncalc writes volumes H×W×C, so the 3 may be channels (a 32×32
    answer) or a third spatial axis (32×32×3): which one is not guessed."""
    if len(W) < 3 or any(len(values) > 1 for values in others):
        return
    spatial = "x".join(map(str, W[:-1]))
    kernel = "x".join([str(others[0][0])] * len(W))
    raise ValidationSpecError(
        _(
            "-W {sizes} has {count} sizes and every other option one: is the last, {last}, the channels "
            "(an input of {spatial} with {last} channels) or a spatial axis?"
        ).format(sizes="x".join(map(str, W)), count=len(W), last=W[-1], spatial=spatial),
        hint=_(
            "for {last} channels give -W {spatial} (channels do not change the output size); "
            "for a {count}-D input give the kernel per axis, e.g. -F {kernel}"
        ).format(last=W[-1], spatial=spatial, count=len(W), kernel=kernel),
    )


def out_sizes(
    W: tuple[int, ...],
    F: tuple[int, ...],
    S: tuple[int, ...] = (1,),
    P: tuple[int, ...] = (0,),
    D: tuple[int, ...] = (1,),
    transposed: bool = False,
    output_padding: tuple[int, ...] = (0,),
) -> tuple[AxisAnswer, ...]:
    """Per-axis answers; single values apply to every axis."""
    _refuse_channels(W, (F, S, P, D, output_padding))
    ndim = max(len(v) for v in (W, F, S, P, D, output_padding))
    names = {1: ("W",), 2: ("H", "W"), 3: ("D", "H", "W")}.get(ndim, tuple(f"axis {i}" for i in range(ndim)))

    def at(values: tuple[int, ...], i: int, what: str) -> int:
        if len(values) not in (1, ndim):
            message = _("{option} has {count} values but other options have {ndim}")
            raise ValidationSpecError(message.format(option=what, count=len(values), ndim=ndim))
        return values[0] if len(values) == 1 else values[i]

    return tuple(
        axis_answer(
            names[i],
            at(W, i, "-W"),
            at(F, i, "-F"),
            at(S, i, "-S"),
            at(P, i, "-P"),
            at(D, i, "-D"),
            transposed,
            at(output_padding, i, "--output-padding"),
        )
        for i in range(ndim)
    )
