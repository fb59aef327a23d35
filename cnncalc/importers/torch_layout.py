"""Channels-last stretches of a traced PyTorch module: x.permute(0, 2, 3, 1) … x.permute(0, 3, 1, 2).

ConvNeXt-style blocks move the channels to the last axis so that nn.LayerNorm and nn.Linear act on
them. cnncalc's tensors are always channels last, so such a permute changes nothing in the spec;
the importer only has to remember that, until the permute back, PyTorch's last axis is the
channels. In between it accepts what acts on the channels or on each value alone, and refuses
anything that names another axis, whose number would now mean something else.
"""

from __future__ import annotations

from typing import Any

# What may act on a channels-last tensor: each value alone, or the last axis (the channels).
_MODULES = frozenset({"GELU", "ReLU", "ReLU6", "SiLU", "Hardswish", "Hardsigmoid", "Sigmoid", "Tanh", "Identity",
                      "Dropout", "LayerNorm", "Linear"})  # fmt: skip
_CALLS = frozenset({"gelu", "relu", "relu6", "silu", "hardswish", "hardsigmoid", "sigmoid", "tanh", "dropout",
                    "add", "mul", "sub", "contiguous"})  # fmt: skip


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
