"""Export a network as a self-contained, readable PyTorch `nn.Module` (channels first, as PyTorch).

Each node becomes one line of `_every_layer`, and a module (if it has one) placed where its dotted
spec name says: `layer1.0.conv1` is `self.layer1['0']['conv1']`, so the parameter names are the
spec's (torchvision's for the zoo's ResNets) and a checkpoint with those names loads. `forward(x)`
returns the output tensor only, which TorchScript, torch.export and torch.fx need;
`activations(x)` returns every layer's value by its spec name.
Spec names are data: they reach the source only through python_source's identifier and literal.
"""

from __future__ import annotations

import re

from cnncalc.errors import UnsupportedSpecError, ValidationSpecError
from cnncalc.export.python_source import Taken, identifier, identifiers, literal
from cnncalc.graph import Graph
from cnncalc.layers.activation import ELU, Dropout, LeakyReLU, PReLU, SpatialDropout
from cnncalc.layers.base import per_axis, spatial
from cnncalc.layers.conv import Conv, ConvTranspose, DepthwiseConv, SeparableConv
from cnncalc.layers.dense import Dense, PointwiseLinear
from cnncalc.layers.merge import Concat
from cnncalc.layers.norm import BatchNorm, GroupNorm, InstanceNorm, LayerNorm, LayerScale, LocalResponseNorm
from cnncalc.layers.pool import AdaptivePool, AvgPool, GlobalPool, LPPool, MaxPool, ReduceMean
from cnncalc.layers.resample import Upsample
from cnncalc.layers.reshape import CenterCrop, ChannelShuffle, Crop, Slice, ZeroPad
from cnncalc.spec.model import Node

