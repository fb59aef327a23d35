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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

from cnncalc.display import Displayed
from cnncalc.errors import UnsupportedSpecError, ValidationSpecError
from cnncalc.graph import Graph
from cnncalc.i18n import N_, _
from cnncalc.layers import kinds as k
from cnncalc.layers.base import Layer, Shape, prod

if TYPE_CHECKING:
    from cnncalc.analysis.summary import Summary
    from cnncalc.spec.model import Node

Kinds = tuple[type[Layer], ...]


def kinds(*parts: type[Layer] | Kinds) -> Kinds:
    """One group from kinds and groups of kinds."""
    return tuple(kind for part in parts for kind in (part if isinstance(part, tuple) else (part,)))


def without(group: Kinds, *removed: type[Layer]) -> Kinds:
    return tuple(kind for kind in group if kind not in removed)


# Every table below lists every registered kind, on purpose (tests/test_kind_tables.py proves it):
# a kind a tool counts as nothing is in its ZERO group, and a kind missing from a table is refused
# by `count`, never counted as 0.
WEIGHTED: Kinds = (k.Conv, k.DepthwiseConv, k.SeparableConv, k.LocallyConnected, k.Dense)
TRANSPOSED: Kinds = (k.ConvTranspose,)
BATCH_NORM: Kinds = (k.BatchNorm,)
OTHER_NORMS: Kinds = (k.LayerNorm, k.GroupNorm, k.InstanceNorm)
WINDOW_POOLS: Kinds = (k.MaxPool, k.AvgPool, k.LPPool)
GLOBAL_POOLS: Kinds = (k.GlobalAvgPool, k.GlobalMaxPool)
ADAPTIVE_POOLS: Kinds = (k.AdaptiveAvgPool, k.AdaptiveMaxPool)
AVERAGE_TO_SIZE: Kinds = (k.GlobalAvgPool, k.AdaptiveAvgPool)
LOCAL_NORMS: Kinds = (k.LocalResponseNorm, k.LocalContrastNorm)
SIMPLE_ACTIVATIONS: Kinds = (
    k.Relu, k.Relu6, k.Tanh, k.Sigmoid, k.HardSigmoid, k.Gelu, k.Silu, k.HardSwish, k.Mish, k.Softplus, k.Softsign,
    k.Selu, k.LogSoftmax, k.Softmax, k.Identity, k.LeakyReLU, k.ELU,
)  # fmt: skip
ELEMENTWISE_MERGES: Kinds = (
    k.AddMerge, k.SubtractMerge, k.MultiplyMerge, k.AverageMerge, k.MaximumMerge, k.MinimumMerge,
)  # fmt: skip
PLUMBING: Kinds = (
    k.Input, k.Flatten, k.Reshape, k.ZeroPad, k.Crop, k.CenterCrop, k.Dropout, k.SpatialDropout, k.Concat, k.Upsample,
    k.Slice, k.ChannelShuffle,
)  # fmt: skip
# PyTorch writes these as tensor expressions (`γ * x`, `x.mean(dims)`), which fvcore (no handle for
# aten::mul or aten::mean), thop and torchinfo (module hooks only) and ptflops (it patches torch.mul
# and Tensor.mul, neither the `*` operator nor Tensor.mean) count as nothing. A layer scale is
# a module in cnncalc's export whose parameter is `gamma` as in timm and Keras, and torchinfo counts
# MACs for parameters named weight or bias only (torchvision's ConvNeXt keeps it on the block, which
# torchinfo does not sum either). Keras's TensorFlow profiler counts them: see KERAS.
# Rescaling (x * s + o) and a normalization by fixed statistics ((x - mean) / std) are tensor
# expressions in PyTorch too: aten::mul/add/sub/div, which none of the four counts.
TENSOR_EXPRESSIONS: Kinds = (k.LayerScale, k.ReduceMean, k.Rescaling, k.Normalization)


@dataclass(frozen=True)
class LayerCost:
    """What one tool needs to count a layer: its kind, sizes, and cnncalc's own figure."""

    kind: type[Layer]
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
Table = Mapping[type[Layer], Rule]


R = TypeVar("R")


