"""Per-layer shapes, parameters and MACs, with totals (the data behind `cnncalc summary`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from cnncalc.display import Displayed
from cnncalc.graph import Graph
from cnncalc.layers import Shape
from cnncalc.layers.base import prod

# Bytes per element of every dtype cnncalc sizes memory in: the one table (summary, memory, --dtype).
DTYPE_BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1, "uint8": 1}


def to_layout(shape: Shape, layout: str) -> list[int]:
    """Channels-last engine shape → the requested layout ('hwc' or 'chw' as PyTorch prints)."""
    if layout == "chw" and len(shape) > 1:
        return [shape[-1], *shape[:-1]]
    return list(shape)


@dataclass(frozen=True)
class LayerRecord:
    """One row of the summary. Field names are the JSON schema's."""

    index: int
    name: str
    kind: str
    inputs: tuple[str, ...]
    output_shape: Shape
    params: int
    trainable_params: int
    non_trainable_params: int
    macs: int
    activations: int

    def to_dict(self, layout: str = "hwc") -> dict[str, object]:
        data = asdict(self)
        data["inputs"] = list(self.inputs)
        data["output_shape"] = to_layout(self.output_shape, layout)
        return data


@dataclass(frozen=True)
class Totals(Displayed):
    """Sums over every layer, and the memory they take in the chosen dtype."""

    params: int
    trainable_params: int
    non_trainable_params: int
    macs: int
    flops: int
    activations: int
    activation_bytes: int
    param_bytes: int
    input_bytes: int
    neurons: int = 0  # output values of convolutions and dense layers (the lecture's neurons)


@dataclass(frozen=True)
class Summary(Displayed):
    """Result of `Network.summary()`: the rows, the totals and what they were computed with."""

    name: str | None
    input_shape: Shape
    output_shapes: tuple[Shape, ...]
    layers: tuple[LayerRecord, ...]
    totals: Totals
    dtype: str
    folded_batch_norms: int = 0  # folded into convolutions by an exporter: counts are the graph's, not the framework's
    removed_zero_biases: int = 0  # layers whose all-zero bias an exporter removed: counted without one

    def to_dict(self, layout: str = "hwc") -> dict[str, object]:
        exporter = {"folded_batch_norms": self.folded_batch_norms, "removed_zero_biases": self.removed_zero_biases}
        folded = {key: count for key, count in exporter.items() if count}
        return {
            "schema": "cnncalc.summary/1",
            "name": self.name,
            "layout": layout,
            "dtype": self.dtype,
            "input": to_layout(self.input_shape, layout),
            "outputs": [to_layout(s, layout) for s in self.output_shapes],
            "layers": [r.to_dict(layout) for r in self.layers],
            "totals": asdict(self.totals),
            **folded,
        }


def summarize(graph: Graph, dtype: str = "float32", progress: Callable[[int, int, str], None] | None = None) -> Summary:
    """Shapes, parameters and MACs of every node, in graph order, with totals.

    `progress(done, total, layer)` is called after each layer (a command line's progress bar)."""
    records = []
    for index, node in enumerate(graph.nodes):
        if progress is not None:
            progress(index + 1, len(graph.nodes), node.name)
        inputs, output = graph.input_shapes(node), graph.shapes[node.name]
        count = node.layer.params(inputs, output)
        records.append(
            LayerRecord(
                index=index,
                name=node.name,
                kind=node.kind,
                inputs=node.inputs,
                output_shape=output,
                params=count.total,
                trainable_params=count.trainable,
                non_trainable_params=count.non_trainable,
                macs=node.layer.macs(inputs, output),
                activations=0 if not node.inputs else prod(output),
            )
        )
    return Summary(
        name=graph.spec.name,
        input_shape=graph.shapes[graph.nodes[0].name],
        output_shapes=tuple(graph.shapes[name] for name in graph.spec.outputs),
        layers=tuple(records),
        totals=_totals(records, graph, DTYPE_BYTES[dtype]),
        dtype=dtype,
        folded_batch_norms=graph.spec.folded_batch_norms,
        removed_zero_biases=graph.spec.removed_zero_biases,
    )


def _totals(records: list[LayerRecord], graph: Graph, itemsize: int) -> Totals:
    params = sum(r.params for r in records)
    macs = sum(r.macs for r in records)
    activations = sum(r.activations for r in records)
    inputs = sum(prod(graph.shapes[n.name]) for n in graph.nodes if not n.inputs)
    return Totals(
        params=params,
        trainable_params=sum(r.trainable_params for r in records),
        non_trainable_params=sum(r.non_trainable_params for r in records),
        macs=macs,
        flops=2 * macs,
        activations=activations,
        activation_bytes=activations * itemsize,
        param_bytes=params * itemsize,
        input_bytes=inputs * itemsize,
        neurons=sum(r.activations for r, n in zip(records, graph.nodes, strict=True) if n.layer.weighted),
    )
