"""Operator patterns that ONNX exporters write for one layer, recognised exactly and put back together.

Before opset 17 ONNX had no LayerNormalization, so torch.onnx.export writes nn.LayerNorm as nine nodes:

    m = ReduceMean(x, axes=[-1]); d = Sub(x, m); v = ReduceMean(Pow(d, 2), axes=[-1])
    y = Add(Mul(Div(d, Sqrt(Add(v, ε))), γ), β)

Each node alone is no layer of cnncalc's (Pow, Sqrt and Div are refused), but the nine together are a
layer norm over the last axis. The chain is recognised only when every link is exactly this: each
intermediate result read by the next link alone, the exponent 2, one ε, γ and β stored in the file.
Anything else is left as it is, and the converter refuses its operators by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_FLOAT, _INT, _INTS = 1, 2, 7  # AttributeProto.AttributeType codes
_LAST_AXIS = [-1]

# Reads a constant's few values by tensor name (None: not a constant the file holds)
Values = Callable[[str], "tuple[int | float | None, ...] | None"]


@dataclass(frozen=True)
class _Graph:
    nodes: Sequence[Any]
    readers: dict[str, list[int]]  # tensor → indices of the nodes that read it
    outputs: frozenset[str]  # the graph's outputs: never an intermediate result
    values: Values
    weights: frozenset[str]  # initializers: γ and β must be stored, not computed

    def only_reader(self, tensor: str, op_type: str) -> int | None:
        """The index of the one node reading `tensor`, when it is an `op_type` and the tensor is no output."""
        readers = self.readers.get(tensor, [])
        if len(readers) != 1 or tensor in self.outputs or self.nodes[readers[0]].op_type != op_type:
            return None
        return readers[0]

    def scalar(self, tensor: str) -> float | None:
        values = self.values(tensor)
        return float(values[0]) if values is not None and len(values) == 1 and values[0] is not None else None


def _attribute(proto: Any, name: str, kind: int) -> Any:
    for attribute in proto.attribute:
        if attribute.name == name:
            if attribute.type != kind:
                return None
            return list(attribute.ints) if kind == _INTS else attribute.f if kind == _FLOAT else attribute.i
    return None


def _mean_of_last_axis(graph: _Graph, proto: Any) -> bool:
    """ReduceMean over the last axis alone, keeping it (axes as an attribute, or input 1 from opset 18)."""
    if proto.op_type != "ReduceMean" or _attribute(proto, "keepdims", _INT) not in (None, 1):
        return False
    axes = _attribute(proto, "axes", _INTS)
    if axes is None and len(proto.input) > 1 and proto.input[1]:
        given = graph.values(proto.input[1])
        axes = list(given) if given is not None else None
    return axes == _LAST_AXIS


def _other(proto: Any, known: str) -> str | None:
    """The input of a two-input node that is not `known` (None when it does not read `known` once)."""
    inputs = list(proto.input)
    if len(inputs) != 2 or inputs.count(known) != 1:
        return None
    return inputs[1 - inputs.index(known)]


def _layer_norm(graph: _Graph, first: int) -> tuple[list[int], Any] | None:
    """The nine nodes of one decomposed layer norm starting at the ReduceMean `first`, and the
    LayerNormalization node that replaces them; None unless every link is exactly as written above."""
    nodes = graph.nodes
    mean = nodes[first]
    if not _mean_of_last_axis(graph, mean) or not mean.input:
        return None
    x = mean.input[0]
    sub = graph.only_reader(mean.output[0], "Sub")
    if sub is None or list(nodes[sub].input) != [x, mean.output[0]]:
        return None
    centred = nodes[sub].output[0]
    readers = graph.readers.get(centred, [])
    kinds = sorted(nodes[i].op_type for i in readers)
    if kinds != ["Div", "Pow"] or centred in graph.outputs:
        return None
    power, div = sorted(readers, key=lambda i: nodes[i].op_type != "Pow")
    if list(nodes[power].input)[:1] != [centred] or graph.scalar(_other(nodes[power], centred) or "") != 2:
        return None
    variance = graph.only_reader(nodes[power].output[0], "ReduceMean")
    if variance is None or not _mean_of_last_axis(graph, nodes[variance]):
        return None
    add_eps = graph.only_reader(nodes[variance].output[0], "Add")
    epsilon = graph.scalar(_other(nodes[add_eps], nodes[variance].output[0]) or "") if add_eps is not None else None
    if add_eps is None or epsilon is None or epsilon <= 0:
        return None
    sqrt = graph.only_reader(nodes[add_eps].output[0], "Sqrt")
    if sqrt is None or graph.only_reader(nodes[sqrt].output[0], "Div") != div:
        return None
    if list(nodes[div].input) != [centred, nodes[sqrt].output[0]]:
        return None
    mul = graph.only_reader(nodes[div].output[0], "Mul")
    if mul is None:  # no γ: nn.LayerNorm(elementwise_affine=False), which cnncalc's layer norm is not
        return None
    scale = _other(nodes[mul], nodes[div].output[0])
    add = graph.only_reader(nodes[mul].output[0], "Add")
    shift = _other(nodes[add], nodes[mul].output[0]) if add is not None else None
    if add is None or scale not in graph.weights or shift not in graph.weights:
        return None
    chain = [first, sub, power, variance, add_eps, sqrt, div, mul, add]
    return chain, _fused(nodes[add], [nodes[i].name for i in chain], [x, scale, shift], epsilon)


def _fused(last: Any, names: list[str], inputs: list[str], epsilon: float) -> Any:
    """A LayerNormalization node (opset 17) computing `last`'s output, named after the nodes it replaces."""
    node = type(last)()
    node.op_type = "LayerNormalization"
    node.input.extend(inputs)
    node.output.append(last.output[0])
    prefix = _common_scope(names)
    node.name = f"{prefix}LayerNormalization" if prefix else f"{last.name or 'node'}_layer_norm"
    for name, kind, value in (("axis", _INT, -1), ("epsilon", _FLOAT, epsilon)):
        attribute = node.attribute.add()
        attribute.name, attribute.type = name, kind
        if kind == _INT:
            attribute.i = value
        else:
            attribute.f = value
    return node


def _common_scope(names: list[str]) -> str:
    """'/ln/ReduceMean', '/ln/Sub', … → '/ln/': the module the exporter named them after."""
    scopes = {name.rpartition("/")[0] for name in names}
    return f"{scopes.pop()}/" if len(scopes) == 1 and all(names) and "/" in names[0] else ""


def fuse_layer_norms(
    nodes: Sequence[Any], outputs: frozenset[str], weights: frozenset[str], values: Values
) -> list[Any]:
    """`nodes` with every exactly recognised decomposed layer norm replaced by one LayerNormalization
    node, placed where the last of its nodes was (every node it reads comes before it)."""
    if not any(n.op_type == "Pow" for n in nodes):  # the usual case: nothing to look for
        return list(nodes)
    readers: dict[str, list[int]] = {}
    for index, proto in enumerate(nodes):
        for tensor in proto.input:
            if tensor:
                readers.setdefault(tensor, []).append(index)
    graph = _Graph(nodes, readers, outputs, values, weights)
    replaced: dict[int, Any] = {}
    dropped: set[int] = set()
    for index, proto in enumerate(nodes):
        if proto.op_type != "ReduceMean" or index in dropped:
            continue
        found = _layer_norm(graph, index)
        if found is not None and not dropped.intersection(found[0]):
            chain, node = found
            dropped.update(chain)
            replaced[chain[-1]] = node
    return [replaced.get(i, proto) for i, proto in enumerate(nodes) if i not in dropped or i in replaced]
