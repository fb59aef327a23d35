"""Export a network as a self-contained, readable PyTorch `nn.Module` (channels first, as PyTorch).

Each node becomes one line of `_every_layer`, and a module (if it has one) placed where its dotted
spec name says: `layer1.0.conv1` is `self.layer1['0']['conv1']`, so the parameter names are the
spec's (torchvision's for the zoo's ResNets) and a checkpoint with those names loads. `forward(x)`
returns the output tensor only, which TorchScript, torch.export and torch.fx need;
`activations(x)` returns every layer's value by its spec name.
Spec names are data: they reach the source only through python_source's identifier and literal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from cnncalc.errors import ValidationSpecError
from cnncalc.export.python_source import Taken, identifier, identifiers, literal
from cnncalc.export.table import ExportTable, layer_as
from cnncalc.graph import Graph
from cnncalc.i18n import N_, _
from cnncalc.layers import kinds as k
from cnncalc.layers.base import Layer, Shape, per_axis, spatial
from cnncalc.spec.model import Node

ACTIVATIONS: dict[type[Layer], str] = {
    k.Relu: "nn.ReLU()", k.Relu6: "nn.ReLU6()", k.Tanh: "nn.Tanh()", k.Sigmoid: "nn.Sigmoid()",
    k.HardSigmoid: "nn.Hardsigmoid()", k.Gelu: "nn.GELU()", k.Silu: "nn.SiLU()", k.HardSwish: "nn.Hardswish()",
    k.Mish: "nn.Mish()", k.Softplus: "nn.Softplus()", k.Softsign: "nn.Softsign()", k.Selu: "nn.SELU()",
    k.Softmax: "nn.Softmax(dim=1)", k.LogSoftmax: "nn.LogSoftmax(dim=1)", k.Identity: "nn.Identity()",
}  # fmt: skip
OPERATORS: dict[type[Layer], str] = {k.AddMerge: " + ", k.SubtractMerge: " - ", k.MultiplyMerge: " * "}
TORCH_FUNCTIONS: dict[type[Layer], str] = {k.MaximumMerge: "torch.maximum", k.MinimumMerge: "torch.minimum"}


@dataclass(frozen=True)
class Site:
    """One node as its handler writes it: its input variables and the shapes around it."""

    node: Node
    args: list[str]
    inputs: tuple[Shape, ...]
    output: Shape

    @property
    def x(self) -> str:
        return self.args[0]

    @property
    def ndim(self) -> int:
        """Spatial axes of the (first) input."""
        return len(self.inputs[0]) - 1


Handler = Callable[["_Writer", Site], str]
TABLE: ExportTable[Handler] = ExportTable(
    "PyTorch",
    {
        k.LocallyConnected: N_("PyTorch has no locally connected layer"),
        k.LocalContrastNorm: N_("PyTorch has no local contrast norm"),
    },
)


# Names the generated module uses itself: a layer's local variable never takes one of them.
MODULE_GLOBALS = frozenset({"x", "self", "torch", "nn", "F"})
# Attributes nn.Module (and our class) already has: a top-level layer never takes one of them.
MODULE_ATTRIBUTES = frozenset({
    "T_destination", "activations", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children",
    "compile", "cpu", "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer",
    "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "mtia",
    "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook",
    "register_buffer", "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
    "register_full_backward_pre_hook", "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook",
    "register_module", "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
    "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
    "training", "type", "xpu", "zero_grad",
})  # fmt: skip
# ... and the keys a ModuleDict cannot hold (add_module refuses its attributes' names).
MODULE_DICT_ATTRIBUTES = MODULE_ATTRIBUTES | {"clear", "items", "keys", "pop", "update", "values"}
PLAIN_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*")


def local_names(graph: Graph, class_name: str = "Net") -> dict[str, str]:
    """Each node's local variable in the generated code, in node order (unique, never a name the code uses)."""
    return identifiers((node.name for node in graph.nodes), MODULE_GLOBALS | {class_name})


