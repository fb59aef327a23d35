"""--input for a traced PyTorch module: PyTorch's order (C×H×W, N×C×H×W) or cnncalc's (H×W×C).

PyTorch users write the channels first; cnncalc's shapes are channels last. Reading 3x32x32 as
H=3, W=32, C=32 gave a network with the wrong number of parameters and no complaint, so the order
is decided by the first layer's channel count (a convolution's in_channels, a batch norm's
num_features), and an input that fits no order, or two different ones, is refused with both
readings spelled out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnncalc.errors import ValidationSpecError
from cnncalc.i18n import _

# Layers that keep the channel count: the first channel-counting layer may sit behind them.
_KEEPS_CHANNELS = ("ReLU", "ReLU6", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Hardswish",
                   "Hardsigmoid", "Mish", "Identity", "Dropout", "MaxPool", "AvgPool", "Adaptive", "Upsample",
                   "ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "Softmax", "LogSoftmax",
                   "Softplus", "Softsign", "SELU", "CELU", "PReLU", "Hardtanh", "GroupNorm", "InstanceNorm",
                   "LocalResponseNorm")  # fmt: skip
# The same, called as functions or tensor methods (F.relu(x), x.relu(), F.max_pool2d(x, 2), x + y).
_KEEPS_CHANNELS_CALLS = frozenset({"relu", "relu_", "relu6", "hardtanh", "leaky_relu", "elu", "gelu", "silu", "sigmoid",
                                   "tanh", "hardswish", "hardsigmoid", "mish", "dropout", "interpolate", "max_pool1d",
                                   "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d", "contiguous",
                                   "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
                                   "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
                                   "add", "mul", "sub", "pad"})  # fmt: skip
_AXES = {0: (), 1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


@dataclass(frozen=True)
class FirstLayer:
    """The first layer that fixes the input's channel count, and the spatial ranks it accepts."""

    place: str  # 'conv1 (Conv2d)'
    channels: int | None  # None: a layer that fixes only the spatial rank (a pool)
    spatial_ranks: tuple[int, ...]


@dataclass(frozen=True)
class Reading:
    order: str  # 'C×H×W'
    shape: tuple[int, ...]  # channels last, as cnncalc's input
    channels: int


def first_layer(traced: Any) -> FirstLayer | None:
    """The first module counting channels that the input reaches through channel-keeping layers; if
    there is none, the first layer that fixes the number of spatial axes (a 2-D pool), channels unknown."""
    reached: set[str] = set()
    rank_only: FirstLayer | None = None
    for node in traced.graph.nodes:
        if node.op == "placeholder":
            reached.add(node.name)
            continue
        if not node.all_input_nodes or not all(source.name in reached for source in node.all_input_nodes):
            continue
        if node.op == "call_module":
            module = traced.get_submodule(node.target)
            name, place = type(module).__name__, f"{node.target} ({type(module).__name__})"
            found = _channels_of(module)
            if found is not None:
                return FirstLayer(place, *found)
            keeps = name.startswith(_KEEPS_CHANNELS)
        elif node.op in ("call_function", "call_method"):
            name = str(getattr(node.target, "__name__", node.target))
            place, keeps = f"{node.name} ({name}())", name in _KEEPS_CHANNELS_CALLS
        else:
            continue
        dims = _SPATIAL_SUFFIX.get(name[-2:])
        if rank_only is None and dims is not None:
            rank_only = FirstLayer(place, None, dims)
        if keeps:
            reached.add(node.name)
    return rank_only


_SPATIAL_SUFFIX = {"1d": (1,), "2d": (2,), "3d": (3,)}


def _channels_of(module: Any) -> tuple[int, tuple[int, ...]] | None:
    cls = type(module).__name__
    dims = _SPATIAL_SUFFIX.get(cls[-2:])
    if cls.startswith(("Conv", "ConvTranspose")) and dims is not None:
        return module.in_channels, dims
    if cls.startswith("BatchNorm") and dims is not None:
        return module.num_features, (0, 1) if dims == (1,) else dims  # BatchNorm1d takes N×C or N×C×L
    return None


