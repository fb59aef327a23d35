"""Kernels that move values: flatten, reshape, padding and cropping.

Flattening reads a volume in PyTorch's (C, H, W) order, so a dense weight saved from PyTorch (or
ONNX) multiplies the values it was trained on; reshape regroups that same order.
"""

from __future__ import annotations

import numpy as np

from cnncalc.executor.kernels.base import kernel
from cnncalc.executor.kernels.windows import pad_spatial
from cnncalc.layers.window import per_side


def channels_first_flat(x: np.ndarray) -> np.ndarray:
    """(N, *S, C) → (N, C·∏S) in C, *S order, as torch.flatten(x, 1) on an (N, C, *S) tensor."""
    return (np.moveaxis(x, -1, 1) if x.ndim > 2 else x).reshape(x.shape[0], -1)


@kernel("flatten")
def flatten(layer, xs, weights, inputs, output):
    return channels_first_flat(xs[0])


@kernel("reshape")
def reshape(layer, xs, weights, inputs, output):
    """PyTorch's x.reshape(N, C', *S') on the channels-first tensor, returned channels-last."""
    if len(output) == 1:
        return channels_first_flat(xs[0])
    grouped = channels_first_flat(xs[0]).reshape(xs[0].shape[0], output[-1], *output[:-1])
    return np.moveaxis(grouped, 1, -1)


@kernel("zero_pad")
def zero_pad(layer, xs, weights, inputs, output):
    return pad_spatial(xs[0], per_side(layer.padding, xs[0].ndim - 2, "padding"))


@kernel("crop")
def crop(layer, xs, weights, inputs, output):
    crops = per_side(layer.cropping, xs[0].ndim - 2, "cropping")
    return pad_spatial(xs[0], tuple((-b, -e) for b, e in crops))


@kernel("center_crop")
def center_crop(layer, xs, weights, inputs, output):
    return pad_spatial(xs[0], tuple((-b, -e) for b, e in layer._crops(inputs)))


@kernel("slice")
def channel_slice(layer, xs, weights, inputs, output):
    return xs[0][..., layer.start : layer.stop]


@kernel("channel_shuffle")
def channel_shuffle(layer, xs, weights, inputs, output):
    """PyTorch's view(N, g, C/g, …) → transpose(g, C/g) → reshape, done on the channel axis (last here)."""
    x = xs[0]
    grouped = x.reshape(*x.shape[:-1], layer.groups, x.shape[-1] // layer.groups)
    return np.swapaxes(grouped, -1, -2).reshape(x.shape)
