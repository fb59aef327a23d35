"""Activation and dropout kernels (dropout is the identity at inference)."""

from __future__ import annotations

import math

import numpy as np

from cnncalc.executor.kernels.base import kernel


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805
ELEMENTWISE = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
    "silu": lambda x: x * _sigmoid(x),
    "hard_swish": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0))),
    "softmax": _softmax,
    "log_softmax": lambda x: (
        x
        - x.max(axis=-1, keepdims=True)
        - np.log(np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True))
    ),
    "identity": lambda x: x,
}


def _elementwise(function):
    def forward(layer, xs, weights, inputs, output):
        return function(xs[0])

    return forward


for _kind, _function in ELEMENTWISE.items():
    kernel(_kind)(_elementwise(_function))


@kernel("leaky_relu")
def leaky_relu(layer, xs, weights, inputs, output):
    return np.where(xs[0] > 0, xs[0], layer.alpha * xs[0])


@kernel("elu")
def elu(layer, xs, weights, inputs, output):
    return np.where(xs[0] > 0, xs[0], layer.alpha * np.expm1(np.minimum(xs[0], 0)))


def prelu_weights(layer, inputs, output):
    return {"weight": ((1 if layer.shared else output[-1],), True)}


@kernel("prelu", weights=prelu_weights)
def prelu(layer, xs, weights, inputs, output):
    return np.where(xs[0] > 0, xs[0], weights["weight"] * xs[0])


@kernel("dropout", "spatial_dropout")
def dropout(layer, xs, weights, inputs, output):
    return xs[0]
