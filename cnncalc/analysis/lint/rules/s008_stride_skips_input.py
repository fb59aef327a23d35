"""S008: the windows leave gaps, so input positions between them are never read."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import window_nodes
from cnncalc.formulas import count_unread, describe_positions, unread_at_end, unread_inputs
from cnncalc.i18n import _, ngettext
from cnncalc.layers.base import axis_name
from cnncalc.layers.window import AxisWindow

SHOWN = 4  # positions named in a finding

DOC = """\
What it does: finds convolutions and pooling layers whose windows skip input positions between
them: the stride is larger than the kernel's span, or dilation leaves holes that no neighbouring
window fills. (Positions lost at the end because the stride does not fit are S001's.)

Why is this bad: those inputs never reach the output, so the layer throws information away — the
1×1 stride-2 projection shortcut of ResNet-50 reads one pixel in four, which is why ResNet-D
averages 2×2 first; a 3×3 kernel with dilation 2 and stride 2 reads only even positions.

Example: INPUT(8x8x16) → CONV(32, k=1, s=2)

Use instead: a stride no larger than the kernel span, pooling before a 1×1 convolution
(AVGPOOL(2) → CONV(32, k=1)), or stride 1 with dilation.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node, layer in window_nodes(ctx):
        if layer.transposed:
            continue
        skipped: dict[tuple[AxisWindow, int, tuple[int, ...]], list[str]] = {}
        windows = layer.windows(ctx.graph.input_shapes(node)[0])
        for axis, win in enumerate(windows):
            count, first = _gaps(win, layer.uses_ceil())
            if count:
                skipped.setdefault((win, count, first), []).append(axis_name(axis, len(windows)))
        for (win, count, first), axes in skipped.items():
            where = (
                _("axis {axis}").format(axis=axes[0])
                if len(axes) == 1
                else _("axes {axes}").format(axes=", ".join(axes))
            )
            dilated = _(" (dilation {d})").format(d=win.dilation) if win.dilation > 1 else ""
            message = ngettext(
                "windows of {kernel}{dilated} every {stride} positions skip input on {where}:"
                " input {positions} is never read",
                "windows of {kernel}{dilated} every {stride} positions skip input on {where}:"
                " input {positions} are never read",
                count,
            )
            positions = describe_positions(first, win.size, count=count)
            yield Issue(
                node,
                message.format(kernel=win.kernel, dilated=dilated, stride=win.stride, where=where, positions=positions),
                _("use a stride of at most {s}, or pool before a 1×1 convolution").format(
                    s=_widest_gapless_stride(win)
                ),
            )


def _gaps(win: AxisWindow, ceil_mode: bool) -> tuple[int, tuple[int, ...]]:
    """How many input positions lie unread between windows (not past the last one: S001's), and the first few."""
    args = win.sweep(ceil_mode)
    at_end = unread_at_end(*args)
    count = count_unread(*args) - at_end
    return count, unread_inputs(*args, limit=min(count, SHOWN)) if count else ()


def _widest_gapless_stride(win: AxisWindow) -> int:
    def gapless(stride: int) -> bool:
        return not _gaps(AxisWindow(win.size, win.kernel, stride, win.dilation, 0, 0), False)[0]

    return max((s for s in range(1, win.span + 1) if gapless(s)), default=1)


RULE = Rule("S008", "stride-skips-input", "warning", "windows leave gaps; input between them never read", DOC, check)
