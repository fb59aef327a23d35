"""Export a network as a readable Keras 3 builder function (functional API, channels last as Keras).

Every Keras layer is named as its variable: an identifier from python_source, so spec names (data)
never become code, and two names that fold together (a, fullwidth ａ) still give two layers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cnncalc.errors import UnsupportedSpecError, ValidationSpecError
from cnncalc.export.python_source import identifier, identifiers, literal
from cnncalc.export.table import ExportTable, layer_as
from cnncalc.graph import Graph
from cnncalc.i18n import N_, _
from cnncalc.layers import kinds as k
from cnncalc.layers.base import Layer, Shape, per_axis, spatial
from cnncalc.layers.window import WindowLayer, per_side
from cnncalc.spec.model import Node

ACTIVATIONS: dict[type[Layer], str] = {
    k.Relu: "relu", k.Relu6: "relu6", k.Tanh: "tanh", k.Sigmoid: "sigmoid", k.HardSigmoid: "hard_sigmoid",
    k.Gelu: "gelu", k.Silu: "silu", k.HardSwish: "hard_silu", k.Mish: "mish", k.Softplus: "softplus",
    k.Softsign: "softsign", k.Selu: "selu", k.Softmax: "softmax", k.LogSoftmax: "log_softmax", k.Identity: "linear",
}  # fmt: skip
MERGES: dict[type[Layer], str] = {
    k.AddMerge: "Add", k.SubtractMerge: "Subtract", k.MultiplyMerge: "Multiply", k.AverageMerge: "Average",
    k.MaximumMerge: "Maximum", k.MinimumMerge: "Minimum",
}  # fmt: skip


@dataclass(frozen=True)
class Site:
    """One node as its handler writes it: its Keras name, its input variables and the shapes around it."""

    node: Node
    label: str
    xs: list[str]
    inputs: tuple[Shape, ...]
    output: Shape

    @property
    def x(self) -> str:
        return self.xs[0]

    @property
    def ndim(self) -> int:
        """Spatial axes of the (first) input."""
        return len(self.inputs[0]) - 1 if self.inputs else 0


# The right-hand side of the node's line: a Keras layer called on its source.
Handler = Callable[["_Writer", Site], str]
NO_SUCH_LAYER = N_("Keras has no such layer")
TABLE: ExportTable[Handler] = ExportTable(
    "Keras", {k.LocallyConnected: NO_SUCH_LAYER, k.LocalContrastNorm: NO_SUCH_LAYER, k.LPPool: NO_SUCH_LAYER}
)


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
        return TABLE.refusal(node, why)

    def fresh(self, node: Node, suffix: str) -> str:
        """A name for a helper layer of `node` (its padding, its flattening) that no other layer has."""
        name = identifier(node.name + suffix, self.taken)
        self.taken |= {name}
        return name

    def add(self, name: str, code: str, source: str) -> str:
        self.lines.append(f"    {name} = {code}({source})")
        return name

    def emit(self, node: Node) -> None:
        write = TABLE.handler(node)
        site = Site(node, self.vars[node.name], [self.vars[i] for i in node.inputs], self.graph.input_shapes(node),
                    self.graph.shapes[node.name])  # fmt: skip
        self.lines.append(f"    {site.label} = {write(self, site)}")

    def padded(self, node: Node, x: str, cls: str, pads: tuple[tuple[int, int], ...]) -> str:
        """`x` padded by a layer of its own, before `node`'s layer."""
        name = self.fresh(node, "_pad")
        return self.add(name, _layer(cls, "" if cls.startswith("_") else "layers.", padding=pads, name=name), x)

    def windowed(self, node: Node, x: str, label: str, ndim: int) -> tuple[str, str]:
        layer = node.layer
        inputs = self.graph.input_shapes(node)
        if not isinstance(layer, WindowLayer):
            raise self.unsupported(node, _("Keras has no such layer"))
        if getattr(layer, "padding_mode", "zeros") != "zeros":
            raise self.unsupported(node, _("Keras convolutions pad with zeros only"))
        if getattr(layer, "groups", 1) != 1 and isinstance(layer, k.ConvTranspose):
            raise self.unsupported(node, _("Keras transposed convolutions have no groups"))
        wins = layer.windows(inputs[0])
        kernel, strides = tuple(w.kernel for w in wins), tuple(w.stride for w in wins)
        dilation = tuple(w.dilation for w in wins)
        padding = "same" if layer.padding == "same" else "valid"
        if isinstance(layer, k.ConvTranspose):
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
        if isinstance(layer, k.Conv):
            return x, _layer(f"Conv{ndim}D", filters=layer.filters, kernel_size=kernel, strides=strides,
                             padding=padding, dilation_rate=dilation, groups=layer.groups, use_bias=layer.bias,
                             name=label)  # fmt: skip
        if isinstance(layer, k.DepthwiseConv):
            return x, _layer(f"DepthwiseConv{ndim}D", kernel_size=kernel, strides=strides, padding=padding,
                             depth_multiplier=layer.depth_multiplier, dilation_rate=dilation, use_bias=layer.bias,
                             name=label)  # fmt: skip
        if isinstance(layer, k.SeparableConv):
            return x, _layer(f"SeparableConv{ndim}D", filters=layer.filters, kernel_size=kernel, strides=strides,
                             padding=padding, depth_multiplier=layer.depth_multiplier, dilation_rate=dilation,
                             use_bias=layer.bias, name=label)  # fmt: skip
        raise self.unsupported(node, _("Keras has no such layer"))

    def pooling(self, node: Node, x: str, label: str, ndim: int) -> tuple[str, str]:
        """Keras pools without ceil mode, padding values or dilation; what PyTorch's pooling does with
        them is written out (padding with -inf for max), or refused where it cannot be exact."""
        layer = node.layer
        if not isinstance(layer, k.MaxPool | k.AvgPool):
            raise self.unsupported(node, _("Keras has no such layer"))
        wins, outs = layer.windows(self.graph.input_shapes(node)[0]), spatial(self.graph.shapes[node.name])
        if any(w.dilation != 1 for w in wins):
            raise self.unsupported(node, _("Keras pooling has no dilation"))
        # ceil mode: the last window may hang over the end; these extra cells make it fit
        extra = [
            max(0, (o - 1) * w.stride + w.span - (w.size + w.pad_begin + w.pad_end))
            for w, o in zip(wins, outs, strict=True)
        ]
        pads = tuple((w.pad_begin, w.pad_end + e) for w, e in zip(wins, extra, strict=True))
        cls = f"{'MaxPooling' if isinstance(layer, k.MaxPool) else 'AveragePooling'}{ndim}D"
        kernel, strides = tuple(w.kernel for w in wins), tuple(w.stride for w in wins)
        if layer.padding == "same" and not any(extra) and (isinstance(layer, k.MaxPool) or not layer.counts_padding):
            # Keras's 'same' leaves the padding out of both the maximum and the average
            return x, _layer(cls, pool_size=kernel, strides=strides, padding="same", name=label)
        if any(b or e for b, e in pads):
            if isinstance(layer, k.MaxPool):
                self.helpers.add(PAD_FOR_MAX_HELPER)
                x = self.padded(node, x, "_PadForMax", pads)
            elif any(extra):
                raise self.unsupported(node, _("in ceil mode PyTorch averages the last window over the cells it covers "
                                       "only, which Keras cannot; make the windows fit with ZEROPAD (or padding) "
                                       "and ceil_mode=false"))  # fmt: skip
            elif not layer.counts_padding:
                raise self.unsupported(node, _("Keras averages padding only as zeros that count (or with 'same' "
                                       "padding); use count_include_pad=true, or padding=same"))  # fmt: skip
            else:
                x = self.padded(node, x, f"ZeroPadding{ndim}D", pads)
        return x, _layer(cls, pool_size=kernel, strides=strides, padding="valid", name=label)


