"""The network graph: validated nodes in topological order with every output shape computed.

Shapes propagate in one pass over the nodes (inputs always precede their readers), iteratively,
so graphs of any depth work without recursion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cnncalc.errors import GraphError, LimitError, SpecError
from cnncalc.layers import Shape, format_shape
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.spec.model import Node, Spec


@dataclass(frozen=True)
class Graph:
    """A spec with shapes: `shapes[name]` is the output shape of node `name`, channels last."""

    spec: Spec
    shapes: Mapping[str, Shape]
    consumers: Mapping[str, tuple[str, ...]]

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self.spec.nodes

    def input_shapes(self, node: Node) -> tuple[Shape, ...]:
        return tuple(self.shapes[name] for name in node.inputs)


def build_graph(spec: Spec, limits: Limits = DEFAULT_LIMITS) -> Graph:
    """Compute every node's output shape; raise a located error at the first that fails."""
    shapes: dict[str, Shape] = {}
    consumers: dict[str, list[str]] = {}
    for node in spec.nodes:
        _check_arity(node)
        inputs = tuple(shapes[name] for name in node.inputs)
        try:
            shape = node.layer.output_shape(inputs)
        except SpecError as exc:
            detail = ", ".join(format_shape(s) for s in inputs)
            raise type(exc)(
                f"{exc.message} (input {detail})" if len(inputs) == 1 else exc.message,
                location=exc.location.merged(node.location),
                hint=exc.hint,
                rule=exc.rule,
            ) from None
        _check_size(node, shape, limits)
        shapes[node.name] = shape
        consumers[node.name] = []
        for name in node.inputs:
            consumers[name].append(node.name)
    graph = Graph(spec, shapes, {k: tuple(v) for k, v in consumers.items()})
    for check in spec.checks:
        check(graph)
    return graph


def _check_arity(node: Node) -> None:
    layer = node.layer
    count = len(node.inputs)
    if count < layer.min_inputs or (layer.max_inputs is not None and count > layer.max_inputs):
        if layer.max_inputs is None:
            expected = f"at least {layer.min_inputs}"
        elif layer.min_inputs == layer.max_inputs:
            expected = str(layer.min_inputs)
        else:
            expected = f"{layer.min_inputs} to {layer.max_inputs}"
        raise GraphError(
            f"{layer.kind} takes {expected} input(s) but gets {count}",
            location=node.location,
            hint="list them with inputs: [a, b]" if layer.min_inputs > 1 else None,
        )


def _check_size(node: Node, shape: Shape, limits: Limits) -> None:
    total = 1
    for dim in shape:
        total *= dim
    if total > limits.max_dimension:
        raise LimitError(
            f"output {format_shape(shape)} has {total} values, over the limit of {limits.max_dimension}",
            location=node.location,
            hint="check the sizes; the limit is CNNCALC_MAX_DIMENSION",
        )