def readings(shape: tuple[int, ...], spatial_rank: int) -> list[Reading]:
    """Every way `shape` can be read for a layer with `spatial_rank` spatial axes."""
    axes = _AXES.get(spatial_rank, tuple(f"S{i}" for i in range(spatial_rank)))
    found = []
    if len(shape) == spatial_rank + 1:
        found.append(Reading("×".join((*axes, "C")), shape, shape[-1]))
        if spatial_rank:
            found.append(Reading("×".join(("C", *axes)), (*shape[1:], shape[0]), shape[0]))
    if len(shape) == spatial_rank + 2 and shape[0] == 1:
        found.append(Reading("×".join(("N", "C", *axes)), (*shape[2:], shape[1]), shape[1]))
    return found


def channels_last(shape: tuple[int, ...], first: FirstLayer | None, source: str) -> tuple[int, ...]:
    """`shape` (as --input gave it) in cnncalc's order, checked against the first layer's channels.

    Without a channel-counting layer the order cannot be checked, and the shape is read in PyTorch's
    order without the batch (C×H×W), as a PyTorch user writes it; what such a module holds (a
    flatten and dense layers, which check their in_features) counts the same in any order.
    """
    if first is None:
        return shape if len(shape) == 1 else (*shape[1:], shape[0])
    given = "x".join(map(str, shape))
    possible = [r for rank in first.spatial_ranks for r in readings(shape, rank)]
    if not possible:
        examples = _(" or ").join(_example(first, rank) for rank in first.spatial_ranks)
        raise ValidationSpecError(
            _("--input {given} has {count} sizes, which {place}, the first layer of {source}, cannot take").format(
                given=given, count=len(shape), place=first.place, source=source
            ),
            hint=_("give {examples}").format(examples=examples),
        )
    if first.channels is None:  # the rank is known, the channels are not: PyTorch's order
        return next(r for r in possible if not r.order.endswith("C")).shape if len(shape) > 1 else shape
    fitting = [r for r in possible if r.channels == first.channels]
    if not fitting:
        read = ", ".join(_("as {order} it has {channels}").format(order=r.order, channels=r.channels) for r in possible)
        raise ValidationSpecError(
            _("--input {given} does not fit {source}: {place} takes {channels} channels; read {read}").format(
                given=given, source=source, place=first.place, channels=first.channels, read=read
            ),
            hint=_("give the channels first as PyTorch does ({example})").format(
                example=_example(first, first.spatial_ranks[-1])
            ),
        )
    if len({r.shape for r in fitting}) > 1:
        read = (" " + _("and") + " ").join(f"{r.order} ({_spatial(r)})" for r in fitting)
        ways = _(" or ").join(
            _("{option} for {axes}").format(option=f"--input {_batch_first(r)}", axes=_spatial_axes(r)) for r in fitting
        )
        raise ValidationSpecError(
            _(
                "--input {given} is ambiguous for {source}: {place} takes {channels} channels, and both {read} fit"
            ).format(given=given, source=source, place=first.place, channels=first.channels, read=read),
            hint=_("write it in PyTorch's N×C×… order, which has one reading: {ways}").format(ways=ways),
        )
    return fitting[0].shape


def _batch_first(reading: Reading) -> str:
    return "x".join(map(str, (1, reading.channels, *reading.shape[:-1])))


def _spatial_axes(reading: Reading) -> str:
    """'H×W = 3×32': the spatial sizes this reading gives, named."""
    axes = reading.order.replace("N×", "").replace("C×", "").replace("×C", "")
    return f"{axes} = {'×'.join(map(str, reading.shape[:-1]))}"


def _spatial(reading: Reading) -> str:
    if len(reading.shape) > 1:
        return _("spatial {sizes}").format(sizes="×".join(map(str, reading.shape[:-1])))
    return _("no spatial axes")


def _example(first: FirstLayer, rank: int) -> str:
    sizes = "x".join(["32"] * rank)
    axes = "×".join(_AXES.get(rank, ()))
    if not rank:
        return _("{channels} (the features)").format(channels=first.channels)
    return f"{first.channels}x{sizes} (C×{axes}){_(' or ')}{sizes}x{first.channels} ({axes}×C)"