@TABLE.writes(k.Input)
def _input(w: _Writer, s: Site) -> str:
    return f"keras.Input(shape={_value(s.output)}, name={literal(s.label)})"


@TABLE.writes(*ACTIVATIONS)
def _activation(w: _Writer, s: Site) -> str:
    return f"{_layer('Activation', activation=ACTIVATIONS[type(s.node.layer)], name=s.label)}({s.x})"


@TABLE.writes(k.LeakyReLU)
def _leaky_relu(w: _Writer, s: Site) -> str:
    return f"{_layer('LeakyReLU', negative_slope=layer_as(s.node, k.LeakyReLU).alpha, name=s.label)}({s.x})"


@TABLE.writes(k.ELU)
def _elu(w: _Writer, s: Site) -> str:
    return f"{_layer('ELU', alpha=layer_as(s.node, k.ELU).alpha, name=s.label)}({s.x})"


@TABLE.writes(k.PReLU)
def _prelu(w: _Writer, s: Site) -> str:
    """A slope per channel: shared over the spatial axes."""
    axes = tuple(range(1, len(s.output) + 1 if layer_as(s.node, k.PReLU).shared else len(s.output)))
    return f"{_layer('PReLU', shared_axes=axes or None, name=s.label)}({s.x})"


@TABLE.writes(k.Dropout, k.SpatialDropout)
def _dropout(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.Dropout | k.SpatialDropout)
    cls = "Dropout" if isinstance(layer, k.Dropout) else f"SpatialDropout{s.ndim}D"
    return f"{_layer(cls, rate=layer.rate, name=s.label)}({s.x})"


