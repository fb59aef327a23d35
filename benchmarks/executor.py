"""NumPy executor against PyTorch CPU: forward time on the same layers and on VGG-16.

    python -m benchmarks.executor [--size 224] [--repeat 3]

Both sides get the same weights and input; weight creation is not timed. The ratio
NumPy/PyTorch is measured in this run, so it does not depend on the machine. Needs torch.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import cnncalc
from cnncalc.executor.run import random_weights

LAYERS = {
    "conv 3×3, 64→64, 56×56": "INPUT(56x56x64) → CONV(64, 3, p=1)",
    "conv 3×3 /2, 128→256, 28×28": "INPUT(28x28x128) → CONV(256, 3, s=2, p=1)",
    "depthwise 3×3, 256, 28×28": "INPUT(28x28x256) → DWCONV(3, p=1)",
    "max pool 2×2, 112×112×64": "INPUT(112x112x64) → POOL(2)",
    "dense 25088→4096": "INPUT(25088) → FC(4096)",
}


def best_of(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def torch_module(net):
    import torch

    from benchmarks.torch_twin import build

    return build(net, torch)


def measure(name: str, spec: str, repeat: int, size: str | None = None) -> tuple[str, float, float]:
    import torch

    net = cnncalc.load(spec, input=size)
    weights = random_weights(net.graph, seed=0)
    x = np.random.default_rng(0).standard_normal((1, *net.shape(net.layer_names[0]))).astype(np.float32)
    # NumPy first: PyTorch's worker threads keep spinning for a while after each of its calls and
    # would slow whatever runs next on this 2-core machine.
    ours = best_of(lambda: net.run(data=x, weights=weights), repeat)
    model, to_input = torch_module(net)
    model.load_numpy(weights)
    tx = to_input(x)
    with torch.no_grad():
        model(tx)  # warm-up
        theirs = best_of(lambda: model(tx), repeat)
    return name, ours, theirs


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=224, help="VGG-16 input size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layers-only", action="store_true")
    args = parser.parse_args(argv)
    rows = [measure(name, spec, args.repeat) for name, spec in LAYERS.items()]
    if not args.layers_only:
        rows.append(measure(f"VGG-16 {args.size}×{args.size}, batch 1", "vgg16", args.repeat,
                            f"{args.size}x{args.size}x3"))  # fmt: skip
    print(f"{'case':34} {'numpy s':>9} {'torch s':>9} {'ratio':>7}")
    for name, ours, theirs in rows:
        print(f"{name:34} {ours:9.4f} {theirs:9.4f} {ours / theirs:7.2f}")
    return rows


if __name__ == "__main__":
    main()
