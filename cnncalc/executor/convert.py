"""Weights for a network converted by fc-to-conv: dense matrices reshaped into convolution kernels."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cnncalc.graph import Graph
from cnncalc.layers.conv import Conv
from cnncalc.layers.dense import Dense


def fc_to_conv_weights(
    original: Graph, converted: Graph, weights: Mapping[str, Mapping[str, np.ndarray]]
) -> dict[str, dict[str, np.ndarray]]:
    """A dense (Out, C·H·W) matrix, its input read in (C, H, W) order, becomes an (Out, C, H, W) kernel."""
    layers = {node.name: node for node in converted.nodes}
    result = {name: dict(arrays) for name, arrays in weights.items() if name in layers}
    for node in original.nodes:
        conv = layers.get(node.name)
        if not isinstance(node.layer, Dense) or conv is None or not isinstance(conv.layer, Conv):
            continue
        source = converted.input_shapes(conv)[0]
        size = conv.layer.kernel
        kernel = size if isinstance(size, tuple) else (size,) * (len(source) - 1)
        matrix = weights[node.name]["weight"]
        channels = source[-1] if kernel != (1,) * len(kernel) or len(source) > 1 else matrix.shape[1]
        result[node.name] = {**weights[node.name], "weight": matrix.reshape(matrix.shape[0], channels, *kernel).copy()}
    return result