def table(*groups: tuple[Kinds, Callable[[LayerCost], R]]) -> dict[type[Layer], Callable[[LayerCost], R]]:
    """kind → rule, from groups of kinds that share one; a kind in two groups is a mistake."""
    found: dict[type[Layer], Callable[[LayerCost], R]] = {}
    for kinds, rule in groups:
        for kind in kinds:
            if kind in found:
                raise RuntimeError(f"layer kind {kind.kind!r} listed twice in one convention")
            found[kind] = rule
    return found


def _zero(c: LayerCost) -> int:
    return 0


def _weights(c: LayerCost) -> int:
    return c.macs


def _inputs(c: LayerCost) -> int:
    return c.inputs


def _outputs(c: LayerCost) -> int:
    return c.outputs


def _only_2d(rule: Rule) -> Rule:
    """fvcore's pooling and upsampling handles are for 2-D maps only."""
    return lambda c: rule(c) if c.spatial_axes == 2 else 0


FVCORE_UPSAMPLE = {"nearest": 1, "bilinear": 4}  # per output; its other modes have no handle


def _fvcore_batch_norm(c: LayerCost) -> int:
    if c.tracked:
        return (2 if c.affine else 1) * c.inputs
    return _fvcore_norm(c)  # without running statistics fvcore sees a training-mode batch norm


def _fvcore_norm(c: LayerCost) -> int:
    return (5 if c.affine else 4) * c.inputs


FVCORE = table(
    (kinds(WEIGHTED, TRANSPOSED, k.PointwiseLinear), _weights),  # linear_flop_jit: ∏ input · out_features
    (BATCH_NORM, _fvcore_batch_norm),
    (OTHER_NORMS, _fvcore_norm),
    (AVERAGE_TO_SIZE, _only_2d(_inputs)),
    ((k.Upsample,), _only_2d(lambda c: FVCORE_UPSAMPLE.get(c.mode, 0) * c.outputs)),
    (
        kinds(SIMPLE_ACTIVATIONS, k.PReLU, ELEMENTWISE_MERGES, WINDOW_POOLS, k.GlobalMaxPool, k.AdaptiveMaxPool,
              LOCAL_NORMS, without(PLUMBING, k.Upsample), TENSOR_EXPRESSIONS),
        _zero,
    ),
)  # fmt: skip

THOP_UPSAMPLE = {"nearest": 1, "linear": 5, "bilinear": 11}  # per output; trilinear has no hook


def _thop_softmax(c: LayerCost) -> int:
    """Per position: C exponentials, C − 1 additions, C divisions."""
    return c.outputs // c.channels * (3 * c.channels - 1)


def _thop_average_to_size(c: LayerCost, batch: int = 1) -> int:
    """thop's adaptive pooling truncates int((∏ in/out + 1)·O) over the whole batch (27.99… → 27),
    so that one figure is not the per-input figure times the batch."""
    return int((c.shrink + 1) * (c.outputs * batch))


THOP = table(
    (kinds(WEIGHTED, k.PointwiseLinear), _weights),  # count_linear: in_features per output value
    (TRANSPOSED, lambda c: c.per_output_transposed),
    (kinds(BATCH_NORM, k.LayerNorm, k.InstanceNorm), lambda c: (4 if c.affine else 2) * c.inputs),
    ((k.AvgPool,), _outputs),
    ((k.Upsample,), lambda c: THOP_UPSAMPLE.get(c.mode, 0) * c.outputs),
    ((k.Softmax,), _thop_softmax),
    ((k.PReLU,), _inputs),
    (AVERAGE_TO_SIZE, _thop_average_to_size),
    (
        kinds(without(SIMPLE_ACTIVATIONS, k.Softmax), ELEMENTWISE_MERGES, k.GroupNorm, k.MaxPool, k.LPPool,
              k.GlobalMaxPool, k.AdaptiveMaxPool, LOCAL_NORMS, without(PLUMBING, k.Upsample), TENSOR_EXPRESSIONS),
        _zero,
    ),
)  # fmt: skip


def _thop_at(c: LayerCost, batch: int) -> int:
    if c.kind in AVERAGE_TO_SIZE:
        return _thop_average_to_size(c, batch)
    return rule_of("thop", THOP, c)(c) * batch


