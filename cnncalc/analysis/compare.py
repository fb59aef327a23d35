"""Two networks side by side: size, cost, memory, receptive field and output, with ratios."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cnncalc.analysis.receptive_field import plain_number, receptive_fields
from cnncalc.analysis.summary import summarize
from cnncalc.graph import Graph
from cnncalc.i18n import N_, _, number, written
from cnncalc.layers.base import format_shape

# A count; the receptive field's size per axis (None: no spatial map); or the output shapes.
Value = int | tuple[Fraction, ...] | tuple[tuple[int, ...], ...] | None


def shown(value: Value) -> str:
    """A value as tables show it: 61,706; 16×16 for a field (— for none); 10, 1000 for two outputs."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return number(value)
    if value and isinstance(value[0], tuple):
        return ", ".join(map(format_shape, value))
    return "×".join(_number(v) for v in value)  # type: ignore[arg-type]


def plain(value: Value) -> object:
    """A value for JSON: a field as numbers per axis and shapes as lists of integers, never as text."""
    if value is None or isinstance(value, int):
        return value
    if value and isinstance(value[0], tuple):
        return [list(shape) for shape in value]
    return [plain_number(v) for v in value]  # type: ignore[arg-type]


@dataclass(frozen=True)
class Row:
    quantity: str
    a: Value
    b: Value

    @property
    def difference(self) -> int | None:
        return self.b - self.a if isinstance(self.a, int) and isinstance(self.b, int) else None

    @property
    def ratio(self) -> float | None:
        if isinstance(self.a, int) and isinstance(self.b, int) and self.a:
            return self.b / self.a
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "quantity": self.quantity,
            "a": plain(self.a),
            "b": plain(self.b),
            "difference": self.difference,
            "ratio": self.ratio,
        }


@dataclass(frozen=True)
class Comparison:
    a_name: str
    b_name: str
    rows: tuple[Row, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.compare/1",
            "a": self.a_name,
            "b": self.b_name,
            "rows": [r.to_dict() for r in self.rows],
            "notes": list(self.notes),
        }


def final_field(graph: Graph) -> tuple[Fraction, ...] | None:
    """The receptive field's size per axis at the last spatial feature map (None when there is none)."""
    fields = receptive_fields(graph)
    for record in reversed(fields.layers):
        if len(graph.shapes[record.name]) > 1 and record.axes and not record.whole_input:
            return tuple(Fraction(a.size) for a in record.axes)
    return None


def _relative(ratio: float, quantity: str) -> str:
    """'B has 45% fewer parameters than A (0.55×)', '30% more'; below 1% or beyond 100× the ratio
    speaks for itself. Whole sentences: languages place the percentage and the quantity differently."""
    if ratio < 1:
        template = _("B has {percent} fewer {quantity} than A ({times})") if ratio >= 0.01 else (
            _("B has far fewer {quantity} than A ({times})")
        )  # fmt: skip
    else:
        template = _("B has {percent} more {quantity} than A ({times})") if ratio <= 100 else (
            _("B has far more {quantity} than A ({times})")
        )  # fmt: skip
    percent = written(f"{abs(1 - ratio):.0%}")
    return template.format(percent=percent, quantity=_(quantity), times=_times(ratio))


def _times(ratio: float) -> str:
    """3 significant digits: 0.000162×, 0.55×, 1.30×, 6,171×."""
    return written(f"{ratio:,.2f}") + "×" if ratio >= 0.1 else written(f"{ratio:.3g}") + "×"


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else written(f"{float(value):g}")


def compare(a: Graph, b: Graph, a_name: str = "A", b_name: str = "B") -> Comparison:
    sa, sb = summarize(a), summarize(b)
    rows = (
        Row(N_("parameters"), sa.totals.params, sb.totals.params),
        Row(N_("trainable parameters"), sa.totals.trainable_params, sb.totals.trainable_params),
        Row(N_("MACs"), sa.totals.macs, sb.totals.macs),
        Row(N_("activation memory (bytes)"), sa.totals.activation_bytes, sb.totals.activation_bytes),
        Row(N_("layers"), len(sa.layers), len(sb.layers)),
        Row(N_("receptive field"), final_field(a), final_field(b)),
        Row(N_("output shape"), sa.output_shapes, sb.output_shapes),
    )
    inputs = (sa.input_shape, sb.input_shape)
    return Comparison(a_name, b_name, rows, _notes(rows, inputs))


def _notes(rows: tuple[Row, ...], inputs: tuple[tuple[int, ...], tuple[int, ...]]) -> tuple[str, ...]:
    by_name = {r.quantity: r for r in rows}
    notes = []
    if inputs[0] != inputs[1]:
        a, b = (format_shape(shape) for shape in inputs)
        notes.append(_("the inputs differ (A {a}, B {b}): MACs and memory grow with the input").format(a=a, b=b))
    field, output = by_name["receptive field"], by_name["output shape"]
    if field.a == field.b:
        notes.append(_("same receptive field ({field})").format(field=shown(field.a)))
    if output.a == output.b:
        notes.append(_("same output shape ({shape})").format(shape=shown(output.a)))
    for quantity in ("parameters", "MACs"):
        ratio = by_name[quantity].ratio
        if ratio is not None and ratio != 1:
            notes.append(_relative(ratio, quantity))
    return tuple(notes)
