"""The network graph: validated nodes in topological order with every output shape computed.

Shapes propagate in one pass over the nodes (inputs always precede their readers), iteratively,
so graphs of any depth work without recursion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cnncalc.errors import GraphError, LimitError, SpecError
from cnncalc.i18n import _, ngettext
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
                _("{message} (input {shape})").format(message=exc.message, shape=detail)
                if len(inputs) == 1
                else exc.message,
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
            message = _("{kind} takes at least {least} inputs but gets {count}")
        elif layer.min_inputs == layer.max_inputs:
            message = ngettext(
                "{kind} takes {least} input but gets {count}",
                "{kind} takes {least} inputs but gets {count}",
                layer.min_inputs,
            )
        else:
            message = _("{kind} takes {least} to {most} inputs but gets {count}")
        raise GraphError(
            message.format(kind=layer.kind, least=layer.min_inputs, most=layer.max_inputs, count=count),
            location=node.location,
            hint=_("list them with inputs: [a, b]") if layer.min_inputs > 1 else None,
        )


def _check_size(node: Node, shape: Shape, limits: Limits) -> None:
    total = 1
    for dim in shape:
        total *= dim
    if total > limits.max_dimension:
        raise LimitError(
            _("output {shape} has {total} values, over the limit of {limit}").format(
                shape=format_shape(shape), total=total, limit=limits.max_dimension
            ),
            location=node.location,
            hint=_("check the sizes; the limit is CNNCALC_MAX_DIMENSION"),
        )
