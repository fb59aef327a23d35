"""A005: two weighted layers with no non-linearity between them."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import single_producer
from cnncalc.i18n import _
from cnncalc.layers.conv import Conv, DepthwiseConv

DOC = """\
What it does: finds a convolution or dense layer that reads another one through only linear layers
(batch norm, dropout, average pooling, reshapes…).

Why is this bad: a composition of linear maps is one linear map: the extra layer adds parameters
and cost but no expressive power.

Example: INPUT(32x32x3) → CONV(16, 3) → BN → CONV(16, 3)

Use instead: an activation between them (… → BN → RELU → …). A depthwise convolution followed by
a 1×1 convolution (a separable factorisation) is not reported.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.graph.nodes:
        if not node.layer.weighted:
            continue
        earlier = _previous_weighted(ctx, node)
        if earlier is not None and not (isinstance(earlier.layer, DepthwiseConv) and isinstance(node.layer, Conv)):
            yield Issue(
                node,
                _(
                    "{kind} reads {earlier} ({name}) with no non-linearity between: together they are one linear map"
                ).format(kind=node.kind, earlier=earlier.kind, name=earlier.name),
                _("add an activation (e.g. RELU) between them"),
            )


def _previous_weighted(ctx: LintContext, node):
    current = single_producer(ctx, node)
    while current is not None and current.layer.linear:
        current = single_producer(ctx, current)
    return current if current is not None and current.layer.weighted else None


RULE = Rule("A005", "no-nonlinearity", "warning", "stacked weighted layers without an activation", DOC, check)
