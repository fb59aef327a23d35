"""Kernels that move values: flatten, reshape, padding and cropping."""

from __future__ import annotations

from cnncalc.executor.kernels.base import kernel
from cnncalc.executor.kernels.windows import pad_spatial
from cnncalc.layers.window import per_side


@kernel("flatten")
def flatten(layer, xs, weights, inputs, output):
    return xs[0].reshape(xs[0].shape[0], -1)


@kernel("reshape")
def reshape(layer, xs, weights, inputs, output):
    return xs[0].reshape(xs[0].shape[0], *output)


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
