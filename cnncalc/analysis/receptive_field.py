"""Receptive fields per layer and axis: size, jump, start and effective padding.

Follows Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks"
(Distill, 2019). Per layer l with effective kernel k, stride s and left padding p:

    r_l = r_{l-1} + (k − 1)·j_{l-1}        j_l = j_{l-1}·s
    start_l = start_{l-1} + ((k − 1)/2 − p)·j_{l-1}     (centre of unit 0, input coordinates)
    effective padding P_l = (r_l − 1)/2 − start_l

Values are ints, or Fractions where upsampling and transposed convolutions (jump 1/s) need
them; there units at different phases of the stride see different amounts of input, and the field
given is their bound (exact for the units that see most). At a merge the field of a unit is the
union of its inputs' fields; when the inputs have different jumps no single field describes every
unit, and the record says so instead of giving a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from cnncalc.display import Displayed
from cnncalc.errors import SpecError, ValidationSpecError, unknown_layer
from cnncalc.graph import Graph
from cnncalc.i18n import _, ngettext
from cnncalc.layers import RFStep
from cnncalc.layers.base import Exact, axis_name, exact, half, spatial


def plain_number(value: Exact) -> int | float:
    """A field size or jump for JSON: an int when whole, else a float (halves happen)."""
    return int(value) if value.denominator == 1 else float(value)


@dataclass(frozen=True)
class AxisField:
    """The receptive field of one layer's units along one input axis."""

    size: Exact
    jump: Exact
    start: Exact

    @property
    def padding(self) -> Exact:
        return exact(half(self.size - 1) - self.start)

    def step(self, layer: RFStep) -> AxisField:
        jump = self.jump
        return AxisField(
            size=exact(self.size + (layer.kernel - 1) * jump),
            jump=exact(jump * layer.stride),
            start=exact(self.start + half(layer.kernel - 1 - 2 * layer.pad_begin) * jump),
        )

    def window(self, unit: int) -> tuple[Exact, Exact]:
        """First and last input coordinate (possibly in the padding) that unit `unit` sees."""
        centre = self.start + unit * self.jump
        radius = half(self.size - 1)
        return exact(centre - radius), exact(centre + radius)

    def to_dict(self) -> dict[str, int | float]:
        return {
            "size": plain_number(self.size),
            "jump": plain_number(self.jump),
            "start": plain_number(self.start),
            "padding": plain_number(self.padding),
        }


IDENTITY = AxisField(1, 1, 0)


@dataclass(frozen=True)
class FieldRecord(Displayed):
    """Receptive field of one layer: one AxisField per input axis, or None with a note."""

    index: int
    name: str
    kind: str
    axes: tuple[AxisField, ...] | None
    whole_input: bool
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "axes": None if self.axes is None else [a.to_dict() for a in self.axes],
            "whole_input": self.whole_input,
            "note": self.note,
        }


@dataclass(frozen=True)
class ReceptiveFields(Displayed):
    """Result of `Network.receptive_field()`: a record per layer and the input it refers to."""

    input_size: tuple[int, ...]
    layers: tuple[FieldRecord, ...]

    @cached_property
    def _by_name(self) -> dict[str, FieldRecord]:
        return {record.name: record for record in self.layers}

    def layer(self, name: str) -> FieldRecord:
        if name in self._by_name:
            return self._by_name[name]
        raise unknown_layer(name, self._by_name)

    def final(self) -> FieldRecord:
        return self.layers[-1]

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.receptive_field/1",
            "input": list(self.input_size),
            "layers": [r.to_dict() for r in self.layers],
        }


def receptive_fields(graph: Graph, progress: Callable[[int, int, str], None] | None = None) -> ReceptiveFields:
    """The field of every node, in graph order, over the spatial axes of the (first) input.

    `progress(done, total, layer)` is called after each layer (a command line's progress bar)."""
    first = graph.nodes[0]
    input_size = spatial(graph.shapes[first.name])
    fields: dict[str, FieldRecord] = {}
    records = []
    for index, node in enumerate(graph.nodes):
        if progress is not None:
            progress(index + 1, len(graph.nodes), node.name)
        if not node.inputs:
            record = FieldRecord(index, node.name, node.kind, (IDENTITY,) * len(input_size), False)
        else:
            merged = _merge([fields[name] for name in node.inputs], len(input_size))
            record = _apply(index, node, merged, graph, input_size)
        fields[node.name] = record
        records.append(record)
    return ReceptiveFields(input_size, tuple(records))