class _Hierarchy:
    """Where each module lives: dotted spec names become nested nn.ModuleDicts under the top attribute.

    A name that cannot nest (an empty part as in 'a..b', or a part that is already a layer where a
    block is needed, or the reverse) is placed at the top under its own identifier instead.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []  # the __init__ statements, containers before their contents
        self.lookup: dict[tuple[str, ...], dict[str, str]] = {(): {}}  # container → spec part → key
        self.keys: dict[tuple[str, ...], set[str]] = {(): set()}  # container → keys given in it
        self.paths: dict[str, tuple[str, ...]] = {}  # node name → its module's path of keys

    def key(self, container: tuple[str, ...], part: str) -> str:
        given = self.keys[container]
        if not container:  # an attribute of the module: an identifier
            return identifier(part, Taken(MODULE_ATTRIBUTES, given))
        if PLAIN_KEY.fullmatch(part) and part not in MODULE_DICT_ATTRIBUTES and part not in given:
            return part  # as the spec says it: '0', 'conv1', 'downsample' (torchvision's names)
        return identifier(part, Taken(MODULE_DICT_ATTRIBUTES, given))

    def new(self, container: tuple[str, ...], part: str, code: str, nested: bool = True) -> tuple[str, ...]:
        """Write `code` into `container` under a key for `part`; `nested` lets later names find it."""
        key = self.key(container, part)
        self.keys[container].add(key)
        if nested:
            self.lookup[container][part] = key
        path = (*container, key)
        self.lines.append(f"        {access(path)} = {code}")
        return path

    def place(self, name: str, code: str) -> str:
        parts = name.split(".")
        container: tuple[str, ...] = ()
        if "" not in parts:
            for part in parts[:-1]:
                key = self.lookup[container].get(part)
                if key is None:
                    key = self.new(container, part, "nn.ModuleDict()")[-1]
                    self.lookup[(*container, key)], self.keys[(*container, key)] = {}, set()
                elif (*container, key) not in self.lookup:
                    break  # that part is a layer, not a block
                container = (*container, key)
            else:
                if parts[-1] not in self.lookup[container]:
                    self.paths[name] = self.new(container, parts[-1], code)
                    return access(self.paths[name])
        self.paths[name] = self.new((), name, code, nested=False)
        return access(self.paths[name])


def access(path: tuple[str, ...]) -> str:
    """The code reaching a module: self.layer1['0']['conv1']."""
    return f"self.{path[0]}" + "".join(f"[{literal(key)}]" for key in path[1:])


def _tuple(values: tuple[float, ...]) -> str:
    return "(" + ", ".join(map(str, values)) + ("," if len(values) == 1 else "") + ")"


def _code(value: object) -> str:
    if isinstance(value, tuple):
        return _tuple(value)
    if isinstance(value, str):
        return literal(value)
    return str(value)


def _call(name: str, *args: object, **kwargs: object) -> str:
    """Constructor call code: _call("nn.Conv2d", 3, 10, (5, 5), stride=(1, 1)) → its source."""
    parts = [_code(a) for a in args] + [f"{k}={_code(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


INF = "float('-inf')"
WITHOUT_HELPER = '''def _without(norm, *names):
    """A batch norm without γ ('weight') or β ('bias'), as Keras builds with scale=False or center=False."""
    for name in names:
        delattr(norm, name)
        setattr(norm, name, None)
    return norm'''


LAYER_SCALE_HELPER = '''class _LayerScale(nn.Module):
    """gamma * x, a learnt multiplier per channel (dim 1); the parameter is named as timm and Keras name it."""

    def __init__(self, channels):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))

    def forward(self, x):
        return x * self.gamma.view(-1, *(1,) * (x.dim() - 2))'''


NORMALIZATION_HELPER = '''class _Normalization(nn.Module):
    """Keras' adapted Normalization, (x - mean) / max(sqrt(variance), 1e-7) per channel (dim 1); mean,
    variance and count are buffers, as Keras keeps them (non-trainable weights)."""

    def __init__(self, channels):
        super().__init__()
        self.register_buffer("mean", torch.zeros(channels))
        self.register_buffer("variance", torch.ones(channels))
        self.register_buffer("count", torch.zeros(1))

    def forward(self, x):
        shape = (-1, *(1,) * (x.dim() - 2))
        # a variance is never negative; abs() keeps loaded values of any sign finite, as cnncalc's executor does
        deviation = self.variance.abs().sqrt().clamp(min=1e-7)
        return (x - self.mean.view(shape)) / deviation.view(shape)'''


def torch_dim(axis: int, rank: int) -> int:
    """PyTorch's dim (batch first, channels second) of axis `axis` of a channels-last cnncalc shape."""
    return 1 if axis == rank - 1 else axis + 2


