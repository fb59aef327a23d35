"""Upsampling: nearest (repeat) and linear interpolation per axis (PyTorch, align_corners=False)."""

from __future__ import annotations

import numpy as np

from cnncalc.executor.kernels.base import kernel
from cnncalc.layers.base import per_axis


def _linear_axis(x: np.ndarray, axis: int, scale: int) -> np.ndarray:
    size = x.shape[axis]
    source = np.maximum((np.arange(size * scale) + 0.5) / scale - 0.5, 0.0)
    low = np.minimum(np.floor(source).astype(int), size - 1)
    high = np.minimum(low + 1, size - 1)
    frac = (source - low).astype(x.dtype)
    shape = [1] * x.ndim
    shape[axis] = -1
    frac = frac.reshape(shape)
    return np.take(x, low, axis=axis) * (1 - frac) + np.take(x, high, axis=axis) * frac


@kernel("upsample")
def upsample(layer, xs, weights, inputs, output):
    x = xs[0]
    scales = per_axis(layer.scale, x.ndim - 2, "scale")
    for axis, scale in enumerate(scales, start=1):
        x = np.repeat(x, scale, axis=axis) if layer.mode == "nearest" else _linear_axis(x, axis, scale)
    return x
