"""Convolution kernels: im2col by sliding windows, then one (batched) matrix multiply."""

from __future__ import annotations

import math

import numpy as np

from cnncalc.executor.kernels.base import Arrays, kernel
from cnncalc.executor.kernels.windows import pad_spatial, windows
from cnncalc.layers import Layer, Shape
from cnncalc.layers.base import per_axis, spatial
from cnncalc.layers.conv import ConvTranspose


def grouped_conv(
    x: np.ndarray,
    weight: np.ndarray,
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    groups: int,
) -> np.ndarray:
    """Cross-correlate a padded (N, *S, Ci) with a (Co, Ci/g, *K) weight → (N, *O, Co).

    Three paths, all vectorised: a 1×1 convolution is one matrix multiply on the input itself;
    a depthwise one (one input channel per group) sums K shifted, scaled views; otherwise the
    windows are copied once, channels innermost (im2col), and multiplied by the weights.
    """
    kernel_shape = weight.shape[2:]
    if weight.shape[1] == 1 and groups > 1:
        return _depthwise(x, weight, stride, dilation)
    if groups == 1 and all(k == 1 for k in kernel_shape):
        picked = x[(slice(None), *(slice(None, None, s) for s in stride), slice(None))]
        return picked @ weight.reshape(weight.shape[0], -1).T
    ndim = len(kernel_shape)
    cols = np.moveaxis(windows(x, kernel_shape, stride, dilation), 1 + ndim, -1)  # (N, *O, *K, Ci)
    batch_out = cols.shape[: 1 + ndim]
    rows, taps, c_in, c_out = math.prod(batch_out), math.prod(kernel_shape), x.shape[-1], weight.shape[0]
    per_in, per_out = c_in // groups, c_out // groups
    w = weight.reshape(groups, per_out, per_in, taps).transpose(0, 3, 2, 1).reshape(groups, taps * per_in, per_out)
    if groups == 1:
        return (cols.reshape(rows, taps * c_in) @ w[0]).reshape(*batch_out, c_out)
    cols = cols.reshape(rows, taps, groups, per_in).transpose(2, 0, 1, 3).reshape(groups, rows, taps * per_in)
    return np.matmul(cols, w).transpose(1, 0, 2).reshape(*batch_out, c_out)


def _depthwise(x: np.ndarray, weight: np.ndarray, stride: tuple[int, ...], dilation: tuple[int, ...]) -> np.ndarray:
    """Each input channel c feeds outputs c·m … c·m + m − 1 (m = depth multiplier).

    Accumulates one scaled, shifted view per kernel tap in place: no window copy.
    """
    kernel_shape = weight.shape[2:]
    c_in, c_out = x.shape[-1], weight.shape[0]
    multiplier = c_out // c_in
    views = windows(x, kernel_shape, stride, dilation)  # (N, *O, Ci, *K)
    positions = views.shape[: -len(kernel_shape) - 1]  # (N, *O)
    w = weight.reshape(c_in, multiplier, -1).transpose(2, 0, 1)  # (taps, Ci, m)
    if multiplier == 1:  # no axis of length one: numpy would run its inner loop one element at a time
        w = w[..., 0]
    w = np.ascontiguousarray(w)  # each tap's weights read in order, like the view it scales
    out = np.empty((*positions, *w.shape[1:]), dtype=np.result_type(x, weight))
    scratch = np.empty_like(out)
    for tap, index in enumerate(np.ndindex(*kernel_shape)):
        view = views[(..., *index)] if multiplier == 1 else views[(..., *index)][..., None]
        np.multiply(view, w[tap], out=scratch if tap else out)
        if tap:
            out += scratch
    return out.reshape(*positions, c_out)


def _geometry(layer: Layer, in_shape: Shape):
    wins = layer.windows(in_shape)  # type: ignore[attr-defined]
    pads = tuple((w.pad_begin, w.pad_end) for w in wins)
    return pads, tuple(w.stride for w in wins), tuple(w.dilation for w in wins), tuple(w.kernel for w in wins)


def _add_bias(out: np.ndarray, weights: Arrays) -> np.ndarray:
    return out + weights["bias"] if "bias" in weights else out