def _torch_pad(pads: tuple[tuple[int, int], ...]) -> str:
    """F.pad takes (begin, end) pairs from the last axis backwards."""
    return _tuple(tuple(v for b, e in reversed(pads) for v in (b, e)))


class _Writer:
    def __init__(self, graph: Graph, class_name: str) -> None:
        self.graph = graph
        self.modules = _Hierarchy()
        self.lines: list[str] = []
        self.names = local_names(graph, class_name)
        self.helpers: set[str] = set()  # module-level functions the generated code needs

    def var(self, node_name: str) -> str:
        return self.names[node_name]

    def module(self, name: str, code: str) -> str:
        """Place the node `name`'s module; the code that reaches it."""
        return self.modules.place(name, code)

    def emit(self, node: Node) -> None:
        write = TABLE.handler(node)
        args = [self.var(i) for i in node.inputs]
        site = Site(node, args, self.graph.input_shapes(node), self.graph.shapes[node.name])
        self.lines.append(f"        {self.var(node.name)} = {write(self, site)}")

    def convolution(self, node: Node, layer: k.Conv | k.DepthwiseConv | k.SeparableConv, name: str, x: str) -> str:
        inputs, output = self.graph.input_shapes(node), self.graph.shapes[node.name]
        wins = layer.windows(inputs[0])
        ndim = len(wins)
        c_in = inputs[0][-1]
        kernel, stride, dilation = (tuple(getattr(w, a) for w in wins) for a in ("kernel", "stride", "dilation"))
        symmetric = all(w.pad_begin == w.pad_end for w in wins)
        padding = tuple(w.pad_begin for w in wins) if symmetric else 0
        mode = getattr(layer, "padding_mode", "zeros")
        conv = f"nn.Conv{ndim}d"
        shared = {"stride": stride, "padding": padding, "dilation": dilation}
        if isinstance(layer, k.Conv):
            code = _call(conv, c_in, layer.filters, kernel, **shared, groups=layer.groups, bias=layer.bias,
                         padding_mode=mode)  # fmt: skip
        elif isinstance(layer, k.DepthwiseConv):
            code = _call(conv, c_in, output[-1], kernel, **shared, groups=c_in, bias=layer.bias, padding_mode=mode)
        else:
            mid = c_in * layer.depth_multiplier
            depthwise = _call(conv, c_in, mid, kernel, **shared, groups=c_in, bias=False, padding_mode=mode)
            code = f"nn.Sequential({depthwise}, {_call(conv, mid, layer.filters, 1, bias=layer.bias)})"
        source = x if symmetric else self._explicit_pad(x, tuple((w.pad_begin, w.pad_end) for w in wins), mode)
        return f"{self.module(name, code)}({source})"

    @staticmethod
    def _explicit_pad(x: str, pads: tuple[tuple[int, int], ...], mode: str, value: str = "0.0") -> str:
        torch_mode = "constant" if mode == "zeros" else mode
        fill = f", value={value}" if torch_mode == "constant" else ""
        return f"F.pad({x}, {_torch_pad(pads)}, mode={torch_mode!r}{fill})"

    def transposed(self, node: Node, layer: k.ConvTranspose, name: str, x: str) -> str:
        inputs = self.graph.input_shapes(node)
        wins = layer.windows(inputs[0])
        pads = layer._pads(spatial(inputs[0]))
        ndim = len(wins)
        extra = per_axis(layer.output_padding, ndim, "output_padding")
        kernel, stride, dilation = (
            _tuple(tuple(getattr(w, a) for w in wins)) for a in ("kernel", "stride", "dilation")
        )
        symmetric = all(b == e and b >= 0 for b, e in pads)
        padding = _tuple(tuple(b for b, _ in pads)) if symmetric else "0"
        # Unequal sides: no padding, then crop. A negative end padding ('same' with F_eff < S) grows
        # the output through output_padding, so the new positions get the bias as in TensorFlow.
        grow = extra if symmetric else tuple(op + max(-e, 0) for op, (_, e) in zip(extra, pads, strict=True))
        code = (
            f"nn.ConvTranspose{ndim}d({inputs[0][-1]}, {layer.filters}, {kernel}, stride={stride}, padding={padding}, "
            f"output_padding={_tuple(grow)}, groups={layer.groups}, bias={layer.bias}, dilation={dilation})"
        )
        call = f"{self.module(name, code)}({x})"
        if symmetric:
            return call
        return self._explicit_pad(call, tuple((-max(b, 0), -max(e, 0)) for b, e in pads), "zeros")

    def pooling(self, node: Node, layer: k.MaxPool | k.AvgPool | k.LPPool, name: str, x: str) -> str:
        inputs = self.graph.input_shapes(node)
        wins = layer.windows(inputs[0])
        ndim = len(wins)
        kernel, stride = (tuple(getattr(w, a) for w in wins) for a in ("kernel", "stride"))
        if isinstance(layer, k.LPPool):  # LPPool1d multiplies by its kernel size: it needs ints, not 1-tuples
            size, step = (kernel[0], stride[0]) if ndim == 1 else (kernel, stride)
            code = _call(f"nn.LPPool{ndim}d", layer.power, size, stride=step, ceil_mode=layer.ceil_mode)
            return f"{self.module(name, code)}({x})"
        symmetric = all(w.pad_begin == w.pad_end for w in wins)
        padding = tuple(w.pad_begin for w in wins) if symmetric else 0
        shared = {"stride": stride, "padding": padding}
        pads = tuple((w.pad_begin, w.pad_end) for w in wins)
        if isinstance(layer, k.MaxPool):
            dilation = tuple(w.dilation for w in wins)
            code = _call(f"nn.MaxPool{ndim}d", kernel, **shared, dilation=dilation, ceil_mode=layer.ceil_mode)
            pooled = f"{self.module(name, code)}({x if symmetric else self._explicit_pad(x, pads, 'zeros', INF)})"
        elif symmetric:
            code = _call(f"nn.AvgPool{ndim}d", kernel, **shared, ceil_mode=layer.ceil_mode,
                         count_include_pad=layer.counts_padding)  # fmt: skip
            pooled = f"{self.module(name, code)}({x})"
        else:  # padded by hand, so the padding is only left out of the mean by dividing by a pooled mask
            code = _call(f"nn.AvgPool{ndim}d", kernel, **shared, ceil_mode=layer.ceil_mode, count_include_pad=True)
            pool = self.module(name, code)
            pooled = f"{pool}({self._explicit_pad(x, pads, 'zeros')})"
            if not layer.counts_padding:
                mask = self._explicit_pad(f"torch.ones_like({x}[:, :1])", pads, "zeros")
                pooled = f"({pooled} / {pool}({mask}))"
        if symmetric or not layer.ceil_mode:
            return pooled
        # On a tensor padded by hand PyTorch's ceil mode may add a window that starts in the end padding;
        # cnncalc, like PyTorch on unpadded input, does not: keep the expected number of windows.
        return f"{pooled}[..., {', '.join(f'0:{n}' for n in spatial(self.graph.shapes[node.name]))}]"

    def pad_or_crop(self, node: Node, layer: k.ZeroPad | k.Crop | k.CenterCrop, x: str) -> str:
        from cnncalc.layers.window import per_side

        inputs = self.graph.input_shapes(node)
        ndim = len(inputs[0]) - 1
        if isinstance(layer, k.ZeroPad):
            return f"F.pad({x}, {_torch_pad(per_side(layer.padding, ndim, 'padding'))})"
        crops = per_side(layer.cropping, ndim, "cropping") if isinstance(layer, k.Crop) else layer._crops(inputs)
        sizes = spatial(inputs[0])
        slices = ", ".join(f"{b}:{w - e}" for (b, e), w in zip(crops, sizes, strict=True))
        return f"{x}[:, :, {slices}]"