def _apply(index, node, merged: FieldRecord, graph: Graph, input_size) -> FieldRecord:
    base = FieldRecord(index, node.name, node.kind, merged.axes, merged.whole_input, merged.note)
    if merged.axes is None or merged.whole_input:
        return base
    inputs = graph.input_shapes(node)
    if len(spatial(inputs[0])) == 0:  # past flatten/dense: every unit already sees everything
        return base
    try:
        steps = node.layer.rf_steps(inputs, graph.shapes[node.name])
    except SpecError as exc:
        raise exc.located(node.location) from None
    if len(steps) != len(input_size):
        return base
    axes = tuple(axis.step(step) for axis, step in zip(merged.axes, steps, strict=True))
    whole = len(spatial(graph.shapes[node.name])) == 0 and covers(axes, input_size)
    return FieldRecord(index, node.name, node.kind, axes, whole, merged.note)


def covers(axes: tuple[AxisField, ...], input_size: tuple[int, ...]) -> bool:
    """True when unit 0's field spans every input position on every axis (0 … W − 1)."""
    windows = (axis.window(0) for axis in axes)
    return all(first <= 0 and last >= size - 1 for (first, last), size in zip(windows, input_size, strict=True))


def _merge(parents: list[FieldRecord], ndim: int) -> FieldRecord:
    """Union of the inputs' fields; undefined when their jumps differ."""
    first = parents[0]
    if len(parents) == 1:
        return first
    if any(p.axes is None for p in parents):
        return FieldRecord(0, "", "", None, False, next(p.note for p in parents if p.axes is None))
    if all(p.whole_input for p in parents):
        return FieldRecord(0, "", "", first.axes, True)
    axes = []
    notes = []
    for axis in range(ndim):
        fields = [p.axes[axis] for p in parents]  # type: ignore[index]
        jumps = {f.jump for f in fields}
        if len(jumps) > 1:
            listed = ", ".join(str(plain_number(j)) for j in sorted(jumps))
            note = _(
                "inputs reach this merge with different jumps ({listed}) on axis {axis}: "
                "units do not share one receptive field"
            ).format(listed=listed, axis=axis_name(axis, ndim))
            return FieldRecord(0, "", "", None, False, note)
        lows, highs = zip(*(f.window(0) for f in fields), strict=True)
        low, high = min(lows), max(highs)
        if len({f.start for f in fields}) > 1:
            notes.append(
                _("centres differ on axis {axis}; the field is their union").format(axis=axis_name(axis, ndim))
            )
        axes.append(AxisField(exact(high - low + 1), fields[0].jump, half(low + high)))
    return FieldRecord(0, "", "", tuple(axes), False, "; ".join(notes) or None)


@dataclass(frozen=True)
class UnitWindow:
    """The input window one unit sees along one axis: unclipped and clipped to the input."""

    axis: str
    unit: int
    first: Exact
    last: Exact
    clipped_first: int
    clipped_last: int

    def to_dict(self) -> dict[str, object]:
        return {
            "axis": self.axis,
            "unit": self.unit,
            "first": plain_number(self.first),
            "last": plain_number(self.last),
            "clipped": [self.clipped_first, self.clipped_last],
        }


def unit_window(
    fields: ReceptiveFields, layer: str, units: tuple[int, ...], sizes: tuple[int, ...] = ()
) -> tuple[UnitWindow, ...]:
    """Map output unit (i, j, …) of `layer` to the exact input window it sees (seeds' --at).

    `sizes` are the layer's spatial output sizes (none past a flatten: every unit is then unit 0).
    """
    record = fields.layer(layer)
    if record.axes is None:
        message = _("layer {layer!r} has no single receptive field: {why}").format(layer=layer, why=record.note)
        raise ValidationSpecError(message)
    ndim = len(fields.input_size)
    if len(units) != ndim:
        raise ValidationSpecError(
            ngettext(
                "--at needs {count} coordinate for a {ndim}-D input, got {given}",
                "--at needs {count} coordinates for a {ndim}-D input, got {given}",
                ndim,
            ).format(count=ndim, ndim=ndim, given=len(units)),
            hint=_("e.g. {example} for the top-left unit").format(example="--at 0,0"),
        )
    limits = sizes if len(sizes) == ndim else (1,) * ndim
    for axis, (unit, size) in enumerate(zip(units, limits, strict=True)):
        if not 0 <= unit < size:
            raise ValidationSpecError(
                _("--at unit {unit} on axis {axis} is outside {layer}'s output (0..{last})").format(
                    unit=unit, axis=axis_name(axis, ndim), layer=layer, last=size - 1
                ),
                hint=_("units are counted from 0 on each axis of the layer's output")
                if len(sizes) == ndim
                else _(
                    "units are counted from 0 on each axis of the layer's output; "
                    "past a flatten every unit sees the same field: use 0"
                ),
            )
    windows = []
    for axis, (field, unit, size) in enumerate(zip(record.axes, units, fields.input_size, strict=True)):
        first, last = field.window(unit)
        lo = max(0, -((-first.numerator) // first.denominator))  # ceil
        hi = min(size - 1, last.numerator // last.denominator)  # floor
        windows.append(UnitWindow(axis_name(axis, ndim), unit, first, last, lo, hi))
    return tuple(windows)
