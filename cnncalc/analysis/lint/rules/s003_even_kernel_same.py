"""S003: 'same' padding with an even kernel pads asymmetrically."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import window_nodes
from cnncalc.i18n import _
from cnncalc.layers.base import axis_name

DOC = """\
What it does: finds layers with padding 'same' and an even kernel (after dilation).

Why is this bad: an even kernel has no centre, so 'same' must pad one more pixel on one side
(TensorFlow pads the end, others the start): outputs shift by half a pixel and results differ
between frameworks.

Example: INPUT(32x32x3) → CONV(8, k=4, p=same)

Use instead: an odd kernel (3, 5, 7), or explicit padding that says which side gets the extra pixel.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node, layer in window_nodes(ctx):
        if layer.padding != "same":
            continue
        windows = layer.windows(ctx.graph.input_shapes(node)[0])
        for axis, win in enumerate(windows):
            if win.span % 2 == 0:
                yield Issue(
                    node,
                    _(
                        "'same' padding with an even kernel span {span} on axis {axis} pads asymmetrically"
                        " ({before} before, {after} after)"
                    ).format(
                        span=win.span, axis=axis_name(axis, len(windows)), before=win.pad_begin, after=win.pad_end
                    ),
                    _("use an odd kernel, or write the (begin, end) padding explicitly"),
                )
                break


RULE = Rule("S003", "even-kernel-same-padding", "warning", "'same' padding with an even kernel", DOC, check)
