"""Export a network as a readable Keras 3 builder function (functional API, channels last as Keras).

Every Keras layer is named as its variable: an identifier from python_source, so spec names (data)
never become code, and two names that fold together (a, fullwidth ａ) still give two layers.
"""

from __future__ import annotations

from cnncalc.errors import UnsupportedSpecError, ValidationSpecError
from cnncalc.export.python_source import identifier, identifiers, literal
from cnncalc.graph import Graph
from cnncalc.layers.activation import ELU, Dropout, LeakyReLU, PReLU, SpatialDropout
from cnncalc.layers.base import per_axis, spatial
from cnncalc.layers.conv import Conv, ConvTranspose, DepthwiseConv, SeparableConv
from cnncalc.layers.dense import Dense, PointwiseLinear
from cnncalc.layers.merge import Concat
from cnncalc.layers.norm import BatchNorm, GroupNorm, InstanceNorm, LayerNorm, LayerScale, LocalResponseNorm
from cnncalc.layers.pool import AvgPool, GlobalPool, MaxPool, ReduceMean
from cnncalc.layers.resample import Upsample
from cnncalc.layers.reshape import CenterCrop, ChannelShuffle, Crop, Slice, ZeroPad
from cnncalc.layers.window import WindowLayer, per_side
from cnncalc.spec.model import Node

ACTIVATIONS = {
    "relu": "relu", "relu6": "relu6", "tanh": "tanh", "sigmoid": "sigmoid", "hard_sigmoid": "hard_sigmoid",
    "gelu": "gelu", "silu": "silu", "hard_swish": "hard_silu", "mish": "mish", "softplus": "softplus",
    "softsign": "softsign", "selu": "selu", "softmax": "softmax", "log_softmax": "log_softmax", "identity": "linear",
}  # fmt: skip
MERGES = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply", "average": "Average", "maximum": "Maximum",
          "minimum": "Minimum"}  # fmt: skip