# ptflops: (module hooks, per input; patched functional calls, per input; upsampling's module hook).
# It divides what its module hooks count by the batch, but not what its patched functional and
# tensor calls count (so those grow with the batch); its upsampling hook counts one input and is
# divided by the batch all the same.
Parts = Callable[[LayerCost], tuple[int, int, int]]


def _ptflops_weighted(c: LayerCost) -> tuple[int, int, int]:
    return c.macs + (c.outputs if c.bias else 0), 0, 0


def _ptflops_lrn(c: LayerCost) -> tuple[int, int, int]:
    """x·x, α·, +k and an average pool over the channel-padded squares."""
    return 0, 3 * c.inputs + (c.channels + c.window - 1) * (c.inputs // c.channels), 0


PTFLOPS: Mapping[type[Layer], Parts] = table(
    # linear_flops_counter_hook: (in·out + out) per position, so a bias adds one per output value
    (kinds(WEIGHTED, TRANSPOSED, k.PointwiseLinear), _ptflops_weighted),
    (kinds(BATCH_NORM, k.GroupNorm, k.InstanceNorm), lambda c: ((2 if c.affine else 1) * c.inputs, 0, 0)),
    ((k.LayerNorm,), lambda c: (c.inputs, 0, 0)),
    ((k.Upsample,), lambda c: (0, c.outputs, c.outputs)),
    ((k.LocalResponseNorm,), _ptflops_lrn),
    ((k.LPPool,), lambda c: (0, c.inputs + 2 * c.outputs, 0)),  # the average pool, then ReLU and a product
    (
        kinds(k.MaxPool, k.AvgPool, GLOBAL_POOLS, ADAPTIVE_POOLS, k.Relu, k.ELU, k.PReLU, k.Gelu),
        lambda c: (c.inputs, c.inputs, 0),  # a module hook and a patched functional call
    ),
    ((k.Relu6, k.LeakyReLU), lambda c: (c.inputs, 0, 0)),
    ((k.Silu, k.Softmax), lambda c: (0, c.inputs, 0)),
    (
        kinds(without(SIMPLE_ACTIVATIONS, k.Relu, k.ELU, k.Gelu, k.Relu6, k.LeakyReLU, k.Silu, k.Softmax),
              ELEMENTWISE_MERGES, k.LocalContrastNorm, without(PLUMBING, k.Upsample), TENSOR_EXPRESSIONS),
        lambda c: (0, 0, 0),
    ),
)  # fmt: skip


def _ptflops(c: LayerCost) -> int:
    return sum(rule_of("ptflops", PTFLOPS, c)(c))


def _ptflops_at(c: LayerCost, batch: int) -> Fraction | int:
    module, functional, upsample = rule_of("ptflops", PTFLOPS, c)(c)
    return module + batch * functional + Fraction(upsample, batch)


def _bias(c: LayerCost) -> int:
    return c.outputs if c.bias else 0


TORCHINFO = table(
    (WEIGHTED, lambda c: c.macs + _bias(c)),
    (TRANSPOSED, lambda c: c.per_output_transposed + _bias(c)),
    (kinds(BATCH_NORM, OTHER_NORMS, k.PReLU), lambda c: c.trainable_params),  # counted by their parameters
    # A Linear's MACs are batch × its parameters (calculate_macs: output_size[0] · nelement): on a
    # rank > 2 input the positions are not counted.
    ((k.PointwiseLinear,), lambda c: c.trainable_params),
    (
        kinds(SIMPLE_ACTIVATIONS, ELEMENTWISE_MERGES, WINDOW_POOLS, GLOBAL_POOLS, ADAPTIVE_POOLS, LOCAL_NORMS,
              PLUMBING, TENSOR_EXPRESSIONS),
        _zero,
    ),
)  # fmt: skip

KERAS_PER_OUTPUT = {k.Gelu: 4, k.Silu: 2, k.HardSigmoid: 2, k.HardSwish: 3, k.Mish: 1, k.Softmax: 5}


def _keras_conv(c: LayerCost) -> int:
    if c.groups > 1:
        return _bias(c)  # Keras runs a grouped convolution as a nested function the profiler does not enter
    return 2 * c.macs + _bias(c)


def _keras_transposed(c: LayerCost) -> int:
    """Counted on the output before cropping, per output over the strides."""
    full_bias = c.full_outputs if c.bias else 0
    if c.spatial_axes == 3:
        return full_bias  # Conv3DBackpropInputV2 has no FLOPs statistic
    return 2 * c.full_outputs * c.window * c.in_channels // c.strides + full_bias


def _keras_layer_norm(c: LayerCost) -> int:
    positions = c.inputs // c.channels  # each normalised over its channels
    return 9 * c.inputs + 4 * positions if c.affine else 6 * c.inputs + 5 * positions


KERAS = table(
    ((k.Conv,), _keras_conv),
    # Dense on a rank > 2 input runs tf.tensordot: a MatMul of (positions, C)·(C, Out), 2·k per output
    # value, then AddV2 of the bias, one per output value (flops_registry, math_ops._calc_mat_mul_flops)
    ((k.DepthwiseConv, k.SeparableConv, k.LocallyConnected, k.Dense, k.PointwiseLinear),
     lambda c: 2 * c.macs + _bias(c)),
    (TRANSPOSED, _keras_transposed),
    (BATCH_NORM, lambda c: 2 * c.inputs + (6 if c.affine else 5) * c.channels),
    ((k.LayerNorm,), _keras_layer_norm),
    ((k.GroupNorm, k.InstanceNorm),
     lambda c: 6 * c.inputs + (3 * c.channels + 4 * c.groups if c.affine else 5 * c.groups)),
    (kinds(k.MaxPool, k.AvgPool, ADAPTIVE_POOLS), lambda c: c.outputs * c.window if c.spatial_axes < 3 else 0),
    ((k.GlobalAvgPool,), _inputs),  # the 3-D pools above have no statistic
    # keras.ops.mean is tf.reduce_mean: Mean counts one per input value (_reduction_op_flops with
    # reduce 1, finalize 1); the layer scale's γ·x is one Mul per output value
    ((k.ReduceMean,), _inputs),
    ((k.LayerScale,), _outputs),
    # Keras computes x·scale + offset whatever the constants: a Mul and an AddV2 per value. Normalization
    # is (x − mean)/maximum(√variance, ε): Sub and RealDiv per value, Maximum once per channel (Sqrt
    # has no statistic); the frozen graph keeps them (measured in TensorFlow 2.21's profiler)
    ((k.Rescaling,), lambda c: 2 * c.outputs),
    ((k.Normalization,), lambda c: 2 * c.inputs + c.channels),
    ((k.AddMerge, k.MultiplyMerge, k.MaximumMerge, k.MinimumMerge), lambda c: (c.arity - 1) * c.outputs),
    ((k.SubtractMerge,), _outputs),
    ((k.AverageMerge,), lambda c: c.arity * c.outputs),  # n − 1 additions and a scaling per value
    ((k.PReLU,), lambda c: 3 * c.outputs + c.channels),
    ((k.Upsample,), lambda c: c.spatial_axes if c.mode == "nearest" else 0),  # a shape product per repeated axis
    (tuple(KERAS_PER_OUTPUT), lambda c: KERAS_PER_OUTPUT[c.kind] * c.outputs),
    (
        kinds(without(SIMPLE_ACTIVATIONS, *KERAS_PER_OUTPUT), k.LPPool, k.GlobalMaxPool, LOCAL_NORMS,
              without(PLUMBING, k.Upsample)),
        _zero,
    ),
)  # fmt: skip

TABLES: Mapping[str, Mapping[type[Layer], Callable[[LayerCost], object]]] = {
    "fvcore": FVCORE,
    "thop": THOP,
    "ptflops": PTFLOPS,
    "torchinfo": TORCHINFO,
    "keras": KERAS,
}


def rule_of(convention: str, rules: Mapping[type[Layer], Any], c: LayerCost) -> Any:
    """`convention`'s rule for the layer's kind, or a refusal naming both."""
    try:
        return rules[c.kind]
    except KeyError:
        raise UnsupportedSpecError(
            _("the {convention} convention does not know how {convention} counts layer kind {kind!r}").format(
                convention=convention, kind=c.kind.kind
            ),
            hint=_("count with another convention, or teach {file} this kind").format(
                file="cnncalc/analysis/conventions.py"
            ),
        ) from None


def _by_table(convention: str, rules: Table) -> Rule:
    return lambda c: rule_of(convention, rules, c)(c)


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
        _weights, N_("weights-only MACs of convolutions and dense layers (torchvision's GFLOPS)")
    ),
    "fvcore": Convention.whole_batch(
        _by_table("fvcore", FVCORE),
        N_("fvcore FlopCountAnalysis: MACs; batch norm, average pooling to a size, upsampling"),
    ),
    "thop": Convention(
        _by_table("thop", THOP),
        N_("thop profile: MACs; transposed convolutions per output value; batch norm 4 per value"),
        _thop_at,
    ),
    # ptflops divides its module hooks' counts by the batch but not its functional calls' counts.
    "ptflops": Convention(
        _ptflops, N_("ptflops (pytorch backend): MACs with bias; activations, pooling, norm 2 per value"), _ptflops_at
    ),
    "torchinfo": Convention.whole_batch(
        _by_table("torchinfo", TORCHINFO),
        N_("torchinfo total mult-adds: MACs with bias; transposed convolutions per output"),
    ),
    "keras": Convention.one_input(
        _by_table("keras", KERAS),
        N_("Keras model in TensorFlow's profiler: FLOPs (2 per MAC) with bias, norms, pooling, merges"),
    ),
}


