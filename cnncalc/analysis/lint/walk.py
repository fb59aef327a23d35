"""Graph helpers the lint rules share."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import LintContext
from cnncalc.layers.base import Exact
from cnncalc.layers.window import WindowLayer
from cnncalc.spec.model import Node


def window_nodes(ctx: LintContext) -> Iterator[tuple[Node, WindowLayer]]:
    for node in ctx.graph.nodes:
        if isinstance(node.layer, WindowLayer):
            yield node, node.layer


def single_producer(ctx: LintContext, node: Node) -> Node | None:
    producers = ctx.producers(node)
    return producers[0] if len(producers) == 1 else None


def last_feature_map(ctx: LintContext) -> Node | None:
    """The last layer, in graph order, whose output still has spatial axes."""
    for node in reversed(ctx.graph.nodes):
        if len(ctx.graph.shapes[node.name]) > 1 and node.inputs:
            return node
    return None


def final_field(ctx: LintContext):
    """The last feature map and its receptive field, when it has a single, partial one."""
    node = last_feature_map(ctx)
    if node is None:
        return None
    record = ctx.fields.layer(node.name)
    if record.axes is None or record.whole_input:
        return None
    return node, record


def final_field_axes(ctx: LintContext) -> tuple[Node | None, list[tuple[int, Exact, int]]]:
    """The last feature map and, per spatial axis, (axis, its receptive-field size, the input size);
    no axes when it has no single, partial field."""
    found = final_field(ctx)
    if found is None:
        return None, []
    node, record = found
    sizes = ctx.fields.input_size
    return node, [(axis, field.size, size) for axis, (field, size) in enumerate(zip(record.axes, sizes, strict=True))]


def weighted_depth(ctx: LintContext) -> int:
    """Convolution and dense layers on the longest path: the depth in a network's name.

    VGG-16 has 13 convolutions and 3 dense layers on its one path; ResNet-50's longest path has
    the stem, 16 × 3 convolutions and the classifier (projection shortcuts run beside it).
    """
    depth: dict[str, int] = {}
    for node in ctx.graph.nodes:
        before = max((depth[name] for name in node.inputs), default=0)
        depth[node.name] = before + node.layer.weighted
    return max(depth.values(), default=0)
