"""Counting conventions: what each profiling tool reports as "FLOPs"/"MACs" for the same network.

cnncalc's own figure (the `torchvision` convention) is weights-only multiply-accumulates: one per
weight use in convolutions and dense layers, no bias, nothing else. The peers count differently;
each rule below was measured on the tool itself (fvcore 0.1.5, thop 0.1.1, ptflops 0.7.5 with its
pytorch backend, torchinfo 1.8.0; PyTorch CPU 2.13) and is checked against it in the tests.
Figures are for one input: fvcore, thop and torchinfo multiply by the batch, ptflops does not.
Notation: W = weights-only MACs, I = input values, O = output values, C = channels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from cnncalc.errors import ValidationSpecError
from cnncalc.graph import Graph
from cnncalc.layers.base import Shape, prod

if TYPE_CHECKING:
    from cnncalc.analysis.summary import Summary
    from cnncalc.spec.model import Node

WEIGHTED = frozenset({"conv", "depthwise_conv", "separable_conv", "locally_connected", "dense"})
POOLS = frozenset(
    {"max_pool", "avg_pool", "global_avg_pool", "global_max_pool", "adaptive_avg_pool", "adaptive_max_pool"}
)
NORMS = frozenset({"batch_norm", "layer_norm", "group_norm", "instance_norm"})


@dataclass(frozen=True)
class LayerCost:
    """What one tool needs to count a layer: its kind, sizes, and cnncalc's own figure."""

    kind: str
    macs: int  # weights-only (W)
    inputs: int  # I
    outputs: int  # O
    channels: int  # C of the output
    bias: bool
    affine: bool
    per_output_transposed: int  # O·Cin/groups·K^n: a transposed convolution counted per output
    arity: int = 1  # how many inputs (merges)
    spatial_axes: int = 0  # of the (first) input
    window: int = 0  # taps of a pooling window (adaptive pooling: input/output per axis); LRN: its size
    groups: int = 1  # of a convolution; of a group norm (an instance norm: one per channel)
    full_outputs: int = 0  # a transposed convolution's output before its padding is cropped
    in_channels: int = 0
    strides: int = 1  # the product of the strides
    mode: str = ""  # upsampling interpolation
    trainable_params: int = 0
    tracked: bool = True  # a batch norm with running statistics (else it normalises by batch statistics)
    shrink: float = 0.0  # adaptive/global average pooling: ∏ input/output per axis, in floating point as thop


Rule = Callable[[LayerCost], int]


def _torchvision(c: LayerCost) -> int:
    return c.macs


def _fvcore(c: LayerCost) -> int:
    if c.kind in WEIGHTED or c.kind == "conv_transpose":
        return c.macs
    if c.kind == "batch_norm" and c.tracked:
        return (2 if c.affine else 1) * c.inputs
    if c.kind in NORMS:  # without running statistics fvcore sees a training-mode batch norm
        return (5 if c.affine else 4) * c.inputs
    if c.spatial_axes != 2:
        return 0  # its pooling and upsampling handles are for 2-D maps only
    if c.kind in ("global_avg_pool", "adaptive_avg_pool"):
        return c.inputs
    if c.kind == "upsample":
        return {"nearest": 1, "bilinear": 4}.get(c.mode, 0) * c.outputs
    return 0


def _thop(c: LayerCost) -> int:
    if c.kind in WEIGHTED:
        return c.macs
    if c.kind == "conv_transpose":
        return c.per_output_transposed
    if c.kind in ("batch_norm", "layer_norm", "instance_norm"):
        return (4 if c.affine else 2) * c.inputs  # group norm has no hook: 0
    if c.kind == "avg_pool":
        return c.outputs
    if c.kind == "upsample":
        return {"nearest": 1, "linear": 5, "bilinear": 11}.get(c.mode, 0) * c.outputs  # trilinear: 0
    if c.kind == "softmax":  # per position: C exponentials, C − 1 additions, C divisions
        return c.outputs // c.channels * (3 * c.channels - 1)
    if c.kind == "prelu":
        return c.inputs
    return _thop_at(c, 1) if c.kind in ("global_avg_pool", "adaptive_avg_pool") else 0


