"""The working behind every number, as a teacher writes it (shape, parameters, MACs, field)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cnncalc.analysis.receptive_field import AxisField, receptive_fields
from cnncalc.display import Displayed
from cnncalc.graph import Graph
from cnncalc.layers.base import Exact, axis_name


@dataclass(frozen=True)
class LayerWorking:
    """One layer's working: shape, parameter, MAC and receptive-field lines with numbers."""

    index: int
    name: str
    kind: str
    shape: tuple[str, ...]
    params: str | None
    macs: str | None
    field: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "shape": list(self.shape),
            "params": self.params,
            "macs": self.macs,
            "receptive_field": list(self.field),
        }


@dataclass(frozen=True)
class Explanation(Displayed):
    """Result of `Network.explain()`: the working of every layer."""

    name: str | None
    layers: tuple[LayerWorking, ...]

    def to_dict(self) -> dict[str, object]:
        return {"schema": "cnncalc.explain/1", "name": self.name, "layers": [w.to_dict() for w in self.layers]}


def number(value: Exact) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def field_working(before: AxisField, after: AxisField, axis: str) -> str:
    """r = r' + (k − 1)·j', j = j'·s with the numbers of one axis."""
    kernel = Fraction(after.size - before.size) / before.jump + 1
    stride = Fraction(after.jump) / before.jump
    return (
        f"{axis}: r = {number(before.size)} + ({number(kernel)} − 1)·{number(before.jump)} = {number(after.size)}, "
        f"j = {number(before.jump)}·{number(stride)} = {number(after.jump)}"
    )


def explain(graph: Graph) -> Explanation:
    """Working for every layer, in graph order."""
    fields = receptive_fields(graph)
    by_name = {record.name: record for record in fields.layers}
    ndim = len(fields.input_size)
    rows = []
    for index, node in enumerate(graph.nodes):
        inputs, output = graph.input_shapes(node), graph.shapes[node.name]
        record = by_name[node.name]
        lines: tuple[str, ...] = ()
        if len(node.inputs) == 1 and record.axes is not None:
            before = by_name[node.inputs[0]]
            if before.axes is not None and before.axes != record.axes and not before.whole_input:
                lines = tuple(
                    field_working(b, a, axis_name(i, ndim))
                    for i, (b, a) in enumerate(zip(before.axes, record.axes, strict=True))
                )
        elif len(node.inputs) > 1:
            lines = (record.note or "the union of the inputs' fields",)
        rows.append(
            LayerWorking(
                index,
                node.name,
                node.kind,
                tuple(node.layer.shape_working(inputs, output)),
                node.layer.params_working(inputs, output),
                node.layer.macs_working(inputs, output),
                lines,
            )
        )
    return Explanation(graph.spec.name, tuple(rows))
