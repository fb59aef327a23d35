"""Training memory: weights, gradients, optimizer state and the activations kept for backward.

Each layer kind declares what autograd keeps for it (`Layer.backward_saves`, measured on PyTorch
CPU 2.13 with saved_tensors_hooks). A tensor two layers keep (a ReLU's output that the next
convolution also keeps as its input) is counted once, and views (flatten, crop) share their
input's memory, as in PyTorch. The peak is an estimate: everything kept for backward, the model
state, and the largest single layer output being computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, assert_never

from cnncalc.analysis.summary import DTYPE_BYTES, summarize
from cnncalc.display import Displayed
from cnncalc.errors import ValidationSpecError
from cnncalc.graph import Graph
from cnncalc.i18n import _
from cnncalc.layers.base import Saved, prod
from cnncalc.shown import quote

if TYPE_CHECKING:
    from cnncalc.spec.model import Node

OPTIMIZER_STATES = {"sgd": 0, "momentum": 1, "adam": 2, "adamw": 2}  # float32 tensors per parameter


@dataclass(frozen=True)
class LayerMemory:
    name: str
    kind: str
    saved_bytes: int  # kept for backward and first kept by this layer
    param_bytes: int

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "saved_bytes": self.saved_bytes, "param_bytes": self.param_bytes}


@dataclass(frozen=True)
class TrainingMemory(Displayed):
    """Result of `Network.memory()`; every figure in bytes."""

    batch: int
    dtype: str
    optimizer: str
    amp: bool
    layers: tuple[LayerMemory, ...]
    weights: int
    gradients: int
    optimizer_state: int
    buffers: int
    saved_activations: int
    largest_output: int

    @property
    def peak(self) -> int:
        return (
            self.weights + self.gradients + self.optimizer_state + self.buffers
            + self.saved_activations + self.largest_output
        )  # fmt: skip

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.memory/1",
            "batch": self.batch,
            "dtype": self.dtype,
            "optimizer": self.optimizer,
            "amp": self.amp,
            "layers": [layer.to_dict() for layer in self.layers],
            "totals": {
                "weights": self.weights,
                "gradients": self.gradients,
                "optimizer_state": self.optimizer_state,
                "buffers": self.buffers,
                "saved_activations": self.saved_activations,
                "largest_output": self.largest_output,
                "peak": self.peak,
            },
        }


def training_memory(
    graph: Graph, batch: int = 1, dtype: str = "float32", optimizer: str = "sgd", amp: bool = False
) -> TrainingMemory:
    """Memory of one training step at this batch size.

    With `amp`, activations are float16 while weights, gradients and optimizer state stay float32
    (PyTorch autocast), plus a float16 copy of the weights; otherwise everything is `dtype`.
    """
    if dtype not in DTYPE_BYTES:
        hint = _("choose one of {names}").format(names=", ".join(DTYPE_BYTES))
        raise ValidationSpecError(_("unknown dtype {name}").format(name=quote(dtype)), hint=hint)
    if optimizer not in OPTIMIZER_STATES:
        raise ValidationSpecError(
            _("unknown optimizer {name}").format(name=quote(optimizer)),
            hint=_("choose one of {names}").format(names=", ".join(OPTIMIZER_STATES)),
        )
    if type(batch) is not int or batch < 1:
        message = _("the batch must be a positive integer, got {value}").format(value=quote(batch))
        raise ValidationSpecError(message, hint=_("e.g. {example}").format(example="--batch 32"))
    act = 2 if amp else DTYPE_BYTES[dtype]
    weight_bytes = 4 if amp else DTYPE_BYTES[dtype]
    summary = summarize(graph)
    storage = _storage_owners(graph)
    kept: set[str] = set()
    layers = []
    for node, record in zip(graph.nodes, summary.layers, strict=True):
        fresh = 0
        for token in node.layer.backward_saves:
            for name in _tensors(token, node, graph):
                owner = storage[name]
                if owner not in kept:
                    kept.add(owner)
                    fresh += _elements(graph, owner) * batch * act
            fresh += _own_tensor_bytes(token, graph, node, batch, act)
        layers.append(LayerMemory(node.name, node.kind, fresh, record.params * weight_bytes))
    trainable = summary.totals.trainable_params
    largest = max((_elements(graph, n.name) for n in graph.nodes), default=0) * batch * act
    return TrainingMemory(
        batch,
        dtype,
        optimizer,
        amp,
        tuple(layers),
        weights=trainable * weight_bytes + (trainable * 2 if amp else 0),
        gradients=trainable * weight_bytes,
        optimizer_state=trainable * 4 * OPTIMIZER_STATES[optimizer],
        buffers=summary.totals.non_trainable_params * weight_bytes,
        saved_activations=sum(layer.saved_bytes for layer in layers),
        largest_output=largest,
    )


def _storage_owners(graph: Graph) -> dict[str, str]:
    """The node whose memory each node's output lives in (itself, or what a view looks at)."""
    owner: dict[str, str] = {}
    for node in graph.nodes:
        owner[node.name] = owner[node.inputs[0]] if node.layer.is_view and node.inputs else node.name
    return owner


def _tensors(token: Saved, node: Node, graph: Graph) -> tuple[str, ...]:
    """The graph's own tensors `token` keeps (none for a tensor the layer makes itself)."""
    match token:
        case Saved.INPUT:
            return node.inputs[:1]
        case Saved.INPUT_UNLESS_GLOBAL:
            return () if all(size == 1 for size in graph.shapes[node.name][:-1]) else node.inputs[:1]
        case Saved.INPUTS:
            return node.inputs
        case Saved.OUTPUT:
            return (node.name,)
    return ()


def _elements(graph: Graph, name: str) -> int:
    return prod(graph.shapes[name])


def _own_tensor_bytes(token: Saved, graph: Graph, node: Node, batch: int, act: int) -> int:
    """Bytes of a tensor `token` makes for itself (0 for one of the graph's own tensors)."""
    output = graph.shapes[node.name]
    inputs = graph.input_shapes(node)
    match token:
        case Saved.INPUT | Saved.INPUT_UNLESS_GLOBAL | Saved.INPUTS | Saved.OUTPUT:
            return 0
        case Saved.INDICES:
            return prod(output) * batch * 8
        case Saved.OUTPUT_COPY:
            return prod(output) * batch * act
        case Saved.INPUT_COPY:
            return prod(inputs[0]) * batch * act
        case Saved.DEPTHWISE_OUTPUT:
            return prod(output[:-1]) * inputs[0][-1] * batch * act
        case Saved.CHANNEL_STATS:
            return 2 * output[-1] * 4
        case Saved.CHANNEL_MASK:
            return batch * output[-1] * act
        case Saved.SAMPLE_STATS:
            return 2 * batch * 4
    assert_never(token)  # a new Saved member must say what it costs here
