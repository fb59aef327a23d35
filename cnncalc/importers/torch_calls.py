"""Functional calls of a traced PyTorch module (F.*, torch.*, tensor methods) → spec layers.

Each converter gets the fx node and the PyTorch rank (batch included) of every traced tensor, and
returns a Step (the layer and the rank of its result), a reason it cannot be represented with these
arguments, or None for an operation it does not know. PyTorch tensors are channels first and
cnncalc's are channels last, so a dimension number means "channels" only when it is 1 (or the last
of a rank-2 tensor); anything acting on another axis is refused, never moved to the channels.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cnncalc.i18n import _


@dataclass(frozen=True)
class Step:
    """What a traced operation becomes: a layer (None: its result is its input) and its result's rank."""

    entry: Mapping[str, Any] | None
    rank: int
    # The values each sample's result must hold: x.view(-1, 400) is a flatten only when a sample
    # holds 400 values (else it moves values between samples). Checked once shapes are known.
    features: int | None = None
    # The channels the layer was built for (F.layer_norm's normalized_shape), checked once shapes are known.
    channels: int | None = None


Outcome = Step | str | None  # a step, why these arguments cannot be represented, or unknown
Converter = Callable[[Any, Mapping[str, int]], Outcome]


def arg(node: Any, index: int, name: str, default: Any = None) -> Any:
    """An argument of the call, given by position or by name."""
    if name in node.kwargs:
        return node.kwargs[name]
    return node.args[index] if len(node.args) > index else default


def rank_of(node: Any, ranks: Mapping[str, int]) -> int:
    """The rank of the call's first argument (the tensor it acts on)."""
    return ranks[node.args[0].name]


def is_channel_axis(dim: Any, rank: int) -> bool:
    """Whether PyTorch's dimension `dim` of a rank-`rank` N×C×… tensor is the channel axis."""
    return is_int(dim) and rank >= 2 and dim % rank == 1


def is_int(value: Any) -> bool:
    """An int, and not a bool (True == 1 in Python; PyTorch refuses a bool dimension)."""
    return isinstance(value, int) and not isinstance(value, bool)


def wrong_rank(name: str, rank: int) -> str | None:
    """Why a '…2d' layer or function cannot take a rank-`rank` tensor (None: it can).

    cnncalc's kinds adapt to their input's rank, so a Conv2d or BatchNorm2d given a 3-D volume
    would be counted as a 3-D layer; PyTorch refuses it (a BatchNorm1d takes N×C or N×C×L).
    """
    spatial = {"1d": (1, 0), "2d": (2,), "3d": (3,)}.get(name[-2:])
    if spatial is None or rank - 2 in spatial[: 2 if name.startswith("BatchNorm") else 1]:
        return None
    return _("a rank-{rank} input (a {kind} layer takes rank {needed}, N×C×…)").format(
        rank=rank, kind=name[-2:], needed=spatial[0] + 2
    )


def same(kind: str, arguments: Mapping[str, Any] | None = None) -> Converter:
    """A converter for an operation that keeps the rank and takes no arguments cnncalc needs."""
    return lambda node, ranks: Step({kind: arguments}, rank_of(node, ranks))


def _identity(node: Any, ranks: Mapping[str, int]) -> Outcome:
    return Step(None, rank_of(node, ranks))


def _gelu(node: Any, ranks: Mapping[str, int]) -> Outcome:
    approximate = arg(node, 1, "approximate", "none")
    return same("gelu")(node, ranks) if approximate == "none" else f"approximate={approximate!r}"


def _hardtanh(node: Any, ranks: Mapping[str, int]) -> Outcome:
    bounds = (arg(node, 1, "min_val", -1.0), arg(node, 2, "max_val", 1.0))
    return same("relu6")(node, ranks) if bounds == (0, 6) else f"min_val, max_val = {bounds} (only 0, 6: ReLU6)"


def _slope(kind: str, position_name: str, default: float) -> Converter:
    def convert(node: Any, ranks: Mapping[str, int]) -> Outcome:
        return Step({kind: {"alpha": arg(node, 1, position_name, default)}}, rank_of(node, ranks))

    return convert