UNSUPPORTED = {
    "locally_connected": "PyTorch has no locally connected layer",
    "lcn": "PyTorch has no local contrast norm",
}
ACTIVATIONS = {
    "relu": "nn.ReLU()", "relu6": "nn.ReLU6()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()",
    "hard_sigmoid": "nn.Hardsigmoid()", "gelu": "nn.GELU()", "silu": "nn.SiLU()", "hard_swish": "nn.Hardswish()",
    "mish": "nn.Mish()", "softplus": "nn.Softplus()", "softsign": "nn.Softsign()", "selu": "nn.SELU()",
    "softmax": "nn.Softmax(dim=1)", "log_softmax": "nn.LogSoftmax(dim=1)", "identity": "nn.Identity()",
}  # fmt: skip
MERGES = {"add": " + ", "subtract": " - ", "multiply": " * "}


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
        if node.kind in UNSUPPORTED:
            raise UnsupportedSpecError(
                f"{node.kind} cannot be exported to PyTorch: {UNSUPPORTED[node.kind]}", location=node.location
            )
        if not node.inputs:
            self.lines.append(f"        {self.var(node.name)} = x")
            return
        args = [self.var(i) for i in node.inputs]
        self.lines.append(f"        {self.var(node.name)} = {self.expression(node, node.name, args)}")

    def expression(self, node: Node, name: str, args: list[str]) -> str:
        layer, kind = node.layer, node.kind
        inputs, output = self.graph.input_shapes(node), self.graph.shapes[node.name]
        x = args[0]
        ndim = len(inputs[0]) - 1
        if isinstance(layer, Dropout | SpatialDropout):
            dims = "" if isinstance(layer, Dropout) else f"{max(ndim, 1)}d"
            return f"{self.module(name, f'nn.Dropout{dims}({layer.rate})')}({x})"
        if kind in ACTIVATIONS:
            return f"{self.module(name, ACTIVATIONS[kind])}({x})"
        if isinstance(layer, LeakyReLU | ELU):
            cls = "LeakyReLU" if kind == "leaky_relu" else "ELU"
            return f"{self.module(name, f'nn.{cls}({layer.alpha})')}({x})"
        if isinstance(layer, PReLU):
            return f"{self.module(name, f'nn.PReLU({1 if layer.shared else output[-1]})')}({x})"
        if isinstance(layer, Conv | DepthwiseConv | SeparableConv):
            return self.convolution(node, layer, name, x)
        if isinstance(layer, ConvTranspose):
            return self.transposed(node, layer, name, x)
        if isinstance(layer, MaxPool | AvgPool | LPPool):
            return self.pooling(node, layer, name, x)
        if isinstance(layer, GlobalPool):
            pool = "Avg" if kind == "global_avg_pool" else "Max"
            call = f"{self.module(name, f'nn.Adaptive{pool}Pool{ndim}d(1)')}({x})"
            return call if layer.keepdims else f"torch.flatten({call}, 1)"
        if isinstance(layer, AdaptivePool):
            pool = "Avg" if kind == "adaptive_avg_pool" else "Max"
            size = _tuple(per_axis(layer.output_size, ndim, "output_size"))
            return f"{self.module(name, f'nn.Adaptive{pool}Pool{ndim}d({size})')}({x})"
        if isinstance(layer, Dense):
            flat = x if len(inputs[0]) == 1 else f"torch.flatten({x}, 1)"
            features = 1
            for d in inputs[0]:
                features *= d
            return f"{self.module(name, f'nn.Linear({features}, {layer.units}, bias={layer.bias})')}({flat})"
        if kind == "flatten":
            return f"torch.flatten({x}, 1)"
        if kind == "reshape":
            target = (output[-1], *output[:-1]) if len(output) > 1 else output
            return f"{x}.reshape({x}.shape[0], {', '.join(map(str, target))})"
        if isinstance(layer, BatchNorm):
            code = _call(
                f"nn.BatchNorm{max(ndim, 1)}d",
                output[-1],
                eps=layer.epsilon,
                momentum=layer.momentum,
                affine=layer.affine,
                track_running_stats=layer.track_running_stats,
            )
            kept = {"weight": layer.has_gamma, "bias": layer.has_beta}
            dropped = [parameter for parameter, there in kept.items() if layer.affine and not there]
            if dropped:  # Keras's scale=False / center=False: no γ (or β) at all
                self.helpers.add(WITHOUT_HELPER)
                code = f"_without({code}, {', '.join(map(repr, dropped))})"
            return f"{self.module(name, code)}({x})"
        if isinstance(layer, GroupNorm):
            code = _call("nn.GroupNorm", layer.groups, output[-1], eps=layer.epsilon, affine=layer.affine)
            return f"{self.module(name, code)}({x})"
        if isinstance(layer, InstanceNorm):
            code = _call(f"nn.InstanceNorm{ndim}d", output[-1], eps=layer.epsilon, affine=layer.affine)
            return f"{self.module(name, code)}({x})"
        if isinstance(layer, LayerNorm):
            module = self.module(
                name, f"nn.LayerNorm({output[-1]}, eps={layer.epsilon}, elementwise_affine={layer.affine})"
            )
            return f"{module}({x}.movedim(1, -1)).movedim(-1, 1)" if ndim else f"{module}({x})"
        if isinstance(layer, LocalResponseNorm):
            code = _call("nn.LocalResponseNorm", layer.size, alpha=layer.alpha, beta=layer.beta, k=layer.k)
            return f"{self.module(name, code)}({x})"
        if isinstance(layer, Upsample):
            scale = _tuple(tuple(float(s) for s in per_axis(layer.scale, ndim, "scale")))
            mode = layer.mode if layer.mode == "nearest" else ("linear", "bilinear", "trilinear")[ndim - 1]
            extra = "" if mode == "nearest" else ", align_corners=False"
            return f"{self.module(name, f'nn.Upsample(scale_factor={scale}, mode={mode!r}{extra})')}({x})"
        if isinstance(layer, ZeroPad | Crop | CenterCrop):
            return self.pad_or_crop(node, layer, x)
        if kind in MERGES:
            return MERGES[kind].join(args)
        if kind == "average":
            return f"({' + '.join(args)}) / {len(args)}"
        if kind in ("maximum", "minimum"):
            expr = args[0]
            for other in args[1:]:
                expr = f"torch.{kind}({expr}, {other})"
            return expr
        if isinstance(layer, Concat):
            axis = layer.axis % len(inputs[0])
            dim = 1 if axis == len(inputs[0]) - 1 else axis + 2
            return f"torch.cat([{', '.join(args)}], dim={dim})"
        if isinstance(layer, PointwiseLinear):
            module = self.module(name, f"nn.Linear({inputs[0][-1]}, {layer.units}, bias={layer.bias})")
            return f"{module}({x}.movedim(1, -1)).movedim(-1, 1)" if ndim else f"{module}({x})"
        if isinstance(layer, Slice):
            return f"{x}[:, {layer.start}:{layer.stop}]"
        if isinstance(layer, ChannelShuffle):
            return f"{x}.unflatten(1, ({layer.groups}, -1)).transpose(1, 2).flatten(1, 2)"
        if isinstance(layer, LayerScale):
            self.helpers.add(LAYER_SCALE_HELPER)
            return f"{self.module(name, f'_LayerScale({output[-1]})')}({x})"
        if isinstance(layer, ReduceMean):
            dims = _tuple(tuple(torch_dim(a, len(inputs[0])) for a in layer.reduced(inputs[0])))
            return f"{x}.mean({dims}, keepdim={layer.keepdims})"
        raise UnsupportedSpecError(f"{kind} cannot be exported to PyTorch: no export for it", location=node.location)

    def convolution(self, node: Node, layer: Conv | DepthwiseConv | SeparableConv, name: str, x: str) -> str:
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
        if isinstance(layer, Conv):
            code = _call(conv, c_in, layer.filters, kernel, **shared, groups=layer.groups, bias=layer.bias,
                         padding_mode=mode)  # fmt: skip
        elif isinstance(layer, DepthwiseConv):
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

    def transposed(self, node: Node, layer: ConvTranspose, name: str, x: str) -> str:
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

    def pooling(self, node: Node, layer: MaxPool | AvgPool | LPPool, name: str, x: str) -> str:
        inputs = self.graph.input_shapes(node)
        wins = layer.windows(inputs[0])
        ndim = len(wins)
        kernel, stride = (tuple(getattr(w, a) for w in wins) for a in ("kernel", "stride"))
        if isinstance(layer, LPPool):  # LPPool1d multiplies by its kernel size: it needs ints, not 1-tuples
            size, step = (kernel[0], stride[0]) if ndim == 1 else (kernel, stride)
            code = _call(f"nn.LPPool{ndim}d", layer.power, size, stride=step, ceil_mode=layer.ceil_mode)
            return f"{self.module(name, code)}({x})"
        symmetric = all(w.pad_begin == w.pad_end for w in wins)
        padding = tuple(w.pad_begin for w in wins) if symmetric else 0
        shared = {"stride": stride, "padding": padding}
        pads = tuple((w.pad_begin, w.pad_end) for w in wins)
        if isinstance(layer, MaxPool):
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

    def pad_or_crop(self, node: Node, layer: ZeroPad | Crop | CenterCrop, x: str) -> str:
        from cnncalc.layers.window import per_side

        inputs = self.graph.input_shapes(node)
        ndim = len(inputs[0]) - 1
        if isinstance(layer, ZeroPad):
            return f"F.pad({x}, {_torch_pad(per_side(layer.padding, ndim, 'padding'))})"
        crops = per_side(layer.cropping, ndim, "cropping") if isinstance(layer, Crop) else layer._crops(inputs)
        sizes = spatial(inputs[0])
        slices = ", ".join(f"{b}:{w - e}" for (b, e), w in zip(crops, sizes, strict=True))
        return f"{x}[:, :, {slices}]"


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
            f"--class-name {literal(class_name)} is not a Python identifier the exported module can use",
            hint="use ASCII letters, digits and underscores, starting with a letter; not a keyword, a builtin, "
            "torch, nn, F or x",
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
