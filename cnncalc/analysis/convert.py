"""Fully connected → convolutional (seed 000): dense layers after the last spatial layer become
convolutions with kernels the size of their input map (P = 0, S = 1), so the net runs on larger
images and produces a map of scores instead of one vector.
"""

from __future__ import annotations

from dataclasses import replace

from cnncalc.errors import ValidationSpecError
from cnncalc.graph import Graph
from cnncalc.i18n import _
from cnncalc.layers.base import spatial
from cnncalc.layers.conv import Conv
from cnncalc.layers.dense import Dense
from cnncalc.layers.pool import AdaptivePool
from cnncalc.layers.reshape import Flatten
from cnncalc.spec.model import Node, Spec


def last_spatial_index(graph: Graph) -> int:
    for index in range(len(graph.nodes) - 1, -1, -1):
        node = graph.nodes[index]
        if node.layer.spatial_kind and len(graph.shapes[node.name]) > 1 and not _identity_here(graph, node):
            return index
    raise ValidationSpecError(_("the network has no spatial layer before its dense layers"))


def fc_to_conv(graph: Graph) -> Spec:
    """The converted spec; dense layers keep their names (so weights can be mapped by name)."""
    start = last_spatial_index(graph)
    ndim = len(spatial(graph.shapes[graph.nodes[0].name]))
    stands_for: dict[str, str] = {}
    nodes: list[Node] = list(graph.nodes[: start + 1])
    converted = 0
    for node in graph.nodes[start + 1 :]:
        inputs = tuple(stands_for.get(name, name) for name in node.inputs)
        if _identity_here(graph, node):
            stands_for[node.name] = inputs[0]
            continue
        if isinstance(node.layer, Dense):
            source = graph.shapes[inputs[0]]
            kernel = spatial(source) if len(source) > 1 else (1,) * ndim
            layer = Conv(filters=node.layer.units, kernel=kernel, bias=node.layer.bias)
            nodes.append(replace(node, layer=layer, inputs=inputs))
            converted += 1
            continue
        nodes.append(replace(node, inputs=inputs))
    if not converted:
        raise ValidationSpecError(_("there are no dense layers after the last spatial layer to convert"))
    outputs = tuple(stands_for.get(name, name) for name in graph.spec.outputs)
    description = (graph.spec.description or "") + " Dense layers converted to convolutions (fc-to-conv)."
    return replace(graph.spec, nodes=tuple(nodes), outputs=outputs, description=description.strip())


def _identity_here(graph: Graph, node: Node) -> bool:
    """Flatten, and adaptive pooling that does nothing at this size, vanish in the conversion."""
    if isinstance(node.layer, Flatten):
        return True
    if isinstance(node.layer, AdaptivePool):
        return graph.shapes[node.name] == graph.input_shapes(node)[0]
    return False