@TABLE.writes(k.Input)
def _input(w: _Writer, s: Site) -> str:
    return "x"


@TABLE.writes(k.Dropout, k.SpatialDropout)
def _dropout(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.Dropout | k.SpatialDropout)
    dims = "" if isinstance(layer, k.Dropout) else f"{max(s.ndim, 1)}d"
    return f"{w.module(s.node.name, f'nn.Dropout{dims}({layer.rate})')}({s.x})"


@TABLE.writes(*ACTIVATIONS)
def _activation(w: _Writer, s: Site) -> str:
    return f"{w.module(s.node.name, ACTIVATIONS[type(s.node.layer)])}({s.x})"


@TABLE.writes(k.LeakyReLU, k.ELU)
def _sloped(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.LeakyReLU | k.ELU)
    cls = "LeakyReLU" if isinstance(layer, k.LeakyReLU) else "ELU"
    return f"{w.module(s.node.name, f'nn.{cls}({layer.alpha})')}({s.x})"


@TABLE.writes(k.PReLU)
def _prelu(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.PReLU)
    return f"{w.module(s.node.name, f'nn.PReLU({1 if layer.shared else s.output[-1]})')}({s.x})"


@TABLE.writes(k.Conv, k.DepthwiseConv, k.SeparableConv)
def _convolution(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.Conv | k.DepthwiseConv | k.SeparableConv)
    return w.convolution(s.node, layer, s.node.name, s.x)


