"""Build the PyTorch twin of a cnncalc network (for the benchmarks): same layers, same weights.

Covers the kinds the benchmarks use (conv, depthwise, pooling, adaptive pooling, flatten, dense,
activations, dropout); anything else raises, so a benchmark never compares different networks.
"""

from __future__ import annotations

import numpy as np


def build(net, torch):
    nn = torch.nn
    modules, names = [], []
    for node in net.graph.nodes[1:]:
        layer, inputs = node.layer, net.graph.input_shapes(node)
        modules.append(_module(nn, layer, inputs))
        names.append(node.name)

    class Twin(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList(modules)

        def forward(self, x):
            for module in self.layers:
                x = module(x)
            return x

        def load_numpy(self, weights) -> None:
            with torch.no_grad():
                for name, module in zip(names, self.layers, strict=True):
                    for key, array in weights[name].items():
                        getattr(module, key).copy_(torch.from_numpy(array))

    def to_input(x: np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))

    return Twin().eval(), to_input


def _module(nn, layer, inputs):
    kind = layer.kind
    if kind in ("conv", "depthwise_conv"):
        wins = layer.windows(inputs[0])
        c_in = inputs[0][-1]
        c_out = layer.filters if kind == "conv" else c_in * layer.depth_multiplier
        groups = layer.groups if kind == "conv" else c_in
        return nn.Conv2d(c_in, c_out, tuple(w.kernel for w in wins), tuple(w.stride for w in wins),
                         tuple(w.pad_begin for w in wins), groups=groups, bias=layer.bias)  # fmt: skip
    if kind == "max_pool":
        wins = layer.windows(inputs[0])
        return nn.MaxPool2d(tuple(w.kernel for w in wins), tuple(w.stride for w in wins))
    if kind == "adaptive_avg_pool":
        return nn.AdaptiveAvgPool2d(layer.output_size)
    if kind == "flatten":
        return nn.Flatten()  # the executor reads volumes in the same (C, H, W) order
    if kind == "dense":
        return nn.Linear(int(np.prod(inputs[0])), layer.units, bias=layer.bias)
    if kind == "relu":
        return nn.ReLU()
    if kind == "dropout":
        return nn.Dropout(layer.rate)
    raise ValueError(f"the benchmark twin has no {kind}")
