"""Cost as a function of input size: one row per size with parameters, MACs, memory and output."""

from __future__ import annotations

from dataclasses import dataclass

from cnncalc.analysis.solve import accepts_cleanly, valid_inputs, with_input
from cnncalc.analysis.summary import summarize
from cnncalc.display import Displayed
from cnncalc.errors import ShapeError, SpecError, ValidationSpecError
from cnncalc.graph import build_graph
from cnncalc.i18n import _
from cnncalc.layers.base import format_shape
from cnncalc.layers.dense import Input
from cnncalc.spec.model import Spec

MAX_SIZES = 64
MAX_VALID_RANGE = 4096


@dataclass(frozen=True)
class ScaleRow:
    """The network at one input size (the same size on every spatial axis)."""

    size: int
    input_shape: tuple[int, ...]
    params: int | None
    macs: int | None
    activation_bytes: int | None
    output_shapes: tuple[tuple[int, ...], ...]
    clean: bool
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "size": self.size,
            "input": list(self.input_shape),
            "params": self.params,
            "macs": self.macs,
            "activation_bytes": self.activation_bytes,
            "outputs": [list(s) for s in self.output_shapes],
            "clean": self.clean,
            "error": self.error,
        }


@dataclass(frozen=True)
class Scaling(Displayed):
    """Result of `scale()`: a row per size, and the sizes in their range taken without a dropped pixel."""

    name: str | None
    rows: tuple[ScaleRow, ...]
    valid_sizes: tuple[int, ...] | None

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.scale/1",
            "name": self.name,
            "rows": [r.to_dict() for r in self.rows],
            "valid_sizes": None if self.valid_sizes is None else list(self.valid_sizes),
        }


def scale(spec: Spec, sizes: tuple[int, ...]) -> Scaling:
    """The spec evaluated at each input size; a size where shapes fail gets its error instead."""
    if not sizes or len(sizes) > MAX_SIZES or min(sizes) < 1:
        message = _("give 1 to {count} positive sizes").format(count=MAX_SIZES)
        raise ValidationSpecError(message, hint=_("e.g. {example}").format(example="--sizes 224,320,448,640"))
    first = spec.nodes[0].layer
    if not isinstance(first, Input):
        raise SpecError(_("the spec has no input layer to vary"))
    shape = first.output_shape(())
    if len(shape) < 2:
        raise ValidationSpecError(_("the input has no spatial axes to vary"))
    rows = tuple(_row(spec, size, (*(size,) * (len(shape) - 1), shape[-1])) for size in sizes)
    low, high = min(sizes), max(sizes)
    valid = valid_inputs(spec, low, high) if high - low <= MAX_VALID_RANGE else None
    return Scaling(spec.name, rows, valid)


def _row(spec: Spec, size: int, shape: tuple[int, ...]) -> ScaleRow:
    resized = with_input(spec, shape)
    try:
        graph = build_graph(resized)
    except ShapeError as error:
        return ScaleRow(size, shape, None, None, None, (), False, error.message)
    summary = summarize(graph)
    totals = summary.totals
    return ScaleRow(
        size,
        shape,
        totals.params,
        totals.macs,
        totals.activation_bytes,
        summary.output_shapes,
        accepts_cleanly(resized),
    )


def shapes_text(row: ScaleRow) -> str:
    return ", ".join(format_shape(s) for s in row.output_shapes) or "—"
