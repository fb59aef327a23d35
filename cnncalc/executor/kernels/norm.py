"""Normalization kernels (inference mode for batch norm)."""

from __future__ import annotations

import numpy as np

from cnncalc.executor.kernels.base import kernel
from cnncalc.executor.kernels.windows import pad_spatial, windows
from cnncalc.layers.norm import KERAS_EPSILON


def _affine(out: np.ndarray, weights) -> np.ndarray:
    """Scale by γ and shift by β, each when the layer has it (a Keras batch norm may have β alone)."""
    out = out * weights["weight"] if "weight" in weights else out
    return out + weights["bias"] if "bias" in weights else out


def batch_norm_weights(layer, inputs, output):
    c = output[-1]
    shapes = {}
    if layer.has_gamma:
        shapes["weight"] = ((c,), True)
    if layer.has_beta:
        shapes["bias"] = ((c,), True)
    if layer.track_running_stats:
        shapes.update({"running_mean": ((c,), False), "running_var": ((c,), False)})
    return shapes


@kernel("batch_norm", weights=batch_norm_weights)
def batch_norm(layer, xs, weights, inputs, output):
    x = xs[0]
    if "running_mean" in weights:
        mean, var = weights["running_mean"], weights["running_var"]
    else:  # no running statistics: PyTorch uses the batch's
        axes = tuple(range(x.ndim - 1))
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    return _affine((x - mean) / np.sqrt(var + layer.epsilon), weights)


def affine_weights(layer, inputs, output):
    c = output[-1]
    return {"weight": ((c,), True), "bias": ((c,), True)} if layer.affine else {}


@kernel("group_norm", weights=affine_weights)
def group_norm(layer, xs, weights, inputs, output):
    x = xs[0]
    grouped = x.reshape(*x.shape[:-1], layer.groups, x.shape[-1] // layer.groups)
    axes = (*range(1, x.ndim - 1), x.ndim)
    mean = grouped.mean(axis=axes, keepdims=True)
    var = grouped.var(axis=axes, keepdims=True)
    return _affine(((grouped - mean) / np.sqrt(var + layer.epsilon)).reshape(x.shape), weights)


@kernel("instance_norm", weights=affine_weights)
def instance_norm(layer, xs, weights, inputs, output):
    x = xs[0]
    axes = tuple(range(1, x.ndim - 1))
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    return _affine((x - mean) / np.sqrt(var + layer.epsilon), weights)


@kernel("layer_norm", weights=affine_weights)
def layer_norm(layer, xs, weights, inputs, output):
    x = xs[0]
    mean, var = x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True)
    return _affine((x - mean) / np.sqrt(var + layer.epsilon), weights)


@kernel("lrn")
def local_response_norm(layer, xs, weights, inputs, output):
    """PyTorch's LocalResponseNorm: a / (k + α/n · Σ_{n neighbouring channels} a²)^β."""
    x = xs[0]
    squares = np.pad(x * x, [(0, 0)] * (x.ndim - 1) + [(layer.size // 2, (layer.size - 1) // 2)])
    summed = np.lib.stride_tricks.sliding_window_view(squares, layer.size, axis=-1).sum(axis=-1)
    return x / np.power(layer.k + layer.alpha / layer.size * summed, layer.beta)


@kernel("lcn")
def local_contrast_norm(layer, xs, weights, inputs, output):
    """Subtract the local mean, divide by the local standard deviation (size^n window, per channel)."""
    x = xs[0]
    ndim = x.ndim - 2
    half = ((layer.size - 1) // 2, layer.size // 2)
    ones = (1,) * ndim

    def local_mean(values: np.ndarray) -> np.ndarray:
        cols = windows(pad_spatial(values, (half,) * ndim, mode="replicate"), (layer.size,) * ndim, ones, ones)
        return cols.reshape(*cols.shape[:-ndim], -1).mean(axis=-1)

    centred = x - local_mean(x)
    return centred / np.sqrt(local_mean(centred * centred) + layer.epsilon)


def layer_scale_weights(layer, inputs, output):
    return {"gamma": ((output[-1],), True)}


@kernel("layer_scale", weights=layer_scale_weights)
def layer_scale(layer, xs, weights, inputs, output):
    return xs[0] * weights["gamma"]


@kernel("rescaling")
def rescaling(layer, xs, weights, inputs, output):
    # one number or one per channel: both broadcast over the channels-last axis, in the input's dtype
    scale, offset = (np.asarray(v, dtype=xs[0].dtype) for v in (layer.scale, layer.offset))
    return xs[0] * scale + offset


def normalization_weights(layer, inputs, output):
    if not layer.adapted:
        return {}
    c = output[-1]
    return {"mean": ((c,), False), "variance": ((c,), False), "count": ((1,), False)}


@kernel("normalization", weights=normalization_weights)
def normalization(layer, xs, weights, inputs, output):
    mean = weights["mean"] if layer.adapted else np.asarray(layer.mean)
    variance = np.abs(weights["variance"]) if layer.adapted else np.asarray(layer.variance)
    return (xs[0] - mean) / np.maximum(np.sqrt(variance), KERAS_EPSILON)  # as Normalization.deviations()
