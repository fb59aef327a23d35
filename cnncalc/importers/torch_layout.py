"""Channels-last stretches of a traced PyTorch module: x.permute(0, 2, 3, 1) … x.permute(0, 3, 1, 2).

ConvNeXt-style blocks move the channels to the last axis so that nn.LayerNorm and nn.Linear act on
them. cnncalc's tensors are always channels last, so such a permute changes nothing in the spec;
the importer only has to remember that, until the permute back, PyTorch's last axis is the
channels. In between it accepts what acts on the channels or on each value alone, and refuses
anything that names another axis, whose number would now mean something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What may act on a channels-last tensor: each value alone, or the last axis (the channels).
_MODULES = frozenset({"GELU", "ReLU", "ReLU6", "SiLU", "Hardswish", "Hardsigmoid", "Sigmoid", "Tanh", "Identity",
                      "Dropout", "LayerNorm", "Linear"})  # fmt: skip
_CALLS = frozenset({"layer_norm", "gelu", "relu", "relu6", "silu", "hardswish", "hardsigmoid", "sigmoid", "tanh",
                    "dropout", "add", "mul", "sub", "contiguous"})  # fmt: skip


def permutation(node: Any) -> tuple[int, ...] | None:
    """The dims of x.permute(…) / torch.permute(x, dims), or None for any other call."""
    name = getattr(node.target, "__name__", node.target)
    if node.op not in ("call_method", "call_function") or name != "permute":
        return None
    rest = node.args[1:] or (node.kwargs.get("dims"),)
    dims = rest[0] if len(rest) == 1 and isinstance(rest[0], tuple | list) else rest
    return tuple(dims) if all(isinstance(d, int) and not isinstance(d, bool) for d in dims) else None


def moves_channels_last(dims: tuple[int, ...], rank: int) -> bool:
    """(0, 2, 3, 1) for N×C×H×W: the channels to the end, the other axes in order."""
    return rank > 2 and dims == (0, *range(2, rank), 1)


def moves_channels_first(dims: tuple[int, ...], rank: int) -> bool:
    """(0, 3, 1, 2) for N×H×W×C: the inverse."""
    return rank > 2 and dims == (0, rank - 1, *range(1, rank - 1))


def acts_on_channels_or_values(node: Any, module: Any) -> bool:
    """Whether an operation on a channels-last tensor means the same as in cnncalc's layout."""
    if node.op == "call_module":
        return type(module).__name__ in _MODULES
    return str(getattr(node.target, "__name__", node.target)) in _CALLS


def _called(node: Any) -> str:
    """The name of the function or method a traced value calls; '' for a number or any other node."""
    if getattr(node, "op", None) not in ("call_method", "call_function"):
        return ""
    return str(getattr(node.target, "__name__", node.target))


def _shape_arguments(node: Any) -> tuple[Any, ...]:
    rest = node.args[1:] or (node.kwargs.get("shape", node.kwargs.get("size")),)
    return tuple(rest[0]) if len(rest) == 1 and isinstance(rest[0], tuple | list) else tuple(rest)


def _only_user(node: Any) -> Any:
    return next(iter(node.users)) if len(node.users) == 1 else None


def is_size(value: Any, source: Any, axis: int) -> bool:
    """Whether a traced value is size `axis` of `source`: x.size(axis), x.size()[axis] or x.shape[axis]."""
    if _called(value) == "size" and value.args[:1] == (source,):
        return value.args[1:] == (axis,)
    if _called(value) != "getitem" or value.args[1:] != (axis,) or not hasattr(value.args[0], "op"):
        return False
    whole = value.args[0]
    is_shape = whole.op == "call_function" and whole.target is getattr and whole.args == (source, "shape")
    return is_shape or (_called(whole) == "size" and whole.args == (source,))


@dataclass(frozen=True)
class Shuffle:
    """torchvision's channel_shuffle, read: its last view, groups, and C / groups when given as a number."""

    end: Any
    groups: int
    inner: frozenset[str]  # the view, transpose and contiguous between the input and the end
    per_group: int | None


def channel_shuffle(node: Any) -> Shuffle | None:
    """x.view(b, g, C // g, h, w) → transpose(1, 2) → contiguous() → view(b, -1, h, w), as torchvision's
    ShuffleNetV2 writes it, with b, h, w x's own sizes (so nothing but the channels moves); else None."""
    if _called(node) not in ("view", "reshape") or not node.args:
        return None
    source, dims = node.args[0], _shape_arguments(node)
    rank = len(dims) - 1
    if rank < 3 or not isinstance(dims[1], int) or isinstance(dims[1], bool) or dims[1] <= 0:
        return None
    if not is_size(dims[0], source, 0) or not all(is_size(d, source, 1 + i) for i, d in enumerate(dims[3:], 1)):
        return None
    swap, inner = _only_user(node), {node.name}
    if swap is None or _called(swap) != "transpose" or set(swap.args[1:]) != {1, 2} or len(swap.args) != 3:
        return None
    end, inner = _only_user(swap), inner | {swap.name}
    if end is not None and _called(end) == "contiguous":
        end, inner = _only_user(end), inner | {end.name}
    if end is None or _called(end) not in ("view", "reshape"):
        return None
    back = _shape_arguments(end)
    channels_given = back[1:2] == (-1,) or (len(back) > 1 and is_size(back[1], source, 1))
    if len(back) != rank or not is_size(back[0], source, 0) or not channels_given:
        return None
    if not all(is_size(d, source, i) for i, d in enumerate(back[2:], 2)):
        return None
    per_group = dims[2] if isinstance(dims[2], int) and dims[2] > 0 else None
    return Shuffle(end, dims[1], frozenset(inner), per_group)
