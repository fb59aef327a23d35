"""S001: the stride does not tile the input, so the last input positions are never read."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import window_nodes
from cnncalc.formulas import describe_positions, dropped_pixels, fitting_paddings, fitting_strides, unread_at_end
from cnncalc.i18n import _, ngettext, number
from cnncalc.layers.base import axis_name
from cnncalc.layers.window import AxisWindow

DOC = """\
What it does: finds convolutions and pooling layers whose windows stop before the last input
row/column: (W − F_eff + 2P) is not a multiple of the stride S and what is left over is input,
not just padding.

Why is this bad: the output size is floored, so the last input rows/columns are never read — the
lecture notes' 7×7 input with a 3×3 filter and stride 3: (7 − 3)/3 + 1 = 2.33 "doesn't fit", and
column 6 is never seen. When only end padding is left over (ResNet's 3×3 stride-2 convolutions
with padding 1 on even sizes) every input is read and there is no finding.

Example: INPUT(7x7x1) → CONV(1, k=3, s=3)

Use instead: padding or a stride that fits, e.g. CONV(1, k=3, s=2) or CONV(1, k=3, s=3, p=1).
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node, layer in window_nodes(ctx):
        if layer.uses_ceil() or layer.transposed:
            continue
        misfits: dict[AxisWindow, list[str]] = {}
        windows = layer.windows(ctx.graph.input_shapes(node)[0])
        for axis, win in enumerate(windows):
            if unread_at_end(*win.sweep()):
                misfits.setdefault(win, []).append(axis_name(axis, len(windows)))
        for win, axes in misfits.items():
            yield _issue(node, axes, win)


def _issue(node, axes: list[str], win: AxisWindow) -> Issue:
    lost = unread_at_end(*win.sweep())
    exact = (win.size - win.span + win.pad_begin + win.pad_end) / win.stride + 1
    where = _("axis {axis}").format(axis=axes[0]) if len(axes) == 1 else _("axes {axes}").format(axes=", ".join(axes))
    positions = describe_positions(tuple(range(win.size - lost, win.size)), win.size)
    message = ngettext(
        "stride {stride} does not fit on {where}: (W − F + 2P)/S + 1 = {working} = {exact}; the output has {size}"
        " and input {positions} is never read",
        "stride {stride} does not fit on {where}: (W − F + 2P)/S + 1 = {working} = {exact}; the output has {size}"
        " and input {positions} are never read",
        lost,
    )
    working = f"({win.size} − {win.span} + {win.padding_text})/{win.stride} + 1"
    exact_text = number(exact, ".2f")
    return Issue(
        node,
        message.format(
            stride=win.stride, where=where, working=working, exact=exact_text, size=int(exact), positions=positions
        ),
        _hint(win),
    )


def _hint(win: AxisWindow) -> str:
    pad = win.pad_begin + win.pad_end
    options = []
    paddings = [p for p in fitting_paddings(win.size, win.kernel, win.stride, win.dilation) if 2 * p >= pad]
    if paddings:
        options.append(_("padding {p}").format(p=paddings[0]))
    strides = [
        s for s in fitting_strides(win.size, win.kernel, pad, win.dilation) if s != win.stride and s <= 2 * win.stride
    ]
    if strides:
        options.append(_("stride {s}").format(s=_(" or ").join(str(s) for s in strides[-2:])))
    left_over = dropped_pixels(*win.sweep()[:-1])  # it has no ceil mode
    options.append(_("{n} more padding at the end").format(n=win.stride - left_over))
    return _("would fit: ") + ", ".join(options)


RULE = Rule("S001", "stride-does-not-fit", "warning", "windows stop before the end; input never read", DOC, check)