@TABLE.writes(k.Conv, k.DepthwiseConv, k.SeparableConv, k.ConvTranspose)
def _windowed(w: _Writer, s: Site) -> str:
    x, code = w.windowed(s.node, s.x, s.label, s.ndim)
    return f"{code}({x})"


@TABLE.writes(k.MaxPool, k.AvgPool)
def _pooling(w: _Writer, s: Site) -> str:
    x, code = w.pooling(s.node, s.x, s.label, s.ndim)
    return f"{code}({x})"


@TABLE.writes(k.LocalResponseNorm)
def _lrn(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.LocalResponseNorm)
    w.helpers.add(LRN_HELPER)
    code = _layer("_LocalResponseNorm", "", size=layer.size, alpha=layer.alpha, beta=layer.beta, k=layer.k,
                  name=s.label)  # fmt: skip
    return f"{code}({s.x})"


@TABLE.writes(k.GlobalAvgPool, k.GlobalMaxPool)
def _global_pool(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.GlobalPool)
    cls = "GlobalAveragePooling" if isinstance(layer, k.GlobalAvgPool) else "GlobalMaxPooling"
    return f"{_layer(f'{cls}{s.ndim}D', keepdims=layer.keepdims, name=s.label)}({s.x})"


@TABLE.writes(k.AdaptiveAvgPool, k.AdaptiveMaxPool)
def _adaptive_pool(w: _Writer, s: Site) -> str:
    sizes, outs = spatial(s.inputs[0]), spatial(s.output)
    if any(i % o for i, o in zip(sizes, outs, strict=True)):
        raise w.unsupported(s.node, _("adaptive pooling with uneven windows"))
    pool = tuple(i // o for i, o in zip(sizes, outs, strict=True))
    cls = "AveragePooling" if isinstance(s.node.layer, k.AdaptiveAvgPool) else "MaxPooling"
    return f"{_layer(f'{cls}{s.ndim}D', pool_size=pool, name=s.label)}({s.x})"


@TABLE.writes(k.Dense)
def _dense(w: _Writer, s: Site) -> str:
    layer, x = layer_as(s.node, k.Dense), s.x
    if len(s.inputs[0]) > 1:
        flat = w.fresh(s.node, "_flatten")
        x = w.add(flat, _layer("Flatten", name=flat), x)
    return f"{_layer('Dense', units=layer.units, use_bias=layer.bias, name=s.label)}({x})"


@TABLE.writes(k.Flatten)
def _flatten(w: _Writer, s: Site) -> str:
    return f"{_layer('Flatten', name=s.label)}({s.x})"


@TABLE.writes(k.Reshape)
def _reshape(w: _Writer, s: Site) -> str:
    return f"{_layer('Reshape', target_shape=s.output, name=s.label)}({s.x})"


@TABLE.writes(k.BatchNorm)
def _batch_norm(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.BatchNorm)
    if not layer.track_running_stats:
        raise w.unsupported(s.node, _("Keras batch norm always keeps running statistics"))
    code = _layer("BatchNormalization", epsilon=layer.epsilon, momentum=1 - layer.momentum, center=layer.has_beta,
                  scale=layer.has_gamma, name=s.label)  # fmt: skip
    return f"{code}({s.x})"


@TABLE.writes(k.GroupNorm, k.InstanceNorm)
def _group_norm(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.GroupNorm | k.InstanceNorm)
    groups = layer.groups if isinstance(layer, k.GroupNorm) else s.output[-1]
    code = _layer("GroupNormalization", groups=groups, epsilon=layer.epsilon, center=layer.affine,
                  scale=layer.affine, name=s.label)  # fmt: skip
    return f"{code}({s.x})"


@TABLE.writes(k.LayerNorm)
def _layer_norm(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.LayerNorm)
    code = _layer("LayerNormalization", epsilon=layer.epsilon, center=layer.affine, scale=layer.affine,
                  name=s.label)  # fmt: skip
    return f"{code}({s.x})"


@TABLE.writes(k.Upsample)
def _upsample(w: _Writer, s: Site) -> str:
    layer, ndim = layer_as(s.node, k.Upsample), s.ndim
    scales = per_axis(layer.scale, ndim, "scale")
    extra = {"interpolation": "nearest" if layer.mode == "nearest" else "bilinear"} if ndim == 2 else {}
    return f"{_layer(f'UpSampling{ndim}D', size=scales if ndim > 1 else scales[0], **extra, name=s.label)}({s.x})"


@TABLE.writes(k.ZeroPad)
def _zero_pad(w: _Writer, s: Site) -> str:
    pads = per_side(layer_as(s.node, k.ZeroPad).padding, s.ndim, "padding")
    return f"{_layer(f'ZeroPadding{s.ndim}D', padding=pads, name=s.label)}({s.x})"


@TABLE.writes(k.Crop, k.CenterCrop)
def _crop(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.Crop | k.CenterCrop)
    crops = per_side(layer.cropping, s.ndim, "cropping") if isinstance(layer, k.Crop) else layer._crops(s.inputs)
    return f"{_layer(f'Cropping{s.ndim}D', cropping=crops, name=s.label)}({s.x})"


@TABLE.writes(*MERGES)
def _merge(w: _Writer, s: Site) -> str:
    if isinstance(s.node.layer, k.SubtractMerge) and len(s.xs) != 2:
        raise w.unsupported(s.node, _("Keras Subtract takes exactly two inputs"))
    return f"{_layer(MERGES[type(s.node.layer)], name=s.label)}([{', '.join(s.xs)}])"


@TABLE.writes(k.Concat)
def _concat(w: _Writer, s: Site) -> str:
    return f"{_layer('Concatenate', axis=layer_as(s.node, k.Concat).axis, name=s.label)}([{', '.join(s.xs)}])"


@TABLE.writes(k.PointwiseLinear)
def _pointwise_linear(w: _Writer, s: Site) -> str:
    """Keras's Dense works on the last axis of any rank."""
    layer = layer_as(s.node, k.PointwiseLinear)
    return f"{_layer('Dense', units=layer.units, use_bias=layer.bias, name=s.label)}({s.x})"


@TABLE.writes(k.Slice)
def _slice(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Slice)
    w.helpers.add(SLICE_HELPER)
    return f"{_layer('_Slice', '', start=layer.start, stop=layer.stop, name=s.label)}({s.x})"


@TABLE.writes(k.ChannelShuffle)
def _channel_shuffle(w: _Writer, s: Site) -> str:
    w.helpers.add(CHANNEL_SHUFFLE_HELPER)
    return f"{_layer('_ChannelShuffle', '', groups=layer_as(s.node, k.ChannelShuffle).groups, name=s.label)}({s.x})"


@TABLE.writes(k.LayerScale)
def _layer_scale(w: _Writer, s: Site) -> str:
    w.helpers.add(LAYER_SCALE_HELPER)
    return f"{_layer('_LayerScale', '', name=s.label)}({s.x})"


@TABLE.writes(k.Rescaling)
def _rescaling(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Rescaling)
    return f"{_layer('Rescaling', scale=layer.scale, offset=layer.offset, name=s.label)}({s.x})"


@TABLE.writes(k.Normalization)
def _normalization(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Normalization)  # left unadapted, Keras keeps mean, variance and count as weights
    if layer.adapted:
        return f"{_layer('Normalization', axis=-1, name=s.label)}({s.x})"
    return f"{_layer('Normalization', axis=-1, mean=layer.mean, variance=layer.variance, name=s.label)}({s.x})"


@TABLE.writes(k.ReduceMean)
def _reduce_mean(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.ReduceMean)
    w.helpers.add(REDUCE_MEAN_HELPER)
    axes = tuple(a + 1 for a in layer.reduced(s.inputs[0]))
    return f"{_layer('_ReduceMean', '', axes=axes, keepdims=layer.keepdims, name=s.label)}({s.x})"


def to_keras(graph: Graph, function_name: str = "build") -> str:
    """Python source of `function_name()` returning a keras.Model of the network."""
    if identifier(function_name, MODULE_GLOBALS) != function_name:
        raise ValidationSpecError(
            _("function name {name} is not a plain Python identifier").format(name=literal(function_name))
        )
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
