"""Pooling kernels: max, average and LP windows (with ceil mode); global and adaptive pooling."""

from __future__ import annotations

import itertools
import math

import numpy as np

from cnncalc.executor.kernels.base import kernel
from cnncalc.executor.kernels.windows import pad_spatial, windows
from cnncalc.layers.base import spatial


def _ceil_extra(layer, in_shape, output) -> tuple[tuple[int, int], ...]:
    """Padding (begin, end) per axis, with the extra end padding ceil mode needs for its last window."""
    pads = []
    for win, out in zip(layer.windows(in_shape), spatial(output), strict=True):
        needed = (out - 1) * win.stride + win.span
        have = win.size + win.pad_begin + win.pad_end
        pads.append((win.pad_begin, win.pad_end + max(0, needed - have)))
    return tuple(pads)


def _reduce_windows(layer, x, in_shape, output, value: float, combine) -> np.ndarray:
    """Fold `combine` over the kernel taps of strided views: no copy of the windows."""
    wins = layer.windows(in_shape)
    padded = pad_spatial(x, _ceil_extra(layer, in_shape, output), value=value)
    kernel_shape = tuple(w.kernel for w in wins)
    views = windows(padded, kernel_shape, tuple(w.stride for w in wins), tuple(w.dilation for w in wins))
    taps = (views[(..., *index)] for index in np.ndindex(*kernel_shape))
    result = np.array(next(taps))
    for tap in taps:
        combine(result, tap, out=result)
    return result


@kernel("max_pool")
def max_pool(layer, xs, weights, inputs, output):
    return _reduce_windows(layer, xs[0], inputs[0], output, -np.inf, np.maximum)


def _avg_pool(layer, x, in_shape, output) -> np.ndarray:
    """PyTorch's divisor: window cells inside input + explicit padding (or input only)."""
    sums = _reduce_windows(layer, x, in_shape, output, 0.0, np.add)
    inside = np.ones((1, *spatial(in_shape), 1), dtype=x.dtype)
    counted = 1.0 if getattr(layer, "counts_padding", True) else 0.0
    wins = layer.windows(in_shape)
    mask = pad_spatial(inside, tuple((w.pad_begin, w.pad_end) for w in wins), value=counted)
    extra = tuple((0, e - w.pad_end) for w, (_, e) in zip(wins, _ceil_extra(layer, in_shape, output), strict=True))
    mask = pad_spatial(mask, extra, value=0.0)
    cols = windows(mask, tuple(w.kernel for w in wins), tuple(w.stride for w in wins), tuple(w.dilation for w in wins))
    count = cols.reshape(*cols.shape[: -len(wins)], -1).sum(axis=-1)  # (1, *O, 1): small
    return sums / count


@kernel("avg_pool")
def avg_pool(layer, xs, weights, inputs, output):
    return _avg_pool(layer, xs[0], inputs[0], output)


@kernel("lp_pool")
def lp_pool(layer, xs, weights, inputs, output):
    """PyTorch's LPPool: average of x^p times the window size, then the p-th root (sign kept)."""
    powered = np.power(xs[0], layer.power)
    taps = math.prod(w.kernel for w in layer.windows(inputs[0]))
    total = _avg_pool(layer, powered, inputs[0], output) * taps
    return np.power(np.sign(total) * np.maximum(np.abs(total), 0), 1.0 / layer.power)


def _global(reduce):
    def forward(layer, xs, weights, inputs, output):
        axes = tuple(range(1, xs[0].ndim - 1))
        return reduce(xs[0], axis=axes, keepdims=layer.keepdims)

    return forward


kernel("global_avg_pool")(_global(np.mean))
kernel("global_max_pool")(_global(np.max))


def _adaptive(reduce):
    """PyTorch's windows: output i of O over W covers [⌊iW/O⌋, ⌈(i+1)W/O⌉)."""

    def forward(layer, xs, weights, inputs, output):
        x = xs[0]
        sizes, outs = spatial(inputs[0]), spatial(output)
        result = np.empty((x.shape[0], *outs, x.shape[-1]), dtype=x.dtype)
        for index in itertools.product(*(range(o) for o in outs)):
            box = tuple(slice(i * w // o, -(-(i + 1) * w // o)) for i, w, o in zip(index, sizes, outs, strict=True))
            window = x[(slice(None), *box, slice(None))]
            result[(slice(None), *index, slice(None))] = reduce(window, axis=tuple(range(1, x.ndim - 1)))
        return result

    return forward


kernel("adaptive_avg_pool")(_adaptive(np.mean))
kernel("adaptive_max_pool")(_adaptive(np.max))


@kernel("reduce_mean")
def reduce_mean(layer, xs, weights, inputs, output):
    """The layer's axes count without the batch; the array's from it (axis 0 is the batch)."""
    axes = tuple(a + 1 for a in layer.reduced(inputs[0]))
    return xs[0].mean(axis=axes, keepdims=layer.keepdims)
