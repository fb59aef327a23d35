"""The working behind every number, as a teacher writes it (shape, parameters, MACs, field)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cnncalc.analysis.receptive_field import AxisField, receptive_fields
from cnncalc.display import Displayed
from cnncalc.graph import Graph
from cnncalc.i18n import N_
from cnncalc.layers.base import axis_name, exact
from cnncalc.working import Line, Num, Sym, Working, line_text, minus, plus, times


@dataclass(frozen=True)
class LayerWorking:
    """One layer's working: shape, parameter, MAC and receptive-field lines, as data.

    `shape`, `params`, `macs` and `field` give them in the notes' plain notation."""

    index: int
    name: str
    kind: str
    shape_lines: tuple[Line, ...]
    params_line: Line | None
    macs_line: Line | None
    field_lines: tuple[Line, ...]

    @property
    def shape(self) -> tuple[str, ...]:
        return tuple(line_text(line) for line in self.shape_lines)

    @property
    def params(self) -> str | None:
        return None if self.params_line is None else line_text(self.params_line)

    @property
    def macs(self) -> str | None:
        return None if self.macs_line is None else line_text(self.macs_line)

    @property
    def field(self) -> tuple[str, ...]:
        return tuple(line_text(line) for line in self.field_lines)

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


def field_working(before: AxisField, after: AxisField, axis: str) -> Line:
    """r = r' + (k − 1)·j', j = j'·s with the numbers of one axis."""
    kernel = Fraction(after.size - before.size) / before.jump + 1
    stride = Fraction(after.jump) / before.jump
    size = plus(before.size, times(minus(exact(kernel), 1), before.jump))
    return (
        Working(Sym("r"), substituted=size, result=Num(after.size), axis=axis),
        Working(Sym("j"), substituted=times(before.jump, exact(stride)), result=Num(after.jump)),
    )


def as_line(working: Working | None) -> Line | None:
    return None if working is None else (working,)


def explain(graph: Graph) -> Explanation:
    """Working for every layer, in graph order."""
    fields = receptive_fields(graph)
    by_name = {record.name: record for record in fields.layers}
    ndim = len(fields.input_size)
    rows = []
    for index, node in enumerate(graph.nodes):
        inputs, output = graph.input_shapes(node), graph.shapes[node.name]
        record = by_name[node.name]
        lines: tuple[Line, ...] = ()
        if len(node.inputs) == 1 and record.axes is not None:
            before = by_name[node.inputs[0]]
            if before.axes is not None and before.axes != record.axes and not before.whole_input:
                lines = tuple(
                    field_working(b, a, axis_name(i, ndim))
                    for i, (b, a) in enumerate(zip(before.axes, record.axes, strict=True))
                )
        elif len(node.inputs) > 1:
            lines = ((Working(lead=(record.note or N_("the union of the inputs' fields"),)),),)
        rows.append(
            LayerWorking(
                index,
                node.name,
                node.kind,
                tuple(node.layer.shape_working(inputs, output)),
                as_line(node.layer.params_working(inputs, output)),
                as_line(node.layer.macs_working(inputs, output)),
                lines,
            )
        )
    return Explanation(graph.spec.name, tuple(rows))
