"""S009: a square two-number input that is probably an image written without its channel axis."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _
from cnncalc.layers.window import WindowLayer

DOC = """\
What it does: finds an input of two equal numbers, like INPUT(28x28), that feeds a convolution
or pooling layer.

Why is this bad: shapes are channels last, so 28x28 is a 1-D signal of length 28 with 28
channels, not a 28×28 grayscale image: every convolution after it becomes 1-D and the counts are
of another network (CONV(8, 3) has 8·28·3 + 8 = 680 parameters instead of 8·1·3² + 8 = 80).

Example: INPUT(28x28) → CONV(8, 3) → POOL(2) → FC(10)

Use instead: INPUT(28x28x1) for a grayscale image; a real 1-D signal is rarely as long as it is
wide in channels (MNIST-1D is 40x1).
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    by_name = {node.name: node for node in ctx.graph.nodes}
    for node in ctx.graph.nodes:
        shape = ctx.graph.shapes[node.name]
        if node.inputs or len(shape) != 2 or shape[0] != shape[1] or shape[0] < 4:
            continue
        readers = [by_name[name].layer for name in ctx.graph.consumers.get(node.name, ())]
        if any(isinstance(reader, WindowLayer) for reader in readers):
            size = shape[0]
            yield Issue(
                node,
                _("input {size}x{size} is 1-D (length {size} with {size} channels), not a {size}×{size} image").format(
                    size=size
                ),
                _("write {size}x{size}x1 for a grayscale image (shapes are channels last)").format(size=size),
            )


RULE = Rule("S009", "image-without-channels", "warning", "a square 2-number input read as 1-D", DOC, check)
