"""S004: padding as large as the kernel (or, for pooling, more than half of it)."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import window_nodes
from cnncalc.i18n import _
from cnncalc.layers.base import axis_name
from cnncalc.layers.pool import PoolLayer

DOC = """\
What it does: finds padding of at least the kernel span on a side, and pooling padding larger
than half the kernel.

Why is this bad: the first/last outputs see nothing but padding. PyTorch rejects pooling whose
padding exceeds half the kernel ("pad should be at most half of effective kernel size").

Example: INPUT(8x8x3) → CONV(4, k=3, p=3)

Use instead: padding ≤ (F_eff − 1)/2 per side for 'same'-like behaviour; (F_eff − 1) at most.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node, layer in window_nodes(ctx):
        windows = layer.windows(ctx.graph.input_shapes(node)[0])
        for axis, win in enumerate(windows):
            largest = max(win.pad_begin, win.pad_end)
            limit = win.span // 2 if isinstance(layer, PoolLayer) else win.span - 1
            if largest > limit:
                what = _("half the pooling window") if isinstance(layer, PoolLayer) else _("the kernel span − 1")
                yield Issue(
                    node,
                    _(
                        "padding {largest} on axis {axis} exceeds {what} ({limit}): some outputs see only padding"
                    ).format(largest=largest, axis=axis_name(axis, len(windows)), what=what, limit=limit),
                    _("use padding of at most {limit}").format(limit=limit),
                )
                break


RULE = Rule("S004", "padding-too-large", "warning", "padding ≥ kernel (or > half a pooling window)", DOC, check)