@TABLE.writes(k.ConvTranspose)
def _transposed(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.ConvTranspose)
    return w.transposed(s.node, layer, s.node.name, s.x)


@TABLE.writes(k.MaxPool, k.AvgPool, k.LPPool)
def _pooling(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.MaxPool | k.AvgPool | k.LPPool)
    return w.pooling(s.node, layer, s.node.name, s.x)


@TABLE.writes(k.GlobalAvgPool, k.GlobalMaxPool)
def _global_pool(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.GlobalPool)
    pool = "Avg" if isinstance(layer, k.GlobalAvgPool) else "Max"
    call = f"{w.module(s.node.name, f'nn.Adaptive{pool}Pool{s.ndim}d(1)')}({s.x})"
    return call if layer.keepdims else f"torch.flatten({call}, 1)"


@TABLE.writes(k.AdaptiveAvgPool, k.AdaptiveMaxPool)
def _adaptive_pool(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.AdaptivePool)
    pool = "Avg" if isinstance(layer, k.AdaptiveAvgPool) else "Max"
    size = _tuple(per_axis(layer.output_size, s.ndim, "output_size"))
    return f"{w.module(s.node.name, f'nn.Adaptive{pool}Pool{s.ndim}d({size})')}({s.x})"


@TABLE.writes(k.Dense)
def _dense(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Dense)
    flat = s.x if len(s.inputs[0]) == 1 else f"torch.flatten({s.x}, 1)"
    features = math.prod(s.inputs[0])
    return f"{w.module(s.node.name, f'nn.Linear({features}, {layer.units}, bias={layer.bias})')}({flat})"


@TABLE.writes(k.Flatten)
def _flatten(w: _Writer, s: Site) -> str:
    return f"torch.flatten({s.x}, 1)"


@TABLE.writes(k.Reshape)
def _reshape(w: _Writer, s: Site) -> str:
    target = (s.output[-1], *s.output[:-1]) if len(s.output) > 1 else s.output
    return f"{s.x}.reshape({s.x}.shape[0], {', '.join(map(str, target))})"


@TABLE.writes(k.BatchNorm)
def _batch_norm(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.BatchNorm)
    code = _call(
        f"nn.BatchNorm{max(s.ndim, 1)}d",
        s.output[-1],
        eps=layer.epsilon,
        momentum=layer.momentum,
        affine=layer.affine,
        track_running_stats=layer.track_running_stats,
    )
    kept = {"weight": layer.has_gamma, "bias": layer.has_beta}
    dropped = [parameter for parameter, there in kept.items() if layer.affine and not there]
    if dropped:  # Keras's scale=False / center=False: no γ (or β) at all
        w.helpers.add(WITHOUT_HELPER)
        code = f"_without({code}, {', '.join(map(repr, dropped))})"
    return f"{w.module(s.node.name, code)}({s.x})"