def _softmax(kind: str) -> Converter:
    def convert(node: Any, ranks: Mapping[str, int]) -> Outcome:
        dim, rank = arg(node, 1, "dim"), rank_of(node, ranks)
        if is_channel_axis(dim, rank):
            return Step({kind: None}, rank)
        return _("dim={dim} of a rank-{rank} tensor (cnncalc's {kind} is over channels, dim=1)").format(
            dim=dim, rank=rank, kind=kind
        )

    return convert


def _dropout(kind: str) -> Converter:
    return lambda node, ranks: Step({kind: {"rate": arg(node, 1, "p", 0.5)}}, rank_of(node, ranks))


def _pool(kind: str, name: str) -> Converter:
    def convert(node: Any, ranks: Mapping[str, int]) -> Outcome:
        problem = wrong_rank(name, rank_of(node, ranks))
        if problem:
            return problem
        kernel = arg(node, 1, "kernel_size")
        stride = arg(node, 2, "stride") or kernel  # PyTorch: stride=None means the kernel size
        args = {"kernel": _listed(kernel), "stride": _listed(stride), "padding": _listed(arg(node, 3, "padding", 0))}
        if kind == "max_pool":
            args |= {"dilation": _listed(arg(node, 4, "dilation", 1)), "ceil_mode": arg(node, 5, "ceil_mode", False)}
            if arg(node, 6, "return_indices", False):
                return "return_indices=True"
        else:
            args |= {
                "ceil_mode": arg(node, 4, "ceil_mode", False),
                "count_include_pad": arg(node, 5, "count_include_pad", True),
            }
            if arg(node, 6, "divisor_override") is not None:
                return f"divisor_override={arg(node, 6, 'divisor_override')}"
        return Step({kind: args}, rank_of(node, ranks))

    return convert


def _adaptive(kind: str, name: str) -> Converter:
    def convert(node: Any, ranks: Mapping[str, int]) -> Outcome:
        problem = wrong_rank(name, rank_of(node, ranks))
        if problem:
            return problem
        size = arg(node, 1, "output_size")
        if size is None or (isinstance(size, tuple | list) and None in size):
            return _("output_size={size} (a size kept from the input)").format(size=size)
        if arg(node, 2, "return_indices", False):
            return "return_indices=True"
        return Step({kind: {"output_size": _listed(size)}}, rank_of(node, ranks))

    return convert


def _listed(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | list) else value


def _mean(node: Any, ranks: Mapping[str, int]) -> Outcome:
    """x.mean((2, 3)): the mean over every spatial axis (cnncalc's reduce_mean, whose default axes they are)."""
    rank, dims, keep = rank_of(node, ranks), arg(node, 1, "dim"), bool(arg(node, 2, "keepdim", False))
    axes = dims if isinstance(dims, tuple | list) else (dims,)
    if rank > 2 and all(is_int(d) for d in axes) and sorted(d % rank for d in axes) == list(range(2, rank)):
        # reduce_mean, not global_avg_pool: equal numbers, but fvcore counts a mean apart from a pool
        return Step({"reduce_mean": {"keepdims": keep}}, rank if keep else 2)
    return _("dim={dims} of a rank-{rank} tensor (only the mean over every spatial axis, dims 2…)").format(
        dims=dims, rank=rank
    )


def upsample_problem(size: Any, scale: Any, mode: str, align_corners: Any) -> str | None:
    """Why an upsampling cnncalc's upsample cannot represent exactly (or None)."""
    if size is not None or scale is None:
        return _("a target size instead of scale_factor")
    scales = scale if isinstance(scale, tuple | list) else (scale,)
    if any(float(s) != int(s) or s < 1 for s in scales):
        return _("scale_factor={scale} (cnncalc scales by whole numbers)").format(scale=scale)
    if mode not in ("nearest", "linear", "bilinear", "trilinear"):
        return f"mode={mode!r}"
    return "align_corners=True" if align_corners else None


def upsample_entry(scale: Any, mode: str) -> Mapping[str, Any]:
    scales = [int(s) for s in scale] if isinstance(scale, tuple | list) else int(scale)
    return {"upsample": {"scale": scales, "mode": "nearest" if mode == "nearest" else "linear"}}


