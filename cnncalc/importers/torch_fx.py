"""PyTorch → spec document, by symbolic tracing with torch.fx (no forward pass, no data).

Each leaf module and tensor function of the traced graph becomes a layer; anything not understood
is listed in one error.
"""

from __future__ import annotations

import importlib
import operator
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncalc.errors import SpecError, ValidationSpecError
from cnncalc.i18n import _, number
from cnncalc.importers.refusals import grouped
from cnncalc.importers.torch_calls import (
    Outcome,
    Step,
    arg,
    channel_index,
    convert_call,
    is_channel_axis,
    is_int,
    known_call,
    split_parts,
    upsample_entry,
    upsample_problem,
    wrong_rank,
)
from cnncalc.importers.torch_input import channels_last, first_layer
from cnncalc.importers.torch_layout import (
    Shuffle,
    acts_on_channels_or_values,
    channel_shuffle,
    moves_channels_first,
    moves_channels_last,
    permutation,
)

ACTIVATION_MODULES = {
    "ReLU": "relu", "ReLU6": "relu6", "Tanh": "tanh", "Sigmoid": "sigmoid", "GELU": "gelu", "SiLU": "silu",
    "Hardswish": "hard_swish", "Hardsigmoid": "hard_sigmoid", "Mish": "mish", "Softplus": "softplus",
    "Softsign": "softsign", "SELU": "selu", "Identity": "identity", "Softmax": "softmax", "LogSoftmax": "log_softmax",
}  # fmt: skip


_SHOWN = 200  # characters of a user exception's message: enough to act on, never a wall of text


