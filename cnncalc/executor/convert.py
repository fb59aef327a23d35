"""Weights for a network converted by fc-to-conv: dense matrices reshaped into convolution kernels."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cnncalc.graph import Graph


def fc_to_conv_weights(
    original: Graph, converted: Graph, weights: Mapping[str, Mapping[str, np.ndarray]]
) -> dict[str, dict[str, np.ndarray]]:
    """A dense (Out, C·H·W) matrix, its input read in (C, H, W) order, becomes an (Out, C, H, W) kernel."""
    layers = {node.name: node for node in converted.nodes}
    result = {name: dict(arrays) for name, arrays in weights.items() if name in layers}
    for node in original.nodes:
        if node.kind != "dense" or node.name not in layers or layers[node.name].kind != "conv":
            continue
        conv = layers[node.name]
        source = converted.input_shapes(conv)[0]
        kernel = conv.layer.kernel if isinstance(conv.layer.kernel, tuple) else (conv.layer.kernel,) * (len(source) - 1)
        matrix = weights[node.name]["weight"]
        channels = source[-1] if kernel != (1,) * len(kernel) or len(source) > 1 else matrix.shape[1]
        result[node.name] = {**weights[node.name], "weight": matrix.reshape(matrix.shape[0], channels, *kernel).copy()}
    return result