def _thop_at(c: LayerCost, batch: int) -> int:
    """thop's count of a batch: its adaptive pooling truncates int((∏ in/out + 1)·O) over the whole batch
    (27.99… → 27), so that one figure is not the per-input figure times the batch."""
    if c.kind in ("global_avg_pool", "adaptive_avg_pool"):
        return int((c.shrink + 1) * (c.outputs * batch))
    return _thop(c) * batch


PTFLOPS_MODULE_HOOKS = POOLS | {"relu", "relu6", "leaky_relu", "elu", "prelu", "gelu"}
PTFLOPS_FUNCTIONAL = POOLS | {"relu", "elu", "prelu", "gelu", "silu", "softmax"}


def _ptflops_parts(c: LayerCost) -> tuple[int, int, int]:
    """(module hooks, per input; patched functional calls, per input; upsampling's module hook).

    ptflops divides what its module hooks count by the batch, but not what its patched functional
    and tensor calls count (so those grow with the batch); its upsampling hook counts one input and
    is divided by the batch all the same.
    """
    if c.kind in WEIGHTED or c.kind == "conv_transpose":
        return c.macs + (c.outputs if c.bias else 0), 0, 0
    if c.kind in NORMS:
        return (2 if c.affine and c.kind != "layer_norm" else 1) * c.inputs, 0, 0
    if c.kind == "upsample":
        return 0, c.outputs, c.outputs
    if c.kind == "lrn":  # x·x, α·, +k and an average pool over the channel-padded squares
        return 0, 3 * c.inputs + (c.channels + c.window - 1) * (c.inputs // c.channels), 0
    if c.kind == "lp_pool":  # the average pool, then a ReLU and a multiplication on its output
        return 0, c.inputs + 2 * c.outputs, 0
    module = c.inputs if c.kind in PTFLOPS_MODULE_HOOKS else 0
    return module, c.inputs if c.kind in PTFLOPS_FUNCTIONAL else 0, 0


def _ptflops(c: LayerCost) -> int:
    return sum(_ptflops_parts(c))


def _torchinfo(c: LayerCost) -> int:
    bias = c.outputs if c.bias else 0
    if c.kind in WEIGHTED:
        return c.macs + bias
    if c.kind == "conv_transpose":
        return c.per_output_transposed + bias
    return c.trainable_params if c.kind in NORMS or c.kind == "prelu" else 0  # counted by their parameters


KERAS_PER_OUTPUT = {"gelu": 4, "silu": 2, "hard_sigmoid": 2, "hard_swish": 3, "mish": 1, "softmax": 5}
KERAS_PER_EXTRA_INPUT = frozenset({"add", "multiply", "maximum", "minimum"})


def _keras(c: LayerCost) -> int:
    """TensorFlow's profiler (float_operation) on the Keras model `cnncalc export --to keras` writes."""
    bias = c.outputs if c.bias else 0
    if c.kind == "conv" and c.groups > 1:
        return bias  # Keras runs a grouped convolution as a nested function the profiler does not enter
    if c.kind in WEIGHTED:
        return 2 * c.macs + bias
    if c.kind == "conv_transpose":  # counted on the output before cropping, per output over the strides
        full_bias = c.full_outputs if c.bias else 0
        if c.spatial_axes == 3:
            return full_bias  # Conv3DBackpropInputV2 has no FLOPs statistic
        return 2 * c.full_outputs * c.window * c.in_channels // c.strides + full_bias
    if c.kind == "batch_norm":
        return 2 * c.inputs + (6 if c.affine else 5) * c.channels
    if c.kind == "layer_norm":  # P = positions, each normalised over its channels
        positions = c.inputs // c.channels
        return 9 * c.inputs + 4 * positions if c.affine else 6 * c.inputs + 5 * positions
    if c.kind in ("group_norm", "instance_norm"):
        return 6 * c.inputs + (3 * c.channels + 4 * c.groups if c.affine else 5 * c.groups)
    if c.kind in ("max_pool", "avg_pool", "adaptive_max_pool", "adaptive_avg_pool"):
        return c.outputs * c.window if c.spatial_axes < 3 else 0  # no statistic for the 3-D pools
    if c.kind == "global_avg_pool":
        return c.inputs
    if c.kind in KERAS_PER_EXTRA_INPUT:
        return (c.arity - 1) * c.outputs
    if c.kind == "subtract":
        return c.outputs
    if c.kind == "average":  # n − 1 additions and a scaling per value
        return c.arity * c.outputs
    if c.kind == "prelu":
        return 3 * c.outputs + c.channels
    if c.kind == "upsample":
        return c.spatial_axes if c.mode == "nearest" else 0  # one shape multiplication per repeated axis
    return KERAS_PER_OUTPUT.get(c.kind, 0) * c.outputs


def _ptflops_at(c: LayerCost, batch: int) -> Fraction | int:
    module, functional, upsample = _ptflops_parts(c)
    return module + batch * functional + Fraction(upsample, batch)


@dataclass(frozen=True)
class Convention:
    """How one tool counts: each layer for one input, its description, and each layer for a batch."""

    rule: Rule
    description: str
    at_batch: Callable[[LayerCost, int], Fraction | int]

    @classmethod
    def whole_batch(cls, rule: Rule, description: str) -> Convention:
        """A tool that counts every input of the batch it is given."""
        return cls(rule, description, lambda c, batch: rule(c) * batch)

    @classmethod
    def one_input(cls, rule: Rule, description: str) -> Convention:
        """A figure for one input whatever the batch (torchvision publishes per image; the Keras
        recipe traces a batch of one)."""
        return cls(rule, description, lambda c, batch: rule(c))


CONVENTIONS: dict[str, Convention] = {
    "torchvision": Convention.one_input(
        _torchvision, "weights-only MACs of convolutions and dense layers (torchvision's GFLOPS)"
    ),
    "fvcore": Convention.whole_batch(
        _fvcore, "fvcore FlopCountAnalysis: MACs; batch norm, average pooling to a size, upsampling"
    ),
    "thop": Convention(
        _thop, "thop profile: MACs; transposed convolutions per output value; batch norm 4 per value", _thop_at
    ),
    # ptflops divides its module hooks' counts by the batch but not its functional calls' counts.
    "ptflops": Convention(
        _ptflops, "ptflops (pytorch backend): MACs with bias; activations, pooling, norm 2 per value", _ptflops_at
    ),
    "torchinfo": Convention.whole_batch(
        _torchinfo, "torchinfo total mult-adds: MACs with bias; transposed convolutions per output"
    ),
    "keras": Convention.one_input(
        _keras, "Keras model in TensorFlow's profiler: FLOPs (2 per MAC) with bias, norms, pooling, merges"
    ),
}


@dataclass(frozen=True)
class ConventionTotal:
    convention: str
    description: str
    total: int
    by_kind: dict[str, int]
    batch: int = 1  # the batch the tool was given; `total` includes it when the tool counts it

    def to_dict(self) -> dict[str, object]:
        return {"convention": self.convention, "description": self.description, "total": self.total,
                "by_kind": dict(self.by_kind), "batch": self.batch}  # fmt: skip


def layer_costs(graph: Graph, summary: Summary | None = None) -> list[LayerCost]:
    """What each convention's rule needs of every layer; `summary` when the caller has it already."""
    if summary is None:
        from cnncalc.analysis.summary import summarize

        summary = summarize(graph)
    return [
        _layer_cost(graph, node, record.macs, record.trainable_params)
        for node, record in zip(graph.nodes, summary.layers, strict=True)
    ]


def _shrink(source: Shape, output: Shape) -> float:
    ratio = 1.0
    for size, out in zip(source[:-1], (*output[:-1], *(1,) * (len(source) - len(output))), strict=True):
        ratio *= size / out
    return ratio


def _layer_cost(graph: Graph, node: Node, macs: int, params: int) -> LayerCost:
    layer, inputs, output = node.layer, graph.input_shapes(node), graph.shapes[node.name]
    in_channels = inputs[0][-1] if inputs else 0
    per_output, full_outputs, window, strides = 0, 0, 0, 1
    if node.kind == "conv_transpose":
        per_output = prod(output) * in_channels // layer.groups * layer.kernel_volume(output)  # type: ignore[attr-defined]
        pads = layer._pads(inputs[0][:-1])  # type: ignore[attr-defined]
        full_outputs = prod(tuple(o + b + e for o, (b, e) in zip(output[:-1], pads, strict=True))) * output[-1]
        windows = layer.windows(inputs[0])  # type: ignore[attr-defined]
        window, strides = prod(tuple(w.kernel for w in windows)), prod(tuple(w.stride for w in windows))
    elif node.kind in ("max_pool", "avg_pool"):
        window = prod(tuple(w.kernel for w in layer.windows(inputs[0])))  # type: ignore[attr-defined]
    elif node.kind in ("adaptive_max_pool", "adaptive_avg_pool"):
        window = prod(tuple(i // o for i, o in zip(inputs[0][:-1], output[:-1], strict=True)))
    elif node.kind == "lrn":
        window = layer.size  # type: ignore[attr-defined]
    groups = getattr(layer, "groups", output[-1] if node.kind == "instance_norm" else 1)
    return LayerCost(
        node.kind,
        macs,
        prod(inputs[0]) if inputs else 0,
        prod(output),
        output[-1],
        bool(getattr(layer, "bias", False)),
        bool(getattr(layer, "affine", False)),
        per_output,
        arity=len(inputs),
        spatial_axes=len(inputs[0]) - 1 if inputs else len(output) - 1,
        window=window,
        groups=groups,
        full_outputs=full_outputs,
        in_channels=in_channels,
        strides=strides,
        mode=str(getattr(layer, "mode", "")),
        trainable_params=params,
        tracked=bool(getattr(layer, "track_running_stats", True)),
        shrink=_shrink(inputs[0], output) if node.kind in ("global_avg_pool", "adaptive_avg_pool") else 0.0,
    )


def count(graph: Graph, convention: str, summary: Summary | None = None, batch: int = 1) -> ConventionTotal:
    """The network's total as `convention`'s tool reports it for a batch, and its split by layer kind."""
    if convention not in CONVENTIONS:
        raise ValidationSpecError(f"unknown convention {convention!r}", hint=f"choose one of {', '.join(CONVENTIONS)}")
    if type(batch) is not int or batch < 1:
        raise ValidationSpecError(f"the batch must be a positive integer, got {batch!r}", hint="e.g. --batch 32")
    chosen = CONVENTIONS[convention]
    by_kind: dict[str, Fraction | int] = {}
    for cost in layer_costs(graph, summary):
        value = chosen.at_batch(cost, batch)
        if value:
            by_kind[cost.kind] = by_kind.get(cost.kind, 0) + value
    total = math.floor(sum(by_kind.values()))  # ptflops truncates its (float) total
    by_kind_whole = {k: math.floor(v) for k, v in by_kind.items()}
    return ConventionTotal(convention, chosen.description, total, by_kind_whole, batch)


def every_convention(graph: Graph, batch: int = 1) -> tuple[ConventionTotal, ...]:
    return tuple(count(graph, name, batch=batch) for name in CONVENTIONS)
