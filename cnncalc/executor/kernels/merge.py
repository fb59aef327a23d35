"""Merge kernels: element-wise with broadcasting, and concatenation."""

from __future__ import annotations

from functools import reduce

import numpy as np

from cnncalc.executor.kernels.base import kernel

ELEMENTWISE = {
    "add": np.add,
    "subtract": np.subtract,
    "multiply": np.multiply,
    "maximum": np.maximum,
    "minimum": np.minimum,
}


def _fold(function):
    def forward(layer, xs, weights, inputs, output):
        return reduce(function, xs)

    return forward


for _kind, _function in ELEMENTWISE.items():
    kernel(_kind)(_fold(_function))


@kernel("average")
def average(layer, xs, weights, inputs, output):
    return reduce(np.add, xs) / len(xs)


@kernel("concat")
def concat(layer, xs, weights, inputs, output):
    axis = layer.axis % len(inputs[0]) + 1  # + the batch axis
    return np.concatenate(xs, axis=axis)
