"""Input and fully connected kernels."""

from __future__ import annotations

import math

from cnncalc.executor.kernels.base import kernel
from cnncalc.executor.kernels.reshape import channels_first_flat


@kernel("input")
def input_forward(layer, xs, weights, inputs, output):
    return xs[0]


def dense_weights(layer, inputs, output):
    shapes = {"weight": ((layer.units, math.prod(inputs[0])), True)}
    if layer.bias:
        shapes["bias"] = ((layer.units,), True)
    return shapes


@kernel("dense", weights=dense_weights)
def dense_forward(layer, xs, weights, inputs, output):
    """Every value of the input, read in PyTorch's (C, H, W) order, feeds every unit."""
    x = channels_first_flat(xs[0])
    out = x @ weights["weight"].T
    return out + weights["bias"] if "bias" in weights else out


def pointwise_linear_weights(layer, inputs, output):
    shapes = {"weight": ((layer.units, inputs[0][-1]), True)}  # PyTorch's Linear: (out, in)
    if layer.bias:
        shapes["bias"] = ((layer.units,), True)
    return shapes


@kernel("pointwise_linear", weights=pointwise_linear_weights)
def pointwise_linear_forward(layer, xs, weights, inputs, output):
    """The same (out, in) matrix at every position: the channel axis is last, as nn.Linear's in_features."""
    out = xs[0] @ weights["weight"].T
    return out + weights["bias"] if "bias" in weights else out