def _interpolate(node: Any, ranks: Mapping[str, int]) -> Outcome:
    size, scale, mode = arg(node, 1, "size"), arg(node, 2, "scale_factor"), arg(node, 3, "mode", "nearest")
    problem = upsample_problem(size, scale, mode, arg(node, 4, "align_corners"))
    if problem is None and arg(node, 6, "antialias", False):
        problem = "antialias=True"
    return problem or Step(upsample_entry(scale, mode), rank_of(node, ranks))


def _cat(node: Any, ranks: Mapping[str, int]) -> Outcome:
    tensors, dim = arg(node, 0, "tensors"), arg(node, 1, "dim", 0)
    if not isinstance(tensors, tuple | list) or not all(hasattr(t, "name") and t.name in ranks for t in tensors):
        return _("tensors that are not all traced values")
    tensor_ranks = {ranks[t.name] for t in tensors}
    rank = tensor_ranks.pop() if len(tensor_ranks) == 1 else 0
    if len(tensors) == 1:
        return Step(None, rank)  # one tensor: cat returns it unchanged
    if not is_channel_axis(dim, rank):
        return _("dim={dim} of rank-{rank} tensors (cnncalc concatenates channels, dim=1)").format(dim=dim, rank=rank)
    return Step({"concat": None}, rank)


def _merge(kind: str) -> Converter:
    """x + y, x * y, torch.add(x, y): both tensors, of one rank (PyTorch aligns ranks from the last
    axis and cnncalc from the channels, so only equal ranks broadcast alike). One tensor and one
    number: a rescaling (x * 0.458 + -0.03, GoogLeNet's transform_input)."""

    def convert(node: Any, ranks: Mapping[str, int]) -> Outcome:
        operands = (*node.args[:2], *[node.kwargs[k] for k in ("other",) if k in node.kwargs])
        if arg(node, 2, "alpha", 1) != 1:
            return f"alpha={arg(node, 2, 'alpha', 1)}"
        rescaling = _rescaling(kind, operands, ranks)
        if rescaling is not None:
            return rescaling
        if len(operands) < 2 or not all(hasattr(a, "name") and a.name in ranks for a in operands):
            return _("a constant operand (only two traced tensors merge, or a tensor and a number)")
        left, right = (ranks[a.name] for a in operands)
        if left != right:
            return _("tensors of ranks {left} and {right} (PyTorch broadcasts them from the last axis)").format(
                left=left, right=right
            )
        return Step({kind: None}, left)

    return convert


def _rescaling(kind: str, operands: tuple[Any, ...], ranks: Mapping[str, int]) -> Step | None:
    """x * c, c * x, x + c, c + x, x - c, c - x with a finite number c: y = x·scale + offset."""
    traced = [a for a in operands if hasattr(a, "name") and a.name in ranks]
    numbers = [float(a) for a in operands if isinstance(a, int | float) and not isinstance(a, bool)]
    if len(operands) != 2 or len(traced) != 1 or len(numbers) != 1 or not math.isfinite(numbers[0]):
        return None
    c, first = numbers[0], operands[0] is traced[0]
    scale, offset = {"multiply": (c, 0.0), "add": (1.0, c), "subtract": (1.0, -c) if first else (-1.0, c)}[kind]
    return Step({"rescaling": {"scale": scale, "offset": offset}}, ranks[traced[0].name])


def channel_index(index: Any, rank: int, channels: int | None) -> tuple[int, int, bool] | str:
    """x[:, k] or x[:, a:b] (full slices after them allowed): the channels [start, stop) it takes and
    whether an integer index drops the channel axis, or why cnncalc's slice cannot take it."""
    items = index if isinstance(index, tuple) else (index,)
    every = slice(None)
    if rank < 2 or len(items) < 2 or items[0] != every or any(i != every and i is not ... for i in items[2:]):
        return _("an index other than x[:, k] or x[:, a:b] (cnncalc slices channels, dim 1)")
    pick = items[1]
    if channels is None:
        return _("channels cnncalc cannot count before shapes are known")
    if is_int(pick):
        if not -channels <= pick < channels:
            return _("index {pick} of {channels} channels").format(pick=pick, channels=channels)
        return pick % channels, pick % channels + 1, True
    bounds = (pick.start, pick.stop, pick.step) if isinstance(pick, slice) else ()
    if not bounds or not all(b is None or is_int(b) for b in bounds):
        return _("index {pick!r} on the channels (only an integer or a constant range)").format(pick=pick)
    if pick.step not in (None, 1):
        return _("a step of {step} (cnncalc's slice takes consecutive channels)").format(step=pick.step)
    start, stop = pick.indices(channels)[:2]
    if start >= stop:
        return _("the empty range {start}:{stop} of {channels} channels").format(
            start=start, stop=stop, channels=channels
        )
    return start, stop, False


