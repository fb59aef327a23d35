"""Export a network as an ONNX graph (channels first) with initializers of the right shapes.

Needs the `onnx` package (extra 'onnx'). Weights are seeded random values unless given; the graph
is meant for inspection tools, converters, runtimes and shape checks, and passes onnx.checker.
The batch axis is symbolic ('batch') unless a fixed batch is asked for, and the file records the
lowest IR version its opset needs, not the installed onnx's newest: runtimes refuse IR versions
newer than they know (onnxruntime 1.20 stops at 10), and opset 20 needs only IR 9.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cnncalc.errors import SpecError, ValidationSpecError
from cnncalc.export.table import ExportTable, layer_as
from cnncalc.graph import Graph
from cnncalc.i18n import N_, _, number
from cnncalc.layers import kinds as k
from cnncalc.layers.base import Layer, Shape, per_axis, spatial
from cnncalc.layers.norm import KERAS_EPSILON
from cnncalc.spec.model import Node

OPSET = 20
BATCH = "batch"  # the name of the symbolic batch axis
PROTOBUF_LIMIT = 2**31  # bytes: protobuf cannot serialise a message of 2 GiB or more
UNARY: dict[type[Layer], str] = {
    k.Relu: "Relu", k.Sigmoid: "Sigmoid", k.Tanh: "Tanh", k.Selu: "Selu", k.Softplus: "Softplus",
    k.Softsign: "Softsign", k.HardSwish: "HardSwish", k.Mish: "Mish", k.Gelu: "Gelu", k.Identity: "Identity",
    k.Dropout: "Identity", k.SpatialDropout: "Identity",
}  # fmt: skip
VARIADIC: dict[type[Layer], str] = {
    k.AddMerge: "Sum",
    k.MaximumMerge: "Max",
    k.MinimumMerge: "Min",
    k.AverageMerge: "Mean",
}
BINARY: dict[type[Layer], str] = {k.SubtractMerge: "Sub", k.MultiplyMerge: "Mul"}
SOFTMAX: dict[type[Layer], str] = {k.Softmax: "Softmax", k.LogSoftmax: "LogSoftmax"}


@dataclass(frozen=True)
class Site:
    """One node as its handler writes it: its output tensor, its input tensors and the shapes around it."""

    node: Node
    name: str
    xs: list[str]
    inputs: tuple[Shape, ...]
    output: Shape


Handler = Callable[["_Builder", Site], None]
NO_SUCH_OPERATOR = N_("ONNX has no such operator")
TABLE: ExportTable[Handler] = ExportTable(
    "ONNX",
    {
        k.LocallyConnected: NO_SUCH_OPERATOR,
        k.LocalContrastNorm: NO_SUCH_OPERATOR,
        # GroupNormalization's scale and bias were per group in opset 18 and per channel from 21; cnncalc
        # writes opset 20, where no single operator means what its group norm means
        k.GroupNorm: N_("ONNX's GroupNormalization at opset 20 scales per group, not per channel"),
    },
)
PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def onnx_axis(axis: int, rank: int) -> int:
    """ONNX's axis (batch first, channels second) of axis `axis` of a channels-last cnncalc shape."""
    return 1 if axis == rank - 1 else axis + 2


def channels_first(shape: tuple[int, ...], batch: int | str = 1) -> list[int | str]:
    """ONNX's layout of a cnncalc shape (channels last, no batch): batch, channels, then the rest."""
    return [batch, shape[-1], *shape[:-1]] if len(shape) > 1 else [batch, *shape]