# Names the generated module uses itself (builtins are never given anyway).
MODULE_GLOBALS = frozenset({"keras", "layers"})


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_value(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return literal(value) if isinstance(value, str) else repr(value)


def layer_names(graph: Graph, function_name: str = "build") -> dict[str, str]:
    """Each node's variable, which is also its Keras layer name, in node order."""
    return identifiers((node.name for node in graph.nodes), MODULE_GLOBALS | {function_name})


def _layer(cls: str, module: str = "layers.", **kwargs: object) -> str:
    return f"{module}{cls}(" + ", ".join(f"{k}={_value(v)}" for k, v in kwargs.items()) + ")"


# Layers Keras lacks, written into the exported module when a network needs them; their names start
# with _, which no identifier() of a spec name does.
LRN_HELPER = '''class _LocalResponseNorm(keras.layers.Layer):
    """x / (k + alpha/size * sum of x^2 over `size` neighbouring channels)^beta, as PyTorch's LocalResponseNorm."""

    def __init__(self, size, alpha, beta, k, **kwargs):
        super().__init__(**kwargs)
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def call(self, x):
        channels, rank = x.shape[-1], len(x.shape)
        squares = keras.ops.pad(keras.ops.square(x), [(0, 0)] * (rank - 1) + [(self.size // 2, (self.size - 1) // 2)])
        summed = sum(squares[..., i : i + channels] for i in range(self.size))
        return x / keras.ops.power(self.k + self.alpha / self.size * summed, self.beta)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "size": self.size, "alpha": self.alpha, "beta": self.beta, "k": self.k}'''
PAD_FOR_MAX_HELPER = '''class _PadForMax(keras.layers.Layer):
    """Pads the spatial axes with -inf: padding is never a window's maximum (PyTorch's max pooling)."""

    def __init__(self, padding, **kwargs):
        super().__init__(**kwargs)
        self.padding = tuple(tuple(pair) for pair in padding)

    def call(self, x):
        return keras.ops.pad(x, [(0, 0), *self.padding, (0, 0)], constant_values=float("-inf"))

    def compute_output_shape(self, input_shape):
        inside = zip(input_shape[1:-1], self.padding)
        return (input_shape[0], *(None if n is None else n + b + e for n, (b, e) in inside), input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}'''

SLICE_HELPER = '''class _Slice(keras.layers.Layer):
    """Channels [start, stop) of the input (the last axis): one part of a split."""

    def __init__(self, start, stop, **kwargs):
        super().__init__(**kwargs)
        self.start, self.stop = start, stop

    def call(self, x):
        return x[..., self.start : self.stop]

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.stop - self.start)

    def get_config(self):
        return {**super().get_config(), "start": self.start, "stop": self.stop}'''
CHANNEL_SHUFFLE_HELPER = '''class _ChannelShuffle(keras.layers.Layer):
    """ShuffleNet's channel shuffle on the last axis: (groups, C/groups) transposed, as PyTorch's ChannelShuffle."""

    def __init__(self, groups, **kwargs):
        super().__init__(**kwargs)
        self.groups = groups

    def call(self, x):
        shape = keras.ops.shape(x)
        grouped = keras.ops.reshape(x, (-1, *shape[1:-1], self.groups, shape[-1] // self.groups))
        return keras.ops.reshape(keras.ops.swapaxes(grouped, -1, -2), (-1, *shape[1:]))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "groups": self.groups}'''
LAYER_SCALE_HELPER = '''class _LayerScale(keras.layers.Layer):
    """gamma * x, a learnt multiplier per channel (the last axis), as Keras's ConvNeXt builds it."""

    def build(self, input_shape):
        self.gamma = self.add_weight(name="gamma", shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return input_shape'''
REDUCE_MEAN_HELPER = '''class _ReduceMean(keras.layers.Layer):
    """The mean over `axes` (counted with the batch as axis 0), as keras.ops.mean."""

    def __init__(self, axes, keepdims, **kwargs):
        super().__init__(**kwargs)
        self.axes, self.keepdims = tuple(axes), keepdims

    def call(self, x):
        return keras.ops.mean(x, axis=self.axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return tuple(1 if axis in self.axes else n for axis, n in enumerate(input_shape))
        return tuple(n for axis, n in enumerate(input_shape) if axis not in self.axes)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "keepdims": self.keepdims}'''


class _Writer:
    def __init__(self, graph: Graph, function_name: str) -> None:
        self.graph = graph
        self.lines: list[str] = []
        self.vars = layer_names(graph, function_name)
        self.taken = MODULE_GLOBALS | {function_name} | set(self.vars.values())
        self.helpers: set[str] = set()  # the helper layers the generated code needs

    def unsupported(self, node: Node, why: str) -> UnsupportedSpecError:
        # The location names the layer; the message names its kind.
        return UnsupportedSpecError(f"{node.kind} cannot be exported to Keras: {why}", location=node.location)

    def fresh(self, node: Node, suffix: str) -> str:
        """A name for a helper layer of `node` (its padding, its flattening) that no other layer has."""
        name = identifier(node.name + suffix, self.taken)
        self.taken |= {name}
        return name

    def add(self, name: str, code: str, source: str) -> str:
        self.lines.append(f"    {name} = {code}({source})")
        return name

    def emit(self, node: Node) -> None:
        layer, kind = node.layer, node.kind
        inputs, output = self.graph.input_shapes(node), self.graph.shapes[node.name]
        ndim = len(inputs[0]) - 1 if inputs else 0
        xs = [self.vars[i] for i in node.inputs]
        label = self.vars[node.name]
        if not node.inputs:
            self.lines.append(f"    {label} = keras.Input(shape={_value(output)}, name={literal(label)})")
            return
        x = xs[0]
        if kind in ACTIVATIONS:
            code = _layer("Activation", activation=ACTIVATIONS[kind], name=label)
        elif isinstance(layer, LeakyReLU):
            code = _layer("LeakyReLU", negative_slope=layer.alpha, name=label)
        elif isinstance(layer, ELU):
            code = _layer("ELU", alpha=layer.alpha, name=label)
        elif isinstance(layer, PReLU):  # a slope per channel: shared over the spatial axes
            axes = tuple(range(1, len(output) + 1 if layer.shared else len(output)))
            code = _layer("PReLU", shared_axes=axes or None, name=label)
        elif isinstance(layer, Dropout | SpatialDropout):
            cls = "Dropout" if kind == "dropout" else f"SpatialDropout{ndim}D"
            code = _layer(cls, rate=layer.rate, name=label)
        elif kind in ("conv", "depthwise_conv", "separable_conv", "conv_transpose"):
            x, code = self.windowed(node, x, label, ndim)
        elif kind in ("max_pool", "avg_pool"):
            x, code = self.pooling(node, x, label, ndim)
        elif isinstance(layer, LocalResponseNorm):
            self.helpers.add(LRN_HELPER)
            code = _layer("_LocalResponseNorm", "", size=layer.size, alpha=layer.alpha, beta=layer.beta, k=layer.k,
                          name=label)  # fmt: skip
        elif isinstance(layer, GlobalPool):
            cls = "GlobalAveragePooling" if kind == "global_avg_pool" else "GlobalMaxPooling"
            code = _layer(f"{cls}{ndim}D", keepdims=layer.keepdims, name=label)
        elif kind in ("adaptive_avg_pool", "adaptive_max_pool"):
            sizes, outs = spatial(inputs[0]), spatial(output)
            if any(w % o for w, o in zip(sizes, outs, strict=True)):
                raise self.unsupported(node, "adaptive pooling with uneven windows")
            pool = tuple(w // o for w, o in zip(sizes, outs, strict=True))
            cls = "AveragePooling" if kind == "adaptive_avg_pool" else "MaxPooling"
            code = _layer(f"{cls}{ndim}D", pool_size=pool, name=label)
        elif isinstance(layer, Dense):
            if len(inputs[0]) > 1:
                flat = self.fresh(node, "_flatten")
                x = self.add(flat, _layer("Flatten", name=flat), x)
            code = _layer("Dense", units=layer.units, use_bias=layer.bias, name=label)
        elif kind == "flatten":
            code = _layer("Flatten", name=label)
        elif kind == "reshape":
            code = _layer("Reshape", target_shape=output, name=label)
        elif isinstance(layer, BatchNorm):
            if not layer.track_running_stats:
                raise self.unsupported(node, "Keras batch norm always keeps running statistics")
            code = _layer("BatchNormalization", epsilon=layer.epsilon, momentum=1 - layer.momentum,
                          center=layer.has_beta, scale=layer.has_gamma, name=label)  # fmt: skip
        elif isinstance(layer, GroupNorm | InstanceNorm):
            groups = layer.groups if isinstance(layer, GroupNorm) else output[-1]
            code = _layer("GroupNormalization", groups=groups, epsilon=layer.epsilon, center=layer.affine,
                          scale=layer.affine, name=label)  # fmt: skip
        elif isinstance(layer, LayerNorm):
            code = _layer("LayerNormalization", epsilon=layer.epsilon, center=layer.affine, scale=layer.affine,
                          name=label)  # fmt: skip
        elif isinstance(layer, Upsample):
            scales = per_axis(layer.scale, ndim, "scale")
            extra = {"interpolation": "nearest" if layer.mode == "nearest" else "bilinear"} if ndim == 2 else {}
            code = _layer(f"UpSampling{ndim}D", size=scales if ndim > 1 else scales[0], **extra, name=label)
        elif isinstance(layer, ZeroPad):
            code = _layer(f"ZeroPadding{ndim}D", padding=per_side(layer.padding, ndim, "padding"), name=label)
        elif isinstance(layer, Crop | CenterCrop):
            crops = per_side(layer.cropping, ndim, "cropping") if isinstance(layer, Crop) else layer._crops(inputs)
            code = _layer(f"Cropping{ndim}D", cropping=crops, name=label)
            x = xs[0]
        elif kind in MERGES:
            if kind == "subtract" and len(xs) != 2:
                raise self.unsupported(node, "Keras Subtract takes exactly two inputs")
            code, x = _layer(MERGES[kind], name=label), "[" + ", ".join(xs) + "]"
        elif isinstance(layer, Concat):
            code, x = _layer("Concatenate", axis=layer.axis, name=label), "[" + ", ".join(xs) + "]"
        elif isinstance(layer, PointwiseLinear):  # Keras's Dense works on the last axis of any rank
            code = _layer("Dense", units=layer.units, use_bias=layer.bias, name=label)
        elif isinstance(layer, Slice):
            self.helpers.add(SLICE_HELPER)
            code = _layer("_Slice", "", start=layer.start, stop=layer.stop, name=label)
        elif isinstance(layer, ChannelShuffle):
            self.helpers.add(CHANNEL_SHUFFLE_HELPER)
            code = _layer("_ChannelShuffle", "", groups=layer.groups, name=label)
        elif isinstance(layer, LayerScale):
            self.helpers.add(LAYER_SCALE_HELPER)
            code = _layer("_LayerScale", "", name=label)
        elif isinstance(layer, ReduceMean):
            self.helpers.add(REDUCE_MEAN_HELPER)
            axes = tuple(a + 1 for a in layer.reduced(inputs[0]))
            code = _layer("_ReduceMean", "", axes=axes, keepdims=layer.keepdims, name=label)
        else:
            raise self.unsupported(node, "Keras has no such layer")
        self.add(label, code, x)

    def padded(self, node: Node, x: str, cls: str, pads: tuple[tuple[int, int], ...]) -> str:
        """`x` padded by a layer of its own, before `node`'s layer."""
        name = self.fresh(node, "_pad")
        return self.add(name, _layer(cls, "" if cls.startswith("_") else "layers.", padding=pads, name=name), x)

    def windowed(self, node: Node, x: str, label: str, ndim: int) -> tuple[str, str]:
        layer = node.layer
        inputs = self.graph.input_shapes(node)
        if not isinstance(layer, WindowLayer):
            raise self.unsupported(node, "Keras has no such layer")
        if getattr(layer, "padding_mode", "zeros") != "zeros":
            raise self.unsupported(node, "Keras convolutions pad with zeros only")
        if getattr(layer, "groups", 1) != 1 and isinstance(layer, ConvTranspose):
            raise self.unsupported(node, "Keras transposed convolutions have no groups")
        wins = layer.windows(inputs[0])
        kernel, strides = tuple(w.kernel for w in wins), tuple(w.stride for w in wins)
        dilation = tuple(w.dilation for w in wins)
        padding = "same" if layer.padding == "same" else "valid"
        if isinstance(layer, ConvTranspose):
            extra = per_axis(layer.output_padding, ndim, "output_padding")
            pads = layer._pads(spatial(inputs[0]))
            cropped = any(b or e for b, e in pads)
            full = self.fresh(node, "_full") if cropped else label
            code = _layer(f"Conv{ndim}DTranspose", filters=layer.filters, kernel_size=kernel, strides=strides,
                          padding="valid", output_padding=extra if any(extra) else None, dilation_rate=dilation,
                          use_bias=layer.bias, name=full)  # fmt: skip
            if cropped:  # PyTorch-style padding removes rows from the full output
                x = self.add(full, code, x)
                return x, _layer(f"Cropping{ndim}D", cropping=tuple(pads), name=label)
            return x, code
        if padding == "valid" and any(w.pad_begin or w.pad_end for w in wins):
            x = self.padded(node, x, f"ZeroPadding{ndim}D", tuple((w.pad_begin, w.pad_end) for w in wins))
        if isinstance(layer, Conv):
            return x, _layer(f"Conv{ndim}D", filters=layer.filters, kernel_size=kernel, strides=strides,
                             padding=padding, dilation_rate=dilation, groups=layer.groups, use_bias=layer.bias,
                             name=label)  # fmt: skip
        if isinstance(layer, DepthwiseConv):
            return x, _layer(f"DepthwiseConv{ndim}D", kernel_size=kernel, strides=strides, padding=padding,
                             depth_multiplier=layer.depth_multiplier, dilation_rate=dilation, use_bias=layer.bias,
                             name=label)  # fmt: skip
        if isinstance(layer, SeparableConv):
            return x, _layer(f"SeparableConv{ndim}D", filters=layer.filters, kernel_size=kernel, strides=strides,
                             padding=padding, depth_multiplier=layer.depth_multiplier, dilation_rate=dilation,
                             use_bias=layer.bias, name=label)  # fmt: skip
        raise self.unsupported(node, "Keras has no such layer")

    def pooling(self, node: Node, x: str, label: str, ndim: int) -> tuple[str, str]:
        """Keras pools without ceil mode, padding values or dilation; what PyTorch's pooling does with
        them is written out (padding with -inf for max), or refused where it cannot be exact."""
        layer = node.layer
        if not isinstance(layer, MaxPool | AvgPool):
            raise self.unsupported(node, "Keras has no such layer")
        wins, outs = layer.windows(self.graph.input_shapes(node)[0]), spatial(self.graph.shapes[node.name])
        if any(w.dilation != 1 for w in wins):
            raise self.unsupported(node, "Keras pooling has no dilation")
        # ceil mode: the last window may hang over the end; these extra cells make it fit
        extra = [
            max(0, (o - 1) * w.stride + w.span - (w.size + w.pad_begin + w.pad_end))
            for w, o in zip(wins, outs, strict=True)
        ]
        pads = tuple((w.pad_begin, w.pad_end + e) for w, e in zip(wins, extra, strict=True))
        cls = f"{'MaxPooling' if isinstance(layer, MaxPool) else 'AveragePooling'}{ndim}D"
        kernel, strides = tuple(w.kernel for w in wins), tuple(w.stride for w in wins)
        if layer.padding == "same" and not any(extra) and (isinstance(layer, MaxPool) or not layer.counts_padding):
            # Keras's 'same' leaves the padding out of both the maximum and the average
            return x, _layer(cls, pool_size=kernel, strides=strides, padding="same", name=label)
        if any(b or e for b, e in pads):
            if isinstance(layer, MaxPool):
                self.helpers.add(PAD_FOR_MAX_HELPER)
                x = self.padded(node, x, "_PadForMax", pads)
            elif any(extra):
                raise self.unsupported(node, "in ceil mode PyTorch averages the last window over the cells it covers "
                                       "only, which Keras cannot; make the windows fit with ZEROPAD (or padding) "
                                       "and ceil_mode=false")  # fmt: skip
            elif not layer.counts_padding:
                raise self.unsupported(node, "Keras averages padding only as zeros that count (or with 'same' "
                                       "padding); use count_include_pad=true, or padding=same")  # fmt: skip
            else:
                x = self.padded(node, x, f"ZeroPadding{ndim}D", pads)
        return x, _layer(cls, pool_size=kernel, strides=strides, padding="valid", name=label)


def to_keras(graph: Graph, function_name: str = "build") -> str:
    """Python source of `function_name()` returning a keras.Model of the network."""
    if identifier(function_name, MODULE_GLOBALS) != function_name:
        raise ValidationSpecError(f"function name {literal(function_name)} is not a plain Python identifier")
    writer = _Writer(graph, function_name)
    for node in graph.nodes:
        writer.emit(node)
    inputs = [writer.vars[n.name] for n in graph.nodes if not n.inputs]
    outputs = [writer.vars[n] for n in graph.spec.outputs]
    out = outputs[0] if len(outputs) == 1 else "[" + ", ".join(outputs) + "]"
    into = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
    title = graph.spec.name or "network"
    return "\n".join(
        [
            literal(f"{title}, exported by cnncalc as a Keras functional model (channels last)."),
            "",
            "import keras",
            "from keras import layers",
            "",
            "",
            *(line for helper in sorted(writer.helpers) for line in (helper, "", "")),
            f"def {function_name}() -> keras.Model:",
            *writer.lines,
            f"    return keras.Model({into}, {out}, name={literal(identifier(title))})",
            "",
        ]
    )
