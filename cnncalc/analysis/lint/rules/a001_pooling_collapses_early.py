"""A001: downsampling reduces an axis to 1 while spatial layers still follow."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import window_nodes
from cnncalc.i18n import _
from cnncalc.layers.base import axis_name, spatial

DOC = """\
What it does: finds a layer that leaves a spatial axis of size 1 when a later convolution or
pooling with a window larger than 1 on that axis reads the result.

Why is this bad: the later windows see one real value and padding; the spatial information was
erased too early (seed 000: "larger values lose a lot of information").

Example: INPUT(8x8x3) → POOL(8) → CONV(16, 3, p=1)

Use instead: pool less (or later), or use a larger input.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    windows = list(window_nodes(ctx))
    order = {node.name: i for i, node in enumerate(ctx.graph.nodes)}
    for node, _layer in windows:
        in_shape = spatial(ctx.graph.input_shapes(node)[0])
        out_shape = spatial(ctx.graph.shapes[node.name])
        for axis, (before, after) in enumerate(zip(in_shape, out_shape, strict=True)):
            if before == 1 or after != 1:
                continue
            later = _later_window_on_unit_axis(ctx, windows, order, order[node.name], axis)
            if later is not None:
                yield Issue(
                    node,
                    _("axis {axis} shrinks to 1 here, but {later} still slides a window larger than 1 over it").format(
                        axis=axis_name(axis, len(out_shape)), later=later
                    ),
                    _("downsample less or later, or use a larger input"),
                )
                break


def _later_window_on_unit_axis(ctx: LintContext, windows, order, position: int, axis: int) -> str | None:
    for node, layer in windows:
        if order[node.name] <= position or layer.transposed:  # a deconvolution grows the map
            continue
        in_shape = ctx.graph.input_shapes(node)[0]
        if axis < len(in_shape) - 1 and in_shape[axis] == 1 and layer.windows(in_shape)[axis].span > 1:
            return node.name
    return None


RULE = Rule("A001", "pooling-collapses-early", "warning", "an axis shrinks to 1 before spatial layers end", DOC, check)
