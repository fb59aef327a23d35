"""S001: the stride does not tile the padded input, so input positions are silently dropped."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import window_nodes
from cnncalc.formulas import dropped_pixels, fitting_paddings, fitting_strides
from cnncalc.layers.base import axis_name

DOC = """\
What it does: finds convolutions and pooling layers where (W − F_eff + P_begin + P_end) is not a
multiple of the stride S.

Why is this bad: the output size is floored, so the last input rows/columns are never read — the
lecture notes' 7×7 input with a 3×3 filter and stride 3: (7 − 3)/3 + 1 = 2.33 "doesn't fit".

Example: INPUT(7x7x1) → CONV(1, k=3, s=3)

Use instead: padding or a stride that fits, e.g. CONV(1, k=3, s=2) or CONV(1, k=3, s=3, p=1).
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node, layer in window_nodes(ctx):
        if layer.uses_ceil() or layer.kind == "conv_transpose":
            continue
        windows = layer.windows(ctx.graph.input_shapes(node)[0])
        misfits: dict[tuple[int, int, int, int, int], list[str]] = {}
        for axis, win in enumerate(windows):
            pad = win.pad_begin + win.pad_end
            if dropped_pixels(win.size, win.kernel, win.stride, win.pad_begin, win.pad_end, win.dilation):
                key = (win.size, win.kernel, win.stride, win.dilation, pad)
                misfits.setdefault(key, []).append(axis_name(axis, len(windows)))
        for (size, kernel, stride, dilation, pad), axes in misfits.items():
            yield _issue(node, axes, size, kernel, stride, dilation, pad)


def _issue(node, axes: list[str], size: int, kernel: int, stride: int, dilation: int, pad: int) -> Issue:
    span = dilation * (kernel - 1) + 1
    lost = dropped_pixels(size, kernel, stride, pad, 0, dilation)
    exact = (size - span + pad) / stride + 1
    where = f"axis {axes[0]}" if len(axes) == 1 else f"axes {', '.join(axes)}"
    return Issue(
        node,
        f"stride {stride} does not fit on {where}: (W − F + P)/S + 1 = ({size} − {span} + {pad})/{stride}"
        f" + 1 = {exact:.2f}; the output has {int(exact)} and the last {lost} input position(s) "
        "are never read",
        _hint(size, kernel, stride, dilation, pad, lost),
    )


def _hint(size: int, kernel: int, stride: int, dilation: int, pad: int, lost: int) -> str:
    options = []
    paddings = [p for p in fitting_paddings(size, kernel, stride, dilation) if 2 * p >= pad]
    if paddings:
        options.append(f"padding {paddings[0]}")
    strides = [s for s in fitting_strides(size, kernel, pad, dilation) if s != stride and s <= 2 * stride]
    if strides:
        options.append(f"stride {' or '.join(str(s) for s in strides[-2:])}")
    options.append(f"{stride - lost} more padding at the end")
    return "would fit: " + ", ".join(options)


RULE = Rule("S001", "stride-does-not-fit", "warning", "stride does not tile the input; pixels dropped", DOC, check)
