"""The bundled architecture zoo: one record per spec in specs/, for `cnncalc zoo` and docs/zoo.md."""

from __future__ import annotations

from dataclasses import dataclass

from cnncalc.analysis.receptive_field import plain_number, receptive_fields
from cnncalc.analysis.summary import summarize
from cnncalc.graph import build_graph
from cnncalc.layers.base import Exact
from cnncalc.spec import bundled_names, load_spec


@dataclass(frozen=True)
class ZooEntry:
    name: str
    description: str
    input_shape: tuple[int, ...]
    output_shapes: tuple[tuple[int, ...], ...]
    params: int
    trainable_params: int
    macs: int
    activation_bytes: int
    final_field: tuple[Exact, ...] | None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "input": list(self.input_shape),
            "outputs": [list(s) for s in self.output_shapes],
            "params": self.params,
            "trainable_params": self.trainable_params,
            "macs": self.macs,
            "activation_bytes": self.activation_bytes,
            "final_receptive_field": None if self.final_field is None else [plain_number(f) for f in self.final_field],
        }

    @property
    def headline(self) -> str:
        """The description's first sentence, for tables."""
        return first_sentence(self.description)


def first_sentence(text: str | None, limit: int = 110) -> str:
    """The description's first sentence, cut at a word boundary to about `limit` characters."""
    if not text:
        return ""
    sentence = text.split(". ")[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence + "."
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def zoo_entry(name: str) -> ZooEntry:
    spec = load_spec(name)
    graph = build_graph(spec)
    summary = summarize(graph)
    fields = receptive_fields(graph)
    last_map = next((n for n in reversed(graph.nodes) if len(graph.shapes[n.name]) > 1 and n.inputs), None)
    record = fields.layer(last_map.name) if last_map else None
    final = tuple(a.size for a in record.axes) if record and record.axes else None
    return ZooEntry(
        name=spec.name or name,
        description=" ".join((spec.description or "").split()),
        input_shape=summary.input_shape,
        output_shapes=summary.output_shapes,
        params=summary.totals.params,
        trainable_params=summary.totals.trainable_params,
        macs=summary.totals.macs,
        activation_bytes=summary.totals.activation_bytes,
        final_field=final,
    )


def zoo() -> tuple[ZooEntry, ...]:
    """Every bundled spec, sorted by name."""
    return tuple(zoo_entry(name) for name in bundled_names())