@TABLE.writes(k.GroupNorm)
def _group_norm(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.GroupNorm)
    code = _call("nn.GroupNorm", layer.groups, s.output[-1], eps=layer.epsilon, affine=layer.affine)
    return f"{w.module(s.node.name, code)}({s.x})"


@TABLE.writes(k.InstanceNorm)
def _instance_norm(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.InstanceNorm)
    code = _call(f"nn.InstanceNorm{s.ndim}d", s.output[-1], eps=layer.epsilon, affine=layer.affine)
    return f"{w.module(s.node.name, code)}({s.x})"


def _on_channels(module: str, s: Site) -> str:
    """A module that works on the last axis (LayerNorm, Linear), applied to the channel axis (dim 1)."""
    return f"{module}({s.x}.movedim(1, -1)).movedim(-1, 1)" if s.ndim else f"{module}({s.x})"


@TABLE.writes(k.LayerNorm)
def _layer_norm(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.LayerNorm)
    code = f"nn.LayerNorm({s.output[-1]}, eps={layer.epsilon}, elementwise_affine={layer.affine})"
    return _on_channels(w.module(s.node.name, code), s)


@TABLE.writes(k.LocalResponseNorm)
def _lrn(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.LocalResponseNorm)
    code = _call("nn.LocalResponseNorm", layer.size, alpha=layer.alpha, beta=layer.beta, k=layer.k)
    return f"{w.module(s.node.name, code)}({s.x})"


@TABLE.writes(k.Upsample)
def _upsample(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Upsample)
    scale = _tuple(tuple(float(f) for f in per_axis(layer.scale, s.ndim, "scale")))
    mode = layer.mode if layer.mode == "nearest" else ("linear", "bilinear", "trilinear")[s.ndim - 1]
    extra = "" if mode == "nearest" else ", align_corners=False"
    return f"{w.module(s.node.name, f'nn.Upsample(scale_factor={scale}, mode={mode!r}{extra})')}({s.x})"


@TABLE.writes(k.ZeroPad, k.Crop, k.CenterCrop)
def _pad_or_crop(w: _Writer, s: Site) -> str:
    layer = s.node.layer
    assert isinstance(layer, k.ZeroPad | k.Crop | k.CenterCrop)
    return w.pad_or_crop(s.node, layer, s.x)


@TABLE.writes(*OPERATORS)
def _operator(w: _Writer, s: Site) -> str:
    return OPERATORS[type(s.node.layer)].join(s.args)


@TABLE.writes(k.AverageMerge)
def _average(w: _Writer, s: Site) -> str:
    return f"({' + '.join(s.args)}) / {len(s.args)}"


@TABLE.writes(*TORCH_FUNCTIONS)
def _pairwise(w: _Writer, s: Site) -> str:
    expr = s.args[0]
    for other in s.args[1:]:
        expr = f"{TORCH_FUNCTIONS[type(s.node.layer)]}({expr}, {other})"
    return expr


@TABLE.writes(k.Concat)
def _concat(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Concat)
    rank = len(s.inputs[0])
    return f"torch.cat([{', '.join(s.args)}], dim={torch_dim(layer.axis % rank, rank)})"


@TABLE.writes(k.PointwiseLinear)
def _pointwise_linear(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.PointwiseLinear)
    return _on_channels(w.module(s.node.name, f"nn.Linear({s.inputs[0][-1]}, {layer.units}, bias={layer.bias})"), s)


@TABLE.writes(k.Slice)
def _slice(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Slice)
    return f"{s.x}[:, {layer.start}:{layer.stop}]"


@TABLE.writes(k.ChannelShuffle)
def _channel_shuffle(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.ChannelShuffle)
    return f"{s.x}.unflatten(1, ({layer.groups}, -1)).transpose(1, 2).flatten(1, 2)"


@TABLE.writes(k.LayerScale)
def _layer_scale(w: _Writer, s: Site) -> str:
    w.helpers.add(LAYER_SCALE_HELPER)
    return f"{w.module(s.node.name, f'_LayerScale({s.output[-1]})')}({s.x})"


@TABLE.writes(k.Rescaling)
def _rescaling(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.Rescaling)
    shape = _tuple((-1,) + (1,) * (len(s.output) - 1))
    scale, offset = (
        f"torch.tensor({list(value)!r}).view{shape}" if isinstance(value, tuple) else repr(value)
        for value in (layer.scale, layer.offset)
    )
    return f"({s.x} * {scale} + {offset})"