def _flatten(node: Any, ranks: Mapping[str, int]) -> Outcome:
    """torch.flatten(x, 1) / x.flatten(1): everything but the batch axis, nothing else."""
    start, end = arg(node, 1, "start_dim", 0), arg(node, 2, "end_dim", -1)
    if is_int(start) and is_int(end) and (start, end) == (1, -1):
        return Step({"flatten": None}, 2)
    return _("start_dim={start}, end_dim={end} (only flatten(x, 1): all but the batch axis)").format(
        start=start, end=end
    )


def _reshape(node: Any, ranks: Mapping[str, int]) -> Outcome:
    """x.view(x.size(0), -1) / x.reshape(N, -1): one batch axis, then everything; x.view(-1, 400)
    (the older CIFAR-10 tutorial) too, when a sample holds 400 values."""
    rest = node.args[1:] or (node.kwargs.get("shape", node.kwargs.get("size")),)
    sizes = rest[0] if len(rest) == 1 and isinstance(rest[0], tuple | list) else rest
    if len(sizes) == 2 and is_int(sizes[1]) and sizes[1] == -1:
        return Step({"flatten": None}, 2)
    if len(sizes) == 2 and is_int(sizes[0]) and sizes[0] == -1 and is_int(sizes[1]) and sizes[1] > 0:
        return Step({"flatten": None}, 2, features=sizes[1])
    return _("a shape other than (N, -1)")


def _stochastic_depth(node: Any, ranks: Mapping[str, int]) -> Outcome:
    """torchvision.ops.stochastic_depth(x, p, mode, training): the identity in eval mode."""
    if arg(node, 3, "training", True):
        return _("training mode (it drops whole samples at random; call .eval() on the module in the factory)")
    return Step(None, rank_of(node, ranks))


Parts = Callable[[int, int], "tuple[tuple[int, int], ...] | str"]