@dataclass(frozen=True)
class ConventionTotal(Displayed):
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
    if isinstance(layer, k.ConvTranspose):
        per_output = prod(output) * in_channels // layer.groups * layer.kernel_volume(output)
        pads = layer._pads(inputs[0][:-1])
        full_outputs = prod(tuple(o + b + e for o, (b, e) in zip(output[:-1], pads, strict=True))) * output[-1]
        windows = layer.windows(inputs[0])
        window, strides = prod(tuple(w.kernel for w in windows)), prod(tuple(w.stride for w in windows))
    elif isinstance(layer, k.MaxPool | k.AvgPool):
        window = prod(tuple(w.kernel for w in layer.windows(inputs[0])))
    elif isinstance(layer, k.AdaptivePool):
        window = prod(tuple(i // o for i, o in zip(inputs[0][:-1], output[:-1], strict=True)))
    elif isinstance(layer, k.LocalResponseNorm):
        window = layer.size
    groups = getattr(layer, "groups", output[-1] if isinstance(layer, k.InstanceNorm) else 1)
    return LayerCost(
        type(layer),
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
        shrink=_shrink(inputs[0], output) if isinstance(layer, AVERAGE_TO_SIZE) else 0.0,
    )


def count(graph: Graph, convention: str, summary: Summary | None = None, batch: int = 1) -> ConventionTotal:
    """The network's total as `convention`'s tool reports it for a batch, and its split by layer kind."""
    if convention not in CONVENTIONS:
        hint = _("choose one of {names}").format(names=", ".join(CONVENTIONS))
        raise ValidationSpecError(_("unknown convention {name!r}").format(name=convention), hint=hint)
    if type(batch) is not int or batch < 1:
        message = _("the batch must be a positive integer, got {value}").format(value=repr(batch))
        raise ValidationSpecError(message, hint=_("e.g. {example}").format(example="--batch 32"))
    chosen = CONVENTIONS[convention]
    by_kind: dict[str, Fraction | int] = {}
    for cost in layer_costs(graph, summary):
        value = chosen.at_batch(cost, batch)
        if value:
            by_kind[cost.kind.kind] = by_kind.get(cost.kind.kind, 0) + value
    total = math.floor(sum(by_kind.values()))  # ptflops truncates its (float) total
    by_kind_whole = {k: math.floor(v) for k, v in by_kind.items()}
    return ConventionTotal(convention, chosen.description, total, by_kind_whole, batch)


def every_convention(graph: Graph, batch: int = 1) -> tuple[ConventionTotal, ...]:
    return tuple(count(graph, name, batch=batch) for name in CONVENTIONS)