def conv_weights(layer: Layer, inputs: tuple[Shape, ...], output: Shape):
    kernel_shape = per_axis(layer.kernel, len(output) - 1, "kernel")  # type: ignore[attr-defined]
    shapes = {"weight": ((layer.filters, inputs[0][-1] // layer.groups, *kernel_shape), True)}  # type: ignore[attr-defined]
    if layer.bias:  # type: ignore[attr-defined]
        shapes["bias"] = ((layer.filters,), True)  # type: ignore[attr-defined]
    return shapes


@kernel("conv", weights=conv_weights)
def conv_forward(layer, xs, weights, inputs, output):
    pads, stride, dilation, _ = _geometry(layer, inputs[0])
    x = pad_spatial(xs[0], pads, layer.padding_mode)
    return _add_bias(grouped_conv(x, weights["weight"], stride, dilation, layer.groups), weights)


def depthwise_weights(layer, inputs, output):
    kernel_shape = per_axis(layer.kernel, len(output) - 1, "kernel")
    shapes = {"weight": ((output[-1], 1, *kernel_shape), True)}
    if layer.bias:
        shapes["bias"] = ((output[-1],), True)
    return shapes


@kernel("depthwise_conv", weights=depthwise_weights)
def depthwise_forward(layer, xs, weights, inputs, output):
    pads, stride, dilation, _ = _geometry(layer, inputs[0])
    x = pad_spatial(xs[0], pads, layer.padding_mode)
    return _add_bias(grouped_conv(x, weights["weight"], stride, dilation, inputs[0][-1]), weights)


def separable_weights(layer, inputs, output):
    kernel_shape = per_axis(layer.kernel, len(output) - 1, "kernel")
    mid = inputs[0][-1] * layer.depth_multiplier
    ones = (1,) * len(kernel_shape)
    shapes = {
        "depthwise": ((mid, 1, *kernel_shape), True),
        "pointwise": ((layer.filters, mid, *ones), True),
    }
    if layer.bias:
        shapes["bias"] = ((layer.filters,), True)
    return shapes


@kernel("separable_conv", weights=separable_weights)
def separable_forward(layer, xs, weights, inputs, output):
    pads, stride, dilation, _ = _geometry(layer, inputs[0])
    x = pad_spatial(xs[0], pads, layer.padding_mode)
    mid = grouped_conv(x, weights["depthwise"], stride, dilation, inputs[0][-1])
    ones = (1,) * len(stride)
    return _add_bias(grouped_conv(mid, weights["pointwise"], ones, ones, 1), weights)


def local_weights(layer, inputs, output):
    positions = math.prod(spatial(output))
    taps = math.prod(per_axis(layer.kernel, len(output) - 1, "kernel"))
    shapes = {"weight": ((positions, inputs[0][-1] * taps, layer.filters), True)}
    if layer.bias:
        shapes["bias"] = ((positions, layer.filters), True)
    return shapes


@kernel("locally_connected", weights=local_weights)
def local_forward(layer, xs, weights, inputs, output):
    pads, stride, dilation, kernel_shape = _geometry(layer, inputs[0])
    cols = windows(pad_spatial(xs[0], pads), kernel_shape, stride, dilation)
    n, positions = cols.shape[0], math.prod(spatial(output))
    cols = cols.reshape(n, positions, -1).transpose(1, 0, 2)  # (P, N, Ci·K)
    out = np.matmul(cols, weights["weight"]).transpose(1, 0, 2)  # (N, P, Co)
    if "bias" in weights:
        out = out + weights["bias"]
    return out.reshape(n, *output)


def transpose_weights(layer, inputs, output):
    kernel_shape = per_axis(layer.kernel, len(output) - 1, "kernel")
    shapes = {"weight": ((inputs[0][-1], layer.filters // layer.groups, *kernel_shape), True)}
    if layer.bias:
        shapes["bias"] = ((layer.filters,), True)
    return shapes


@kernel("conv_transpose", weights=transpose_weights)
def transpose_forward(layer: ConvTranspose, xs, weights, inputs, output):
    """Zero-insert by the stride, pad by d(F−1) − P, then correlate with the flipped kernel."""
    x = xs[0]
    wins = layer.windows(inputs[0])
    ndim = len(wins)
    extra = per_axis(layer.output_padding, ndim, "output_padding")
    dilated = np.zeros((x.shape[0], *((w.size - 1) * w.stride + 1 for w in wins), x.shape[-1]), x.dtype)
    dilated[(slice(None), *(slice(None, None, w.stride) for w in wins), slice(None))] = x
    pads = tuple(
        (w.dilation * (w.kernel - 1) - b, w.dilation * (w.kernel - 1) - e + op)
        for w, (b, e), op in zip(wins, layer._pads(spatial(inputs[0])), extra, strict=True)
    )
    weight = weights["weight"]  # (Ci, Co/g, *K)
    groups, c_in = layer.groups, weight.shape[0]
    w = weight.reshape(groups, c_in // groups, *weight.shape[1:])
    w = np.swapaxes(w, 1, 2).reshape(layer.filters, c_in // groups, *weight.shape[2:])
    w = np.flip(w, axis=tuple(range(2, 2 + ndim)))
    ones = (1,) * ndim
    out = grouped_conv(pad_spatial(dilated, pads), w, ones, tuple(v.dilation for v in wins), groups)
    return _add_bias(out, weights)