def _described(error: BaseException) -> str:
    """'ValueError: bad size': the exception's type and message, without its traceback."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def load_factory(target: str) -> Any:
    """'package.module:factory' → the nn.Module that factory() (a class or a function) returns.

    This imports and runs the user's own code; whatever it raises becomes one message naming the
    factory and the exception, since its failures are not cnncalc's to show as a traceback.
    """
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise ValidationSpecError(
            _("--torch {target!r} is not MODULE:FACTORY").format(target=target),
            hint=_("e.g. {example}").format(example="--torch mynets:make_net"),
        )
    try:
        import torch
    except ImportError:
        raise SpecError(
            _("--torch needs PyTorch"), hint=_("install torch (pip install torch), then try again")
        ) from None
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except (Exception, SystemExit) as error:  # the module's own code runs on import and may raise anything
        raise SpecError(
            _("cannot load {target}: importing {module_name} raised {described}").format(
                target=target, module_name=module_name, described=_described(error)
            ),
            hint=_("run {command} in this folder to see where").format(command=f"`python -c 'import {module_name}'`"),
        ) from None
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise SpecError(
            _("cannot load {target}: {module_name} has no function or class {attribute!r}").format(
                target=target, module_name=module_name, attribute=attribute
            )
        )
    try:
        model = factory()
    except (Exception, SystemExit) as error:  # the user's factory, likewise
        raise SpecError(
            _("--torch {target}: the factory raised {described}").format(target=target, described=_described(error)),
            hint=_("call the factory in Python to see where; it must build the module without arguments"),
        ) from None
    if not isinstance(model, torch.nn.Module):
        raise SpecError(
            _("--torch {target}: the factory returned {kind}, not a torch.nn.Module").format(
                target=target, kind=type(model).__name__
            )
        )
    return model


def _pair(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _unrepresentable(module: Any, rank: int) -> str | None:
    """Why a module cnncalc knows by class has arguments it cannot represent (or None)."""
    cls = type(module).__name__
    checks = {
        "Softmax": _softmax_problem,
        "LogSoftmax": _softmax_problem,
        "Softplus": lambda m, r: (m.beta, m.threshold) != (1, 20) and f"beta={m.beta}, threshold={m.threshold}",
        "GELU": lambda m, r: m.approximate != "none" and f"approximate={m.approximate!r}",
        "Flatten": lambda m, r: (m.start_dim, m.end_dim) != (1, -1) and f"start_dim={m.start_dim}, end_dim={m.end_dim}",
        "Upsample": lambda m, r: upsample_problem(m.size, m.scale_factor, m.mode, m.align_corners),
        "Linear": _linear_problem,
        "LayerNorm": _layer_norm_problem,
    }
    if cls.startswith("AvgPool") and getattr(module, "divisor_override", None) is not None:
        return f"divisor_override={module.divisor_override}"
    check = checks.get(cls)
    problem = check(module, rank) if check else None
    return problem if isinstance(problem, str) else None


def _softmax_problem(module: Any, rank: int) -> str | None:
    # dim=None is PyTorch's legacy choice: dimension 0 for ranks 0, 1 and 3, else 1.
    dim = module.dim if module.dim is not None else (0 if rank in (0, 1, 3) else 1)
    return (
        None
        if is_channel_axis(dim, rank)
        else _("dim={dim} of a rank-{rank} tensor (cnncalc's is over channels)").format(dim=module.dim, rank=rank)
    )


def _last_axis(rank: int) -> str:
    layouts = {3: ("N×C×L", "L"), 4: ("N×C×H×W", "W"), 5: ("N×C×D×H×W", "W")}
    if rank not in layouts:
        return _("rank {rank}").format(rank=rank)
    layout, axis = layouts[rank]
    return _("{layout}: it acts on {axis}").format(layout=layout, axis=axis)


def _linear_problem(module: Any, rank: int) -> str | None:
    # PyTorch's Linear acts on the last axis alone; cnncalc's dense layer on all of a sample's values.
    if rank == 2:
        return None
    return _("applied to the last axis of a rank-{rank} tensor ({layout})").format(rank=rank, layout=_last_axis(rank))


def _layer_norm_problem(module: Any, rank: int) -> str | None:
    shape = tuple(module.normalized_shape)
    if rank != 2 or len(shape) != 1:
        return _(
            "normalized_shape={shape} on a rank-{rank} tensor (cnncalc's layer norm is over channels of N×C)"
        ).format(shape=shape, rank=rank)
    if module.elementwise_affine and module.bias is None:
        return _("bias=False (a scale without a shift)")
    return None


def _module_entry(module: Any) -> dict[str, Any] | None:
    cls = type(module).__name__
    if cls in ACTIVATION_MODULES:
        return {ACTIVATION_MODULES[cls]: None}
    if cls.startswith("Conv") and not cls.startswith("ConvTranspose"):
        padding = module.padding if isinstance(module.padding, str) else _pair(module.padding)
        args = {"filters": module.out_channels, "kernel": _pair(module.kernel_size), "stride": _pair(module.stride)}
        args |= {"padding": padding, "dilation": _pair(module.dilation), "groups": module.groups}
        return {"conv": {**args, "bias": module.bias is not None, "padding_mode": module.padding_mode}}
    if cls.startswith("ConvTranspose"):
        return {"conv_transpose": {"filters": module.out_channels, "kernel": _pair(module.kernel_size),
                                   "stride": _pair(module.stride), "padding": _pair(module.padding),
                                   "output_padding": _pair(module.output_padding), "dilation": _pair(module.dilation),
                                   "groups": module.groups, "bias": module.bias is not None}}  # fmt: skip
    if cls == "Linear":
        return {
            "dense": {"units": module.out_features, "bias": module.bias is not None, "in_features": module.in_features}
        }
    if cls.startswith("BatchNorm"):
        return {"batch_norm": {"epsilon": module.eps, "momentum": module.momentum or 0.1, "affine": module.affine,
                               "track_running_stats": module.track_running_stats}}  # fmt: skip
    if cls.startswith("MaxPool") or cls.startswith("AvgPool"):
        kind = "max_pool" if cls.startswith("Max") else "avg_pool"
        args = {"kernel": _pair(module.kernel_size), "stride": _pair(module.stride), "padding": _pair(module.padding),
                "ceil_mode": module.ceil_mode}  # fmt: skip
        if kind == "max_pool":
            args["dilation"] = _pair(module.dilation)
        else:
            args["count_include_pad"] = module.count_include_pad
        return {kind: args}
    if cls.startswith("AdaptiveAvgPool") or cls.startswith("AdaptiveMaxPool"):
        kind = "adaptive_avg_pool" if "Avg" in cls else "adaptive_max_pool"
        return {kind: {"output_size": _pair(module.output_size)}}
    if cls.startswith("Dropout") or cls == "Dropout":
        return {"dropout" if cls == "Dropout" else "spatial_dropout": {"rate": module.p}}
    if cls == "Flatten":
        return {"flatten": None}
    if cls == "LeakyReLU":
        return {"leaky_relu": {"alpha": module.negative_slope}}
    if cls == "ELU":
        return {"elu": {"alpha": module.alpha}}
    if cls == "PReLU":
        return {"prelu": {"shared": module.num_parameters == 1}}
    if cls == "GroupNorm":
        return {"group_norm": {"groups": module.num_groups, "epsilon": module.eps, "affine": module.affine}}
    if cls == "LocalResponseNorm":
        return {"lrn": {"size": module.size, "alpha": module.alpha, "beta": module.beta, "k": module.k}}
    if cls == "Upsample":
        return dict(upsample_entry(module.scale_factor, module.mode))
    if cls == "LayerNorm":
        return {"layer_norm": {"epsilon": module.eps, "affine": module.elementwise_affine}}
    return None


def _declared_channels(module: Any) -> int | None:
    """The channel count a module was built for (cnncalc's conv and norm kinds take whatever comes)."""
    cls = type(module).__name__
    if cls.startswith("Conv"):
        return int(module.in_channels)
    if cls.startswith("BatchNorm"):
        return int(module.num_features)
    if cls == "GroupNorm":
        return int(module.num_channels)
    if cls == "LayerNorm":
        return int(module.normalized_shape[-1])
    return int(module.num_parameters) if cls == "PReLU" and module.num_parameters > 1 else None


@dataclass(frozen=True)
class ShapesFit:
    """Refuse a module whose layers receive other channel counts than they were built for, or
    whose x.view(-1, K) does not keep one row per sample.

    PyTorch fails on the first at its first forward; cnncalc, which sizes each layer's weights from
    the channels it receives, would count the wrong weights. Called by build_graph with the built
    graph (cnncalc.graph.Graph), whose shapes it reads: the importer never builds one itself.
    """

    declared: Mapping[str, tuple[int, str]]  # layer → (the channels it was built for, 'conv2 (Conv2d)')
    rows: Mapping[str, int]  # layer → the values x.view(-1, K) leaves per sample
    source: str

    def __call__(self, graph: Any) -> None:
        for node in graph.nodes:
            if node.name in self.declared and graph.input_shapes(node)[0][-1] != self.declared[node.name][0]:
                channels, place = self.declared[node.name]
                raise ValidationSpecError(
                    _("{source}: {place} was built for {channels} channels but receives {given} there").format(
                        source=self.source, place=place, channels=channels, given=graph.input_shapes(node)[0][-1]
                    ),
                    hint=_("PyTorch fails on this module too: check the channel counts along its forward"),
                )
            if node.name in self.rows and graph.shapes[node.name] != (self.rows[node.name],):
                raise ValidationSpecError(
                    _(
                        "{source}: {name} is x.view(-1, {rows}) of a sample of {size} values, "
                        "which does not make one row per sample"
                    ).format(
                        source=self.source,
                        name=node.name,
                        rows=self.rows[node.name],
                        size=number(graph.shapes[node.name][0]),
                    ),
                    hint=_("write x.view(x.size(0), -1) or torch.flatten(x, 1)"),
                )


def _weighted(module: Any) -> bool:
    return any(True for _ in module.parameters()) or any(True for _ in module.buffers())


def _module_step(node: Any, module: Any, ranks: Mapping[str, int], channels_last: bool = False) -> Outcome:
    rank = ranks[node.args[0].name] if node.args and hasattr(node.args[0], "name") else 0
    if channels_last and type(module).__name__ == "Linear":  # on the channels at every position
        arguments = {"units": module.out_features, "bias": module.bias is not None, "in_features": module.in_features}
        return Step({"pointwise_linear": arguments}, rank)
    # On a channels-last tensor PyTorch's last axis is the channels, as it is on N×C.
    problem = wrong_rank(type(module).__name__, rank) or _unrepresentable(module, 2 if channels_last else rank)
    if problem:
        return problem
    entry = _module_entry(module)
    if entry is None:
        return None
    return Step(entry, 2 if "flatten" in entry else rank)


_SIZE_ARITHMETIC = frozenset({operator.floordiv, operator.mul, operator.add, operator.sub})
# ViT's torch._assert(x.shape[2] == self.image_size, …): a check of sizes while tracing, no layer
_SIZE_CHECKS = frozenset({operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge})


def _checks_sizes(node: Any) -> bool:
    import torch

    return node.op == "call_function" and (node.target in _SIZE_CHECKS or node.target is torch._assert)


def _asks_for_a_size(node: Any, sizes: set[str]) -> bool:
    if node.op == "call_method" and node.target in ("size", "dim"):
        return True
    if node.op == "call_function" and node.target is getattr and node.args[1:] == ("shape",):
        return True
    indexed = getattr(node.args[0], "name", None) if node.args else None
    if node.op == "call_function" and (node.target in _SIZE_ARITHMETIC or _checks_sizes(node)):  # C // groups
        used = [a for a in node.args if hasattr(a, "name")]
        return bool(used) and all(a.name in sizes for a in used)
    return node.op == "call_function" and node.target is operator.getitem and indexed in sizes


def _torch_unsqueeze() -> Any:
    import torch

    return torch.unsqueeze


def _tensor_arguments(node: Any, sizes: set[str]) -> list[Any]:
    """The traced values a call takes, in order and with repeats (x + x takes x twice), sizes left out."""
    from torch.fx.node import map_arg

    found: list[Any] = []
    map_arg((node.args, node.kwargs), found.append)
    return [a for a in found if a.name not in sizes]


def _plain(value: Any) -> bool:
    """Whether an argument is a constant: a size computed while tracing (x.size(2)) is not."""
    if isinstance(value, Mapping):
        return all(_plain(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, int | float | str | bool)


def _layer_scale_parameter(node: Any, traced: Any) -> Any:
    """The parameter of a get_attr node that only one multiply by one traced tensor uses (γ * x),
    the one way cnncalc can count it: once, as a layer scale. None for any other use, and for a
    buffer or frozen tensor, which a layer scale's trainable count would misstate."""
    value = _own_parameter(node, traced)
    if value is None:
        return None
    (user,) = node.users
    name = getattr(user.target, "__name__", user.target)
    operands = [*user.args, *user.kwargs.values()]
    other = [a for a in operands if a is not node]
    if name != "mul" or len(operands) != 2 or len(other) != 1 or not hasattr(other[0], "name"):
        return None
    return value


def _own_parameter(node: Any, traced: Any) -> Any:
    """The trainable parameter a get_attr node reads when nothing else reads it and one call uses it once
    (else None: a buffer, a frozen tensor, or a weight shared with other layers, which would be
    counted twice)."""
    import torch

    try:
        value = traced.get_parameter(str(node.target))
    except AttributeError:
        return None
    accesses = sum(1 for other in node.graph.nodes if other.op == "get_attr" and other.target == node.target)
    if accesses != 1 or len(node.users) != 1 or not isinstance(value, torch.nn.Parameter) or not value.requires_grad:
        return None
    return value


def _layer_norm_parameter(node: Any, traced: Any) -> Any:
    """The γ or β of one F.layer_norm(x, shape, weight, bias) — torchvision's LayerNorm2d calls it
    between two permutes — which the layer norm counts, or None."""
    import torch.nn.functional as F

    value = _own_parameter(node, traced)
    if value is None:
        return None
    (user,) = node.users
    if user.op != "call_function" or user.target is not F.layer_norm:
        return None
    own = [arg(user, 2, "weight"), arg(user, 3, "bias")]
    return value if own.count(node) == 1 and list(user.all_input_nodes).count(node) == 1 else None


# Calls read by the importer itself rather than by a converter: views, splits, permutes, sizes, norms.
_STRUCTURAL = frozenset({"permute", "chunk", "split", "view", "reshape", "transpose", "contiguous", "size", "dim",
                         "getitem", "getattr", "layer_norm", "floordiv", "mul", "add", "sub"})  # fmt: skip


def _place(node: Any) -> str:
    """Where a refusal points: the module's path or parameter's name; for a call, the module whose
    forward makes it (Swin's features.1.0.attn), or the node's name in the top forward."""
    if node.op in ("call_module", "get_attr"):
        return str(node.target)
    inside = list(node.meta.get("nn_module_stack") or ())
    return str(inside[-1]) if inside else node.name


def _functional_layer_norm() -> Any:
    import torch.nn.functional as F

    return F.layer_norm


def _is_named_tuple(target: Any) -> bool:
    return isinstance(target, type) and issubclass(target, tuple) and hasattr(target, "_fields")


def _operation(node: Any, traced: Any) -> str:
    """How a refusal names the operation: the module's class, the function, or the method."""
    if node.op == "call_module":
        return type(traced.get_submodule(node.target)).__name__
    if node.op == "call_function" and node.target is operator.getitem:  # x[:, 0]: a tensor indexed
        return _("indexing x[…]")
    if node.op == "call_function":
        return f"{getattr(node.target, '__name__', node.target)}()"
    if node.op == "get_attr":  # ConvNeXt's layer_scale, ViT's class token: one operation, many places
        return _("a parameter or buffer used directly in forward")
    return f".{node.target}()" if node.op == "call_method" else str(node.op)


class _Reading:
    """The layers read so far: each traced value's layer name and PyTorch rank."""

    def __init__(self, traced: Any, input_name: str, input_rank: int, input_channels: int) -> None:
        self.traced = traced
        self.names: dict[str, str] = {}
        self.taken: set[str] = {"input"}
        self.ranks: dict[str, int] = {}
        self.sizes: set[str] = set()
        self.calls: dict[str, int] = {}
        self.layers: list[dict[str, Any]] = []
        self.refused: list[tuple[str, str]] = []
        self.declared: dict[str, tuple[int, str]] = {}  # layer name → (channels, 'conv2 (Conv2d)')
        self.rows: dict[str, int] = {}  # layer name → the values x.view(-1, K) leaves per sample
        self.channels_last: set[str] = set()  # values between x.permute(0, 2, 3, 1) and its inverse
        self.channels: dict[str, int] = {input_name: input_channels}  # the values whose channel count is known
        self.parts: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}  # a split → its input, channel ranges
        self.shuffles: dict[str, tuple[str, Shuffle]] = {}  # a shuffle's last view → its input, the shuffle
        self.inside: set[str] = set()  # the view, transpose and contiguous inside a channel shuffle
        self.scales: dict[str, Any] = {}  # get_attr node → its parameter, read as the layer_scale of its multiply
        self.norm_parameters: set[str] = set()  # get_attr nodes of the γ and β of an F.layer_norm
        self.bundles: dict[str, list[str]] = {}  # a named tuple of results → the values it holds
        self.dropped: set[str] = set()  # x[:, k]: one channel, its axis dropped until torch.unsqueeze(…, 1)
        self.input_rank = input_rank

    def outputs(self, node: Any) -> list[str]:
        """The layers an output node returns: a tensor, or a tuple, list, dict or named tuple of them."""
        values = [v for r in node.all_input_nodes for v in self.bundles.get(r.name, [r.name])]
        return [self.names[v] for v in values if v in self.names]

    def read(self, node: Any) -> None:
        if node.op == "placeholder":
            self.names[node.name], self.ranks[node.name] = "input", self.input_rank
            return
        if _asks_for_a_size(node, self.sizes):  # x.size(0), x.shape[0]: arguments of a view, not layers
            self.sizes.add(node.name)
            return
        parameter = _layer_scale_parameter(node, self.traced) if node.op == "get_attr" else None
        if parameter is not None:
            self.scales[node.name] = parameter
            return  # read with the one multiply that uses it
        if node.op == "get_attr" and _layer_norm_parameter(node, self.traced) is not None:
            self.norm_parameters.add(node.name)
            return  # counted by the layer norm that uses it
        if node.op == "get_attr" and node.users and not any(self._known(user) for user in node.users):
            return  # Swin's attention weights: read only by operations with no kind, which are named instead
        if node.name in self.inside:
            return  # part of a channel shuffle, read at its last view
        if node.op == "call_function" and _is_named_tuple(node.target):  # GoogLeNetOutputs(logits, aux2, aux1)
            self.bundles[node.name] = [a.name for a in _tensor_arguments(node, self.sizes)]
            return
        shuffle = channel_shuffle(node)
        if shuffle is not None and node.args[0].name in self.names and node.args[0].name not in self.channels_last:
            self.shuffles[shuffle.end.name] = (node.args[0].name, shuffle)
            self.inside.update(shuffle.inner)
            return
        if node.name in self.shuffles:
            self._shuffled(node)
            return
        if node.op in ("call_function", "call_method") and split_parts(node) is not None:
            self._split(node)
            return
        if (
            node.op == "call_function"
            and node.target is operator.getitem
            and getattr(node.args[0], "name", None) in self.parts
        ):
            self._part(node)
            return
        if node.op == "call_function" and node.target is operator.getitem and node.args[0].name in self.names:
            self._indexed(node)
            return
        if any(a.name in self.dropped for a in _tensor_arguments(node, self.sizes)):
            self._undropped(node)
            return
        scale = next((a for a in _tensor_arguments(node, self.sizes) if a.name in self.scales), None)
        owned = self.scales.keys() | self.norm_parameters
        tensors = [a for a in _tensor_arguments(node, self.sizes) if a.name not in owned]
        if any(a.name not in self.names for a in tensors):  # downstream of a refused operation: shapes unknown
            if not self._known(node):  # but an operation with no layer kind is missing whatever it receives
                self.refused.append((_operation(node, self.traced), _place(node)))
            return
        last = [a.name in self.channels_last for a in tensors]
        if scale is not None:
            outcome = self._scaled(scale, tensors[0], any(last))
        elif permutation(node) is not None:
            outcome = self._permuted(node, any(last))
        else:
            outcome = self._outcome(node, last)
        if isinstance(outcome, Step) and not _plain(outcome.entry):
            outcome = _("an argument computed from the input's sizes while tracing")
        if not isinstance(outcome, Step):
            operation = _operation(node, self.traced)
            self.refused.append((f"{operation}: {outcome}" if outcome else operation, _place(node)))
            return
        if outcome.entry is None:  # the identity: the value is its input
            self.names[node.name] = self.names[tensors[0].name]
        else:
            name = self._name(node)
            module = self.traced.get_submodule(node.target) if node.op == "call_module" else None
            channels = _declared_channels(module) if module is not None else None
            if channels is not None:
                self.declared[name] = (channels, f"{node.target} ({type(module).__name__})")
            if outcome.channels is not None:
                self.declared[name] = (outcome.channels, f"{node.name} ({_operation(node, self.traced)})")
            if scale is not None:  # γ of C values multiplies exactly C channels (PyTorch broadcasts a 1)
                self.declared[name] = (self.scales[scale.name].numel(), f"{scale.target} (a parameter)")
            if outcome.features is not None:
                self.rows[name] = outcome.features
            self.layers.append({"name": name, **outcome.entry, "inputs": [self.names[a.name] for a in tensors]})
            self.names[node.name] = name
        self._count_channels(node, outcome, tensors)
        self.ranks[node.name] = outcome.rank
        if any(last) != (permutation(node) is not None):  # entered or stayed in a channels-last stretch
            self.channels_last.add(node.name)

    def _count_channels(self, node: Any, outcome: Step, tensors: list[Any]) -> None:
        """The channels of a step's result where they follow from its arguments, as a later split needs
        them. A miscount cannot pass silently: each split's slices declare the channels they expect."""
        module = self.traced.get_submodule(node.target) if node.op == "call_module" else None
        known = [self.channels.get(a.name) for a in tensors]
        produced = getattr(module, "out_channels", getattr(module, "out_features", None))
        if isinstance(produced, int):
            self.channels[node.name] = produced
        elif outcome.entry is not None and "concat" in outcome.entry and None not in known:
            self.channels[node.name] = sum(c for c in known if c is not None)
        elif known and known[0] is not None and (outcome.entry is None or "flatten" not in outcome.entry):
            self.channels[node.name] = known[0]  # what keeps the channels: activations, norms, pools, merges

    def _split(self, node: Any) -> None:
        """x.chunk(2, dim=1), x.split(k, 1): no layer yet; each part taken (chunks[0]) is a slice."""
        source = node.args[0]
        parts = None
        if source.name in self.names and source.name not in self.channels_last and source.name in self.channels:
            parts = split_parts(node)(self.channels[source.name], self.ranks[source.name])  # type: ignore[misc]
        taken = all(u.op == "call_function" and u.target is operator.getitem and is_int(u.args[1]) for u in node.users)
        if isinstance(parts, tuple) and taken:
            self.parts[node.name] = (source.name, parts)
        elif source.name in self.names:
            reason = parts if isinstance(parts, str) else _("channels cnncalc cannot count before shapes are known")
            if not taken:
                reason = _("its parts used other than one by one (chunks[0])")
            self.refused.append((f"{_operation(node, self.traced)}: {reason}", node.name))

    def _shuffled(self, node: Any) -> None:
        source, shuffle = self.shuffles[node.name]
        name = self._name(node)
        self.layers.append(
            {"name": name, "channel_shuffle": {"groups": shuffle.groups}, "inputs": [self.names[source]]}
        )
        if shuffle.per_group is not None:  # view(b, g, k, h, w) holds g·k channels, or PyTorch fails
            self.declared[name] = (
                shuffle.groups * shuffle.per_group,
                f"{node.name} (a view of {shuffle.groups}×{shuffle.per_group} channels)",
            )
        self.names[node.name], self.ranks[node.name] = name, self.ranks[source]
        if source in self.channels:
            self.channels[node.name] = self.channels[source]

    def _part(self, node: Any) -> None:
        if not node.users:
            return  # a part unpacked and never used: no layer
        source, parts = self.parts[node.args[0].name]
        if not -len(parts) <= node.args[1] < len(parts):
            self.refused.append((f"[{node.args[1]}] of a split into {len(parts)} parts", node.name))
            return
        start, stop = parts[node.args[1]]
        name = self._name(node)
        self.layers.append({"name": name, "slice": {"start": start, "stop": stop}, "inputs": [self.names[source]]})
        self.declared[name] = (self.channels[source], f"{node.args[0].name} (a split of {self.channels[source]})")
        self.names[node.name], self.ranks[node.name], self.channels[node.name] = name, self.ranks[source], stop - start

    def _indexed(self, node: Any) -> None:
        """x[:, k] and x[:, a:b]: a slice of channels (GoogLeNet's transform_input takes each channel so)."""
        source = node.args[0].name
        known = source not in self.channels_last and source not in self.dropped
        channels = self.channels.get(source) if known else None
        picked = channel_index(node.args[1], self.ranks[source], channels)
        if isinstance(picked, str):
            self.refused.append((f"{_operation(node, self.traced)}: {picked}", _place(node)))
            return
        (start, stop, dropped), name = picked, self._name(node)
        self.layers.append({"name": name, "slice": {"start": start, "stop": stop}, "inputs": [self.names[source]]})
        place = _("{name} (x[…] of {channels} channels)").format(name=node.name, channels=self.channels[source])
        self.declared[name] = (self.channels[source], place)
        self.names[node.name], self.channels[node.name] = name, stop - start
        self.ranks[node.name] = self.ranks[source] - dropped
        if dropped:
            self.dropped.add(node.name)

    def _undropped(self, node: Any) -> None:
        """torch.unsqueeze(x[:, k], 1) puts back the channel axis an integer index dropped: the one-channel
        slice it was in cnncalc. Any other use of x[:, k] acts on an N×H×W tensor, which cnncalc has not."""
        source = str(getattr(node.args[0], "name", "")) if node.args else ""
        dim = arg(node, 1, "dim")
        unsqueeze = node.target is _torch_unsqueeze() or (node.op == "call_method" and node.target == "unsqueeze")
        if unsqueeze and source in self.dropped and is_int(dim) and dim == 1:
            self.names[node.name], self.ranks[node.name] = self.names[source], self.ranks[source] + 1
            self.channels[node.name] = 1
            return
        reason = _("x[:, k] without its channel axis (torch.unsqueeze(x[:, k], 1) or x[:, k:k + 1] keeps it)")
        self.refused.append((f"{_operation(node, self.traced)}: {reason}", _place(node)))

    def _scaled(self, scale: Any, tensor: Any, last: bool) -> Outcome:
        """γ * x: a layer scale when γ holds one value per channel, laid out to broadcast over the rest."""
        shape, rank = tuple(self.scales[scale.name].shape), self.ranks[tensor.name]
        channels = (shape or (0,))[-1 if last else 0]
        per_channel = (1,) * (rank - 1) + (channels,) if last else (1, channels) + (1,) * (rank - 2)
        if rank < 2 or len(shape) > rank or per_channel[rank - len(shape) :] != shape:
            axes = "N×…×C" if last else "N×C×…"
            return f"{scale.target} of shape {shape} on a rank-{rank} {axes} tensor (only one value per channel)"
        return Step({"layer_scale": None}, rank)

    def _permuted(self, node: Any, last: bool) -> Outcome:
        """A permute to channels last or back: nothing in cnncalc's layout, which is channels last."""
        source = getattr(node.args[0], "name", None) if node.args else None
        if source not in self.ranks:
            return None
        dims, rank = permutation(node), self.ranks[source]
        move = moves_channels_first if last else moves_channels_last
        if dims is not None and move(dims, rank):
            return Step(None, rank)
        return _("dims={dims} (only N×C×… to N×…×C and back)").format(dims=dims)

    def _outcome(self, node: Any, last: list[bool]) -> Outcome:
        module = self.traced.get_submodule(node.target) if node.op == "call_module" else None
        if any(last) and not (all(last) and acts_on_channels_or_values(node, module)):
            return _("on a channels-last tensor (after permute), where its axes mean others than cnncalc's")
        if module is not None:
            self.calls[node.target] = self.calls.get(node.target, 0) + 1
            if self.calls[node.target] > 1 and _weighted(module):
                return _("called more than once (shared weights, which cnncalc has no way to count once)")
            return _module_step(node, module, self.ranks, any(last))
        if node.op == "call_function" and node.target is _functional_layer_norm():
            return self._layer_norm(node, any(last))
        if node.op in ("call_function", "call_method"):
            return convert_call(node, self.ranks)
        return None

    def _layer_norm(self, node: Any, last: bool) -> Outcome:
        """F.layer_norm(x, (C,), weight, bias, eps) over the channels: those of a channels-last
        tensor (after x.permute(0, 2, 3, 1)) or of N×C; γ and β the call's own parameters."""
        shape, rank = arg(node, 1, "normalized_shape"), self.ranks[node.args[0].name]
        own = [arg(node, 2, "weight"), arg(node, 3, "bias")]
        if not (last or rank == 2) or not isinstance(shape, tuple | list) or len(shape) != 1:
            return _(
                "normalized_shape={shape} on a rank-{rank} N×C×… tensor (cnncalc's layer norm is over the channels)"
            ).format(shape=shape, rank=rank)
        if any(p is not None and getattr(p, "name", None) not in self.norm_parameters for p in own):
            return _("a weight or bias that is not a trainable parameter of this call alone")
        if own.count(None) == 1:
            return _("a weight without a bias or a bias without a weight")
        affine = own[0] is not None
        entry = {"layer_norm": {"epsilon": arg(node, 4, "eps", 1e-5), "affine": affine}}
        return Step(entry, rank, channels=int(shape[0]))

    def _known(self, node: Any) -> bool:
        """Whether cnncalc reads this operation at all (with some arguments): what is not is named in a
        refusal even downstream of another refused one, so that every missing operation is listed."""
        if node.op == "call_module":
            return _module_entry(self.traced.get_submodule(node.target)) is not None
        if node.op not in ("call_function", "call_method"):
            return True
        name = str(getattr(node.target, "__name__", node.target))
        return known_call(node) or name in _STRUCTURAL or _checks_sizes(node) or _is_named_tuple(node.target)

    def _name(self, node: Any) -> str:
        """The module's path ('layer1.0.conv1'); its second call 'layer1.0.relu#2'; a function's node name."""
        if node.op != "call_module":
            base = node.name
        else:
            calls = self.calls[node.target]
            base = str(node.target) if calls == 1 else f"{node.target}#{calls}"
        name, k = base, 1
        while name in self.taken:  # a function node named like a module: keep both, distinctly
            k += 1
            name = f"{base}#{k}"
        self.taken.add(name)
        return name


def _used_parameters(traced: Any) -> set[int]:
    """The ids of the parameters the traced forward reaches: its modules' and those it reads directly."""
    used: set[int] = set()
    for node in traced.graph.nodes:
        if node.op == "call_module":
            used.update(id(p) for p in traced.get_submodule(node.target).parameters())
        elif node.op == "get_attr":
            try:
                used.add(id(traced.get_parameter(str(node.target))))
            except AttributeError:  # a buffer, or a submodule passed along
                continue
    return used


def _refuse_unused(traced: Any, model: Any, source: str) -> None:
    """Refuse a module holding trainable parameters its forward never uses (GoogLeNet's and Inception's
    auxiliary heads in eval mode): cnncalc counts what the forward computes, which would then differ
    from the module's sum(p.numel()) with nothing to say so."""
    used = _used_parameters(traced)
    unused = {id(p): p.numel() for p in model.parameters() if p.requires_grad and id(p) not in used}
    if not unused:
        return
    places: list[str] = []
    covered: set[int] = set()
    for name, module in model.named_modules():  # the outermost submodules all of whose weights are unused
        held = {id(p) for p in module.parameters()}
        if name and held and held <= unused.keys() and not held <= covered:
            places.append(f"{name} ({type(module).__name__})")
            covered |= held
    places += [name for name, p in model.named_parameters() if id(p) in unused.keys() - covered]
    shown = ", ".join(places[:3]) + (", …" if len(places) > 3 else "")
    raise ValidationSpecError(
        _("{source} holds {count} trainable parameters its forward never uses: {shown}").format(
            source=source, count=number(sum(unused.values())), shown=shown
        ),
        hint=_(
            "cnncalc counts what the forward computes: remove them (e.g. model.aux1 = None, or torchvision's "
            "aux_logits=False), or import it in training mode (model.train()) if the forward uses them there"
        ),
    )


def read_module(
    model: Any, input_shape: tuple[int, ...] | None, source: str = "module"
) -> tuple[dict[str, Any], tuple[ShapesFit, ...]]:
    """The spec document of an nn.Module; `input_shape` as --input gave it (PyTorch's C×H×W or N×C×H×W,
    or cnncalc's H×W×C), read in the order the module's first layer's channel count allows."""
    import torch.fx

    if input_shape is None:
        raise ValidationSpecError(
            _("a PyTorch module needs --input"),
            hint=_("give the sizes as PyTorch does, e.g. --input 3x224x224 (C×H×W)"),
        )
    try:
        traced = torch.fx.symbolic_trace(model)
    except Exception as exc:  # tracing fails in many ways on dynamic control flow
        raise SpecError(
            _("torch.fx cannot trace {source}: {described}").format(source=source, described=_described(exc)),
            hint=_("the forward must not branch on tensor values"),
        ) from None
    inputs = [node.name for node in traced.graph.nodes if node.op == "placeholder"]
    if len(inputs) != 1:
        raise ValidationSpecError(
            _("{source}: forward takes {count} inputs ({names}); cnncalc reads one-input modules").format(
                source=source, count=len(inputs), names=", ".join(inputs[:5])
            ),
            hint=_("wrap it in a module whose forward(x) takes one tensor and calls it"),
        )
    shape = channels_last(input_shape, first_layer(traced), source)
    reading = _Reading(traced, inputs[0], len(shape) + 1, shape[-1])
    outputs: list[str] = []
    for node in traced.graph.nodes:
        if node.op == "output":  # a tensor, or a tuple, list or dict of them
            outputs = reading.outputs(node)
        else:
            reading.read(node)
    if reading.refused:
        raise ValidationSpecError(
            _("{source}: cnncalc does not understand {grouped}").format(source=source, grouped=grouped(reading.refused))
        )
    _refuse_unused(traced, model, source)
    document = {
        "name": type(model).__name__,
        "input": "x".join(map(str, shape)),
        "layers": reading.layers,
        "outputs": outputs,
    }
    return document, (ShapesFit(reading.declared, reading.rows, source),)