def split_parts(node: Any) -> Parts | None:
    """For x.chunk(n, dim=1), torch.chunk, x.split(k or [sizes], dim=1), torch.split: given the input's
    channels and rank, the channel range [start, stop) of each part, or why they cannot be sliced.
    None for any other call."""
    name = getattr(node.target, "__name__", node.target)
    if node.op not in ("call_method", "call_function") or name not in ("chunk", "split") or not node.args:
        return None
    size = arg(node, 1, "chunks" if name == "chunk" else "split_size_or_sections")
    if node.op == "call_method" and name == "split" and "split_size" in node.kwargs:
        size = node.kwargs["split_size"]
    dim = arg(node, 2, "dim", 0)

    def parts(channels: int, rank: int) -> tuple[tuple[int, int], ...] | str:
        if not is_channel_axis(dim, rank):
            return _("dim={dim} of a rank-{rank} tensor (cnncalc slices channels, dim=1)").format(dim=dim, rank=rank)
        if name == "chunk" and is_int(size) and size > 0:  # PyTorch's chunks hold ceil(C / n) channels
            sizes = [-(-channels // size)] * (channels // -(-channels // size)) if channels else []
            sizes += [channels - sum(sizes)] if channels - sum(sizes) else []
        elif name == "split" and is_int(size) and size > 0:
            sizes = [size] * (channels // size) + ([channels % size] if channels % size else [])
        elif name == "split" and isinstance(size, list | tuple) and all(is_int(n) and n > 0 for n in size):
            sizes = list(size)
        else:
            return f"{'chunks' if name == 'chunk' else 'sizes'}={size}"
        if sum(sizes) != channels:
            return _("sizes {sizes} of {channels} channels (PyTorch refuses them)").format(
                sizes=sizes, channels=channels
            )
        ends = [sum(sizes[: i + 1]) for i in range(len(sizes))]
        return tuple(zip([0, *ends[:-1]], ends, strict=True))

    return parts


@functools.cache  # built once: the table is constant, and torch is imported only when a module is traced
def _functions() -> dict[Any, Converter]:
    import torch
    import torch.nn.functional as F

    table: dict[Any, Converter] = {
        F.relu: same("relu"), torch.relu: same("relu"), F.relu6: same("relu6"), F.hardtanh: _hardtanh,
        F.sigmoid: same("sigmoid"), torch.sigmoid: same("sigmoid"), F.tanh: same("tanh"), torch.tanh: same("tanh"),
        F.hardswish: same("hard_swish"), F.hardsigmoid: same("hard_sigmoid"), F.silu: same("silu"),
        F.mish: same("mish"), F.gelu: _gelu, F.softsign: same("softsign"), F.selu: same("selu"),
        F.leaky_relu: _slope("leaky_relu", "negative_slope", 0.01), F.elu: _slope("elu", "alpha", 1.0),
        F.softmax: _softmax("softmax"), torch.softmax: _softmax("softmax"),
        F.log_softmax: _softmax("log_softmax"), torch.log_softmax: _softmax("log_softmax"),
        F.dropout: _dropout("dropout"), F.dropout1d: _dropout("spatial_dropout"),
        F.dropout2d: _dropout("spatial_dropout"), F.dropout3d: _dropout("spatial_dropout"),
        F.interpolate: _interpolate, torch.mean: _mean,
        torch.cat: _cat, torch.concat: _cat, torch.concatenate: _cat,
        operator.add: _merge("add"), torch.add: _merge("add"), operator.sub: _merge("subtract"),
        torch.sub: _merge("subtract"), operator.mul: _merge("multiply"), torch.mul: _merge("multiply"),
        torch.flatten: _flatten, torch.reshape: _reshape,
    }  # fmt: skip
    for dims in "123":
        table[getattr(F, f"max_pool{dims}d")] = _pool("max_pool", f"max_pool{dims}d")
        table[getattr(F, f"avg_pool{dims}d")] = _pool("avg_pool", f"avg_pool{dims}d")
        table[getattr(F, f"adaptive_avg_pool{dims}d")] = _adaptive("adaptive_avg_pool", f"adaptive_avg_pool{dims}d")
        table[getattr(F, f"adaptive_max_pool{dims}d")] = _adaptive("adaptive_max_pool", f"adaptive_max_pool{dims}d")
    return table


METHODS: dict[str, Converter] = {
    "relu": same("relu"), "sigmoid": same("sigmoid"), "tanh": same("tanh"), "softmax": _softmax("softmax"),
    "log_softmax": _softmax("log_softmax"), "mean": _mean, "flatten": _flatten, "view": _reshape,
    "reshape": _reshape, "add": _merge("add"), "sub": _merge("subtract"), "mul": _merge("multiply"),
    "contiguous": _identity,
}  # fmt: skip


_NUMBER_FIRST = (operator.add, operator.sub, operator.mul)  # 1.0 - x: a rescaling of x (see _rescaling)


def known_call(node: Any) -> bool:
    """Whether a call_function or call_method node is an operation with a converter (of any arguments)."""
    if node.op == "call_method":
        return node.target in METHODS
    return node.target in _functions() or _is_torchvision(node.target, "stochastic_depth")


def convert_call(node: Any, ranks: Mapping[str, int]) -> Outcome:
    """The layer of a call_function or call_method node (see the module's docstring)."""
    first = node.args[0] if node.args else None
    traced_first = isinstance(first, tuple | list) or getattr(first, "name", None) in ranks
    if not traced_first and not (node.target in _NUMBER_FIRST and getattr(node.args[1], "name", None) in ranks):
        return None  # torch.zeros(…), 3 ** x: not a layer applied to a traced tensor
    if node.op == "call_method":
        converter = METHODS.get(node.target)
    elif _is_torchvision(node.target, "stochastic_depth"):
        converter = _stochastic_depth
    else:
        converter = _functions().get(node.target)
    return converter(node, ranks) if converter else None


def _is_torchvision(target: Any, name: str) -> bool:
    return getattr(target, "__name__", None) == name and str(getattr(target, "__module__", "")).startswith(
        "torchvision"
    )