def utf8(text: str) -> str:
    """Text protobuf can store: a lone surrogate (valid in a Python str, not in UTF-8) becomes \\udXXX."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# Layer outputs keep the spec's names (tools show them); intermediate tensors are named LAYER:step
# and initializers LAYER.param, renumbered (#2) where a spec name already holds that text.
class _Builder:
    def __init__(self, graph: Graph, weights: Mapping[str, Mapping[str, Any]]) -> None:
        import numpy as np
        import onnx

        self.np, self.onnx, self.helper = np, onnx, onnx.helper
        self.graph = graph
        self.weights = weights
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.taken: set[str] = set()
        # names UTF-8 can carry first: they keep their spelling even if a lone surrogate's escape matches one
        names = sorted((node.name for node in graph.nodes), key=lambda name: utf8(name) != name)
        self.tensors = {name: self.fresh(name) for name in names}
        self.outputs = frozenset(self.tensors.values())

    def fresh(self, name: str) -> str:
        """A tensor name no other tensor has, from `name`."""
        base = candidate = utf8(name)
        number = 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}#{number}"
        self.taken.add(candidate)
        return candidate

    def const(self, name: str, values: Any, dtype: Any = None) -> str:
        array = self.np.asarray(values, dtype=dtype or self.np.int64)
        name = self.fresh(name)
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def weight(self, node: Node, key: str, reshape: tuple[int, ...] | None = None) -> str:
        array = self.np.asarray(self.weights[node.name][key], dtype=self.np.float32)
        return self.const(
            f"{self.tensors[node.name]}.{key}", array.reshape(reshape) if reshape else array, self.np.float32
        )

    def filled(self, name: str, value: float, size: int) -> str:
        """A constant vector standing for a parameter the layer does not have (ONNX needs it)."""
        return self.const(name, [value] * size, self.np.float32)

    def op(self, op_type: str, inputs: list[str], output: str, **attrs: Any) -> str:
        output = output if output in self.outputs else self.fresh(output)
        self.nodes.append(self.helper.make_node(op_type, inputs, [output], name=output, **attrs))
        return output

    def unsupported(self, node: Node, why: str) -> SpecError:
        return TABLE.refusal(node, why)

    def emit(self, node: Node) -> None:
        write = TABLE.handler(node)
        xs = [self.tensors[i] for i in node.inputs]
        write(
            self, Site(node, self.tensors[node.name], xs, self.graph.input_shapes(node), self.graph.shapes[node.name])
        )

    def channels_last(self, node: Node, x: str) -> tuple[str, str]:
        """`x` with its channels moved to the last axis (ONNX is channels first), and the name of the
        operation's own output before `channels_back` moves them back; rank-2 tensors stay as they are."""
        name, rank = self.tensors[node.name], len(self.graph.shapes[node.name]) + 1  # with the batch
        if rank == 2:
            return x, name
        return self.op("Transpose", [x], f"{name}:last", perm=[0, *range(2, rank), 1]), f"{name}:channels_last"

    def channels_back(self, node: Node, out: str) -> None:
        name, rank = self.tensors[node.name], len(self.graph.shapes[node.name]) + 1
        if rank > 2:
            self.op("Transpose", [out], name, perm=[0, rank - 1, *range(1, rank - 1)])

    def pointwise_linear(self, node: Node, layer: k.PointwiseLinear, x: str) -> None:
        """MatMul by the transposed (out, in) weight over the last axis, then Add, channels last."""
        x, result = self.channels_last(node, x)
        matrix = self.np.asarray(self.weights[node.name]["weight"], dtype=self.np.float32).T
        product = result if not layer.bias else f"{result}:matmul"
        out = self.op("MatMul", [x, self.const(f"{self.tensors[node.name]}.weight", matrix, self.np.float32)], product)
        if layer.bias:
            out = self.op("Add", [out, self.weight(node, "bias")], result)
        self.channels_back(node, out)

    def layer_norm(self, node: Node, layer: k.LayerNorm, x: str) -> None:
        """LayerNormalization (opset 17) over the last axis, channels last: cnncalc normalizes over
        the channels at each position, as PyTorch's LayerNorm(C) after a permute does."""
        x, result = self.channels_last(node, x)
        channels = self.graph.shapes[node.name][-1]
        affine = (
            [self.weight(node, "weight"), self.weight(node, "bias")]
            if layer.affine
            else [
                self.filled(f"{self.tensors[node.name]}.unit", 1.0, channels),
                self.filled(f"{self.tensors[node.name]}.shift0", 0.0, channels),
            ]
        )
        out = self.op("LayerNormalization", [x, *affine], result, axis=-1, epsilon=layer.epsilon)
        self.channels_back(node, out)

    def convolution(
        self, node: Node, layer: k.Conv | k.DepthwiseConv | k.SeparableConv | k.ConvTranspose, x: str
    ) -> None:
        name = self.tensors[node.name]
        inputs = self.graph.input_shapes(node)
        wins = layer.windows(inputs[0])
        attrs: dict[str, Any] = {
            "kernel_shape": [w.kernel for w in wins],
            "strides": [w.stride for w in wins],
            "dilations": [w.dilation for w in wins],
        }
        if isinstance(layer, k.ConvTranspose):
            sides = layer._pads(spatial(inputs[0]))
            if any(b < 0 or e < 0 for b, e in sides):
                raise self.unsupported(node, _("negative padding"))
            extra = per_axis(layer.output_padding, len(wins), "output_padding")
            attrs |= {
                "pads": [b for b, _ in sides] + [e for _, e in sides],
                "group": layer.groups,
                "output_padding": list(extra),
            }
            weights = [self.weight(node, "weight")] + ([self.weight(node, "bias")] if layer.bias else [])
            self.op("ConvTranspose", [x, *weights], name, **attrs)
            return
        mode = getattr(layer, "padding_mode", "zeros")
        pads = [w.pad_begin for w in wins] + [w.pad_end for w in wins]
        if mode != "zeros":
            pad_values = self.const(f"{name}.pads", [0, 0, *pads[: len(wins)], 0, 0, *pads[len(wins) :]])
            x = self.op("Pad", [x, pad_values], f"{name}:pad", mode=PAD_MODES[mode])
            pads = [0] * len(pads)
        attrs["pads"] = pads
        c_in = inputs[0][-1]
        if isinstance(layer, k.SeparableConv):
            depthwise = self.op("Conv", [x, self.weight(node, "depthwise")], f"{name}:depthwise", group=c_in, **attrs)
            ones = [1] * len(wins)
            weights = [self.weight(node, "pointwise")] + ([self.weight(node, "bias")] if layer.bias else [])
            self.op("Conv", [depthwise, *weights], name, kernel_shape=ones, strides=ones)
            return
        group = layer.groups if isinstance(layer, k.Conv) else c_in
        weights = [self.weight(node, "weight")] + ([self.weight(node, "bias")] if layer.bias else [])
        self.op("Conv", [x, *weights], name, group=group, **attrs)

    def pooling(self, node: Node, layer: k.MaxPool | k.AvgPool | k.LPPool, x: str) -> None:
        name = self.tensors[node.name]
        wins = layer.windows(self.graph.input_shapes(node)[0])
        attrs: dict[str, Any] = {
            "kernel_shape": [w.kernel for w in wins],
            "strides": [w.stride for w in wins],
            "pads": [w.pad_begin for w in wins] + [w.pad_end for w in wins],
            "ceil_mode": int(layer.ceil_mode),
        }
        if isinstance(layer, k.MaxPool):
            self.op("MaxPool", [x], name, dilations=[w.dilation for w in wins], **attrs)
        elif isinstance(layer, k.AvgPool):
            self.op("AveragePool", [x], name, count_include_pad=int(layer.counts_padding), **attrs)
        else:
            if float(layer.power) != int(layer.power):
                raise self.unsupported(node, _("ONNX LpPool needs an integer power"))
            self.op("LpPool", [x], name, p=int(layer.power), **attrs)

    def adaptive(self, node: Node, x: str) -> None:
        name = self.tensors[node.name]
        sizes, outs = spatial(self.graph.input_shapes(node)[0]), spatial(self.graph.shapes[node.name])
        if any(w % o for w, o in zip(sizes, outs, strict=True)):
            raise self.unsupported(node, _("adaptive pooling with uneven windows"))
        kernel = [w // o for w, o in zip(sizes, outs, strict=True)]
        op = "AveragePool" if isinstance(node.layer, k.AdaptiveAvgPool) else "MaxPool"
        self.op(op, [x], name, kernel_shape=kernel, strides=kernel)

    def pad_or_crop(self, node: Node, layer: k.ZeroPad | k.Crop | k.CenterCrop, x: str) -> None:
        from cnncalc.layers.window import per_side

        inputs, name = self.graph.input_shapes(node), self.tensors[node.name]
        ndim = len(inputs[0]) - 1
        if isinstance(layer, k.ZeroPad):
            pads = per_side(layer.padding, ndim, "padding")
            values = [0, 0, *(b for b, _ in pads), 0, 0, *(e for _, e in pads)]
            self.op("Pad", [x, self.const(f"{name}.pads", values)], name, mode="constant")
            return
        crops = per_side(layer.cropping, ndim, "cropping") if isinstance(layer, k.Crop) else layer._crops(inputs)
        sizes = spatial(inputs[0])
        starts = self.const(f"{name}.starts", [b for b, _ in crops])
        ends = self.const(f"{name}.ends", [w - e for (_, e), w in zip(crops, sizes, strict=True)])
        axes = self.const(f"{name}.axes", list(range(2, 2 + ndim)))
        self.op("Slice", [x, starts, ends, axes], name)


@TABLE.writes(k.Input)
def _input(b: _Builder, s: Site) -> None:
    """The graph's input, which to_onnx declares: no node."""


@TABLE.writes(*UNARY)
def _unary(b: _Builder, s: Site) -> None:
    b.op(UNARY[type(s.node.layer)], s.xs, s.name)


@TABLE.writes(k.Conv, k.DepthwiseConv, k.SeparableConv, k.ConvTranspose)
def _convolution(b: _Builder, s: Site) -> None:
    layer = s.node.layer
    assert isinstance(layer, k.Conv | k.DepthwiseConv | k.SeparableConv | k.ConvTranspose)
    b.convolution(s.node, layer, s.xs[0])


@TABLE.writes(k.MaxPool, k.AvgPool, k.LPPool)
def _pooling(b: _Builder, s: Site) -> None:
    layer = s.node.layer
    assert isinstance(layer, k.MaxPool | k.AvgPool | k.LPPool)
    b.pooling(s.node, layer, s.xs[0])


@TABLE.writes(k.GlobalAvgPool, k.GlobalMaxPool)
def _global_pool(b: _Builder, s: Site) -> None:
    layer = layer_as(s.node, k.GlobalPool)
    op = "GlobalAveragePool" if isinstance(layer, k.GlobalAvgPool) else "GlobalMaxPool"
    if layer.keepdims:
        b.op(op, s.xs, s.name)
    else:
        b.op("Flatten", [b.op(op, s.xs, f"{s.name}:pool")], s.name, axis=1)


@TABLE.writes(k.AdaptiveAvgPool, k.AdaptiveMaxPool)
def _adaptive_pool(b: _Builder, s: Site) -> None:
    b.adaptive(s.node, s.xs[0])


@TABLE.writes(k.Dense)
def _dense(b: _Builder, s: Site) -> None:
    layer = layer_as(s.node, k.Dense)
    source = s.xs[0] if len(s.inputs[0]) == 1 else b.op("Flatten", s.xs, f"{s.name}:flatten", axis=1)
    weights = [b.weight(s.node, "weight")] + ([b.weight(s.node, "bias")] if layer.bias else [])
    b.op("Gemm", [source, *weights], s.name, transB=1)


@TABLE.writes(k.Flatten)
def _flatten(b: _Builder, s: Site) -> None:
    b.op("Flatten", s.xs, s.name, axis=1)


@TABLE.writes(k.Reshape)
def _reshape(b: _Builder, s: Site) -> None:
    # 0 copies the input's size on that axis: the batch, whatever it is at run time
    b.op("Reshape", [s.xs[0], b.const(f"{s.name}.shape", channels_first(s.output, 0))], s.name)


@TABLE.writes(k.BatchNorm)
def _batch_norm(b: _Builder, s: Site) -> None:
    layer, name, channels = layer_as(s.node, k.BatchNorm), s.name, s.output[-1]
    if not layer.track_running_stats:
        raise b.unsupported(s.node, _("ONNX BatchNormalization needs running statistics"))
    gamma = b.weight(s.node, "weight") if layer.has_gamma else b.filled(f"{name}.unit", 1.0, channels)
    beta = b.weight(s.node, "bias") if layer.has_beta else b.filled(f"{name}.shift0", 0.0, channels)
    stats = [b.weight(s.node, k) for k in ("running_mean", "running_var")]
    b.op("BatchNormalization", [s.xs[0], gamma, beta, *stats], name, epsilon=layer.epsilon)


@TABLE.writes(k.InstanceNorm)
def _instance_norm(b: _Builder, s: Site) -> None:
    layer, name, channels = layer_as(s.node, k.InstanceNorm), s.name, s.output[-1]
    if layer.affine:
        scale, bias = b.weight(s.node, "weight"), b.weight(s.node, "bias")
    else:
        scale, bias = b.filled(f"{name}.scale", 1.0, channels), b.filled(f"{name}.B", 0.0, channels)
    b.op("InstanceNormalization", [s.xs[0], scale, bias], name, epsilon=layer.epsilon)


@TABLE.writes(k.LocalResponseNorm)
def _lrn(b: _Builder, s: Site) -> None:
    layer = layer_as(s.node, k.LocalResponseNorm)
    b.op("LRN", s.xs, s.name, size=layer.size, alpha=layer.alpha, beta=layer.beta, bias=layer.k)


@TABLE.writes(k.LeakyReLU)
def _leaky_relu(b: _Builder, s: Site) -> None:
    b.op("LeakyRelu", s.xs, s.name, alpha=layer_as(s.node, k.LeakyReLU).alpha)


@TABLE.writes(k.ELU)
def _elu(b: _Builder, s: Site) -> None:
    b.op("Elu", s.xs, s.name, alpha=layer_as(s.node, k.ELU).alpha)


@TABLE.writes(k.Relu6)
def _relu6(b: _Builder, s: Site) -> None:
    low = b.const(f"{s.name}.min", 0.0, b.np.float32)
    b.op("Clip", [s.xs[0], low, b.const(f"{s.name}.max", 6.0, b.np.float32)], s.name)


@TABLE.writes(k.HardSigmoid)
def _hard_sigmoid(b: _Builder, s: Site) -> None:
    b.op("HardSigmoid", s.xs, s.name, alpha=1 / 6, beta=0.5)


@TABLE.writes(k.Silu)
def _silu(b: _Builder, s: Site) -> None:
    b.op("Mul", [s.xs[0], b.op("Sigmoid", s.xs, f"{s.name}:sigmoid")], s.name)


@TABLE.writes(*SOFTMAX)
def _softmax(b: _Builder, s: Site) -> None:
    b.op(SOFTMAX[type(s.node.layer)], s.xs, s.name, axis=1)


def _per_channel(b: _Builder, s: Site, key: str) -> str:
    """The node's per-channel weight `key`, shaped (C, 1, …) to broadcast over a channels-first tensor."""
    return b.weight(s.node, key, (-1,) + (1,) * (len(s.output) - 1))


@TABLE.writes(k.PReLU)
def _prelu(b: _Builder, s: Site) -> None:
    b.op("PRelu", [s.xs[0], _per_channel(b, s, "weight")], s.name)


@TABLE.writes(k.Upsample)
def _upsample(b: _Builder, s: Site) -> None:
    layer = layer_as(s.node, k.Upsample)
    scales = [1.0, 1.0, *(float(f) for f in per_axis(layer.scale, len(s.output) - 1, "scale"))]
    mode = "nearest" if layer.mode == "nearest" else "linear"
    scale = b.const(f"{s.name}.scales", scales, b.np.float32)
    b.op("Resize", [s.xs[0], "", scale], s.name, mode=mode)


@TABLE.writes(k.ZeroPad, k.Crop, k.CenterCrop)
def _pad_or_crop(b: _Builder, s: Site) -> None:
    layer = s.node.layer
    assert isinstance(layer, k.ZeroPad | k.Crop | k.CenterCrop)
    b.pad_or_crop(s.node, layer, s.xs[0])


@TABLE.writes(*VARIADIC)
def _variadic(b: _Builder, s: Site) -> None:
    b.op(VARIADIC[type(s.node.layer)], s.xs, s.name)


@TABLE.writes(*BINARY)
def _binary(b: _Builder, s: Site) -> None:
    """ONNX's Sub and Mul take two inputs: more are chained, the last step named as the layer."""
    op, xs = BINARY[type(s.node.layer)], s.xs
    current = xs[0]
    for index, other in enumerate(xs[1:], start=1):
        current = b.op(op, [current, other], s.name if index == len(xs) - 1 else f"{s.name}:{index}")


@TABLE.writes(k.Concat)
def _concat(b: _Builder, s: Site) -> None:
    rank = len(s.inputs[0])
    b.op("Concat", s.xs, s.name, axis=onnx_axis(layer_as(s.node, k.Concat).axis % rank, rank))


@TABLE.writes(k.PointwiseLinear)
def _pointwise_linear(b: _Builder, s: Site) -> None:
    b.pointwise_linear(s.node, layer_as(s.node, k.PointwiseLinear), s.xs[0])


@TABLE.writes(k.LayerNorm)
def _layer_norm(b: _Builder, s: Site) -> None:
    b.layer_norm(s.node, layer_as(s.node, k.LayerNorm), s.xs[0])


@TABLE.writes(k.Slice)
def _slice(b: _Builder, s: Site) -> None:
    layer = layer_as(s.node, k.Slice)
    bounds = [b.const(f"{s.name}.starts", [layer.start]), b.const(f"{s.name}.ends", [layer.stop])]
    b.op("Slice", [s.xs[0], *bounds, b.const(f"{s.name}.axes", [1])], s.name)


@TABLE.writes(k.ChannelShuffle)
def _channel_shuffle(b: _Builder, s: Site) -> None:
    """(N, C, …) → (N, g, C/g, …), the two group axes swapped, then back to (N, C, …)."""
    layer, name = layer_as(s.node, k.ChannelShuffle), s.name
    c, rest = s.output[-1], list(s.output[:-1])
    grouped = b.const(f"{name}.groups", [0, layer.groups, c // layer.groups, *rest])
    swapped = b.op("Transpose", [b.op("Reshape", [s.xs[0], grouped], f"{name}:grouped")], f"{name}:swap",
                   perm=[0, 2, 1, *range(3, 3 + len(rest))])  # fmt: skip
    b.op("Reshape", [swapped, b.const(f"{name}.shape", [0, c, *rest])], name)


@TABLE.writes(k.LayerScale)
def _layer_scale(b: _Builder, s: Site) -> None:
    b.op("Mul", [s.xs[0], _per_channel(b, s, "gamma")], s.name)


@TABLE.writes(k.Rescaling)
def _rescaling(b: _Builder, s: Site) -> None:
    layer, name, shape = layer_as(s.node, k.Rescaling), s.name, (-1,) + (1,) * (len(s.output) - 1)
    # one number, or one per channel shaped (C, 1, …) to broadcast over a channels-first tensor
    scale, offset = (
        b.const(f"{name}.{key}", b.np.reshape(value, shape) if isinstance(value, tuple) else value, b.np.float32)
        for key, value in (("scale", layer.scale), ("offset", layer.offset))
    )
    b.op("Add", [b.op("Mul", [s.xs[0], scale], f"{name}:scaled"), offset], name)


@TABLE.writes(k.Normalization)
def _normalization(b: _Builder, s: Site) -> None:
    """Sub and Div: by constants when the statistics are given, else by initializers mean and variance
    (and count, which the graph does not read, so the file holds the 2C + 1 values Keras keeps)."""
    layer, name, shape = layer_as(s.node, k.Normalization), s.name, (-1,) + (1,) * (len(s.output) - 1)
    if layer.adapted:
        mean, variance = _per_channel(b, s, "mean"), _per_channel(b, s, "variance")
        b.weight(s.node, "count")
        root = b.op("Sqrt", [b.op("Abs", [variance], f"{name}:abs")], f"{name}:sqrt")  # abs as the executor
        deviation = b.op("Max", [root, b.const(f"{name}.epsilon", KERAS_EPSILON, b.np.float32)], f"{name}:deviation")
    else:
        column = lambda key, values: b.const(f"{name}.{key}", b.np.reshape(values, shape), b.np.float32)  # noqa: E731
        mean, deviation = column("mean", layer.mean), column("deviation", layer.deviations())
    b.op("Div", [b.op("Sub", [s.xs[0], mean], f"{name}:centred"), deviation], name)


@TABLE.writes(k.ReduceMean)
def _reduce_mean(b: _Builder, s: Site) -> None:
    layer, rank = layer_as(s.node, k.ReduceMean), len(s.inputs[0])
    axes = [onnx_axis(a, rank) for a in layer.reduced(s.inputs[0])]
    b.op("ReduceMean", [s.xs[0], b.const(f"{s.name}.axes", axes)], s.name, keepdims=int(layer.keepdims))


def _refuse_over_protobuf(size: int, what: str) -> None:
    if size >= PROTOBUF_LIMIT:
        raise ValidationSpecError(
            _("the ONNX model would be {size} GiB ({what}); one .onnx file holds less than 2 GiB").format(
                size=number(size / 2**30, ".1f"), what=what
            ),
            hint=_(
                "cnncalc writes single-file ONNX only (no external data): export a smaller variant "
                "(fewer filters or units, e.g. --set num_classes=10, or a smaller --input where dense layers follow it)"
            ),
        )


def to_onnx(graph: Graph, weights: Mapping[str, Mapping[str, Any]] | None = None, batch: int | None = None) -> Any:
    """An onnx.ModelProto of the network; raises for kinds ONNX cannot express and for models of 2 GiB or more.

    `batch` None makes the batch axis symbolic ('batch'); an integer fixes it.
    """
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 1):
        raise ValidationSpecError(_("batch must be a positive integer or None, got {batch!r}").format(batch=batch))
    try:
        import onnx
    except ImportError:
        raise SpecError(_("exporting ONNX needs the onnx package"), hint="pip install 'cnncalc[onnx]'") from None
    from cnncalc.executor.run import random_weights

    # 4 bytes a float32 parameter: refuse before allocating 11 GiB of weights that could not be written
    counts = (node.layer.params(graph.input_shapes(node), graph.shapes[node.name]) for node in graph.nodes[1:])
    _refuse_over_protobuf(4 * sum(count.total for count in counts), _("its float32 weights alone"))
    builder = _Builder(graph, weights or random_weights(graph, seed=0))
    first = graph.nodes[0]
    for node in graph.nodes[1:]:
        builder.emit(node)
    helper, float_type, axis = onnx.helper, onnx.TensorProto.FLOAT, BATCH if batch is None else batch
    tensor = builder.tensors
    inputs = [
        helper.make_tensor_value_info(tensor[first.name], float_type, channels_first(graph.shapes[first.name], axis))
    ]
    outputs = [
        helper.make_tensor_value_info(tensor[n], float_type, channels_first(graph.shapes[n], axis))
        for n in graph.spec.outputs
    ]
    model_graph = helper.make_graph(
        builder.nodes, utf8(graph.spec.name or "cnncalc"), inputs, outputs, builder.initializers,
        doc_string=utf8(graph.spec.description or ""),
    )  # fmt: skip
    opsets = [helper.make_opsetid("", OPSET)]
    model = helper.make_model(model_graph, opset_imports=opsets, producer_name="cnncalc")
    model.ir_version = helper.find_min_ir_version_for(opsets)  # 9 for opset 20; onnx writes its newest
    _refuse_over_protobuf(model.ByteSize(), _("weights and graph"))
    onnx.checker.check_model(model)
    return model