@TABLE.writes(k.Normalization)
def _normalization(w: _Writer, s: Site) -> str:
    """Given statistics are constants in the code (Keras holds no weights for them); adapted ones are buffers."""
    layer = layer_as(s.node, k.Normalization)
    if layer.adapted:
        w.helpers.add(NORMALIZATION_HELPER)
        return f"{w.module(s.node.name, f'_Normalization({s.output[-1]})')}({s.x})"
    shape = _tuple((-1,) + (1,) * (len(s.output) - 1))
    column = lambda values: f"torch.tensor({list(values)!r}).view{shape}"  # noqa: E731
    return f"(({s.x} - {column(layer.mean or ())}) / {column(layer.deviations())})"


@TABLE.writes(k.ReduceMean)
def _reduce_mean(w: _Writer, s: Site) -> str:
    layer = layer_as(s.node, k.ReduceMean)
    dims = _tuple(tuple(torch_dim(a, len(s.inputs[0])) for a in layer.reduced(s.inputs[0])))
    return f"{s.x}.mean({dims}, keepdim={layer.keepdims})"


def _wrapped(items: list[str], indent: str) -> list[str]:
    """Comma-separated items on lines of at most ~110 characters."""
    lines, line = [], ""
    for item in items:
        if line and len(indent) + len(line) + len(item) > 110:
            lines.append(indent + line.rstrip())
            line = ""
        line += item + ", "
    return [*lines, indent + line.rstrip()]


def module_paths(graph: Graph) -> dict[str, str]:
    """Each node's module as a state-dict prefix ('layer1.0.conv1'), for the nodes that have one."""
    writer = _Writer(graph, "Net")
    for node in graph.nodes:
        writer.emit(node)
    return {name: ".".join(path) for name, path in writer.modules.paths.items()}


def check_class_name(class_name: str) -> None:
    """Refuse a class name the module cannot hold as written (a keyword, ｘ, torch, a builtin)."""
    if identifier(class_name, MODULE_GLOBALS) != class_name:
        raise ValidationSpecError(
            _("--class-name {name} is not a Python identifier the exported module can use").format(
                name=literal(class_name)
            ),
            hint=_(
                "use ASCII letters, digits and underscores, starting with a letter; not a keyword, a builtin, "
                "torch, nn, F or x"
            ),
        )


def to_pytorch(graph: Graph, class_name: str = "Net") -> str:
    """Python source defining `class_name(nn.Module)` for the network."""
    check_class_name(class_name)
    writer = _Writer(graph, class_name)
    for node in graph.nodes:
        writer.emit(node)
    index = {node.name: i for i, node in enumerate(graph.nodes)}
    outputs = [f"values[{index[name]}]" for name in graph.spec.outputs]
    returned = outputs[0] if len(outputs) == 1 else ", ".join(outputs)
    every = [writer.var(node.name) for node in graph.nodes]
    title = literal(f"{graph.spec.name or 'network'}, exported by cnncalc. Input: (N, C, ...) channels first.")
    lines = [
        title,
        "",
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
        "",
        "",
        *(line for helper in sorted(writer.helpers) for line in (helper, "", "")),
        f"class {class_name}(nn.Module):",
        "    def __init__(self) -> None:",
        "        super().__init__()",
        *writer.modules.lines,
        "",
        "    def forward(self, x: torch.Tensor):",
        '        """The output of the network (a tuple if the spec has several)."""',
        "        values = self._every_layer(x)",
        f"        return {returned}",
        "",
        "    def activations(self, x: torch.Tensor) -> dict[str, torch.Tensor]:",
        '        """Every layer\'s value by its name in the spec."""',
        "        names = (",
        *_wrapped([literal(node.name) for node in graph.nodes], " " * 12),
        "        )",
        "        return dict(zip(names, self._every_layer(x)))",
        "",
        "    def _every_layer(self, x: torch.Tensor):",
        *writer.lines,
        "        return (",
        *_wrapped(every, " " * 12),
        "        )",
        "",
    ]
    return "\n".join(lines)
