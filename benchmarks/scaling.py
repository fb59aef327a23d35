"""Parse + every analysis on generated networks of 1,000 to 100,000 layers: time and peak memory.

    python -m benchmarks.scaling [--sizes 1000 10000 100000]

Three shapes of network, each written the way a user would write it:
- chain: an inline chain of conv → relu pairs;
- residual: a YAML graph of residual units (conv, relu, add with the unit's input);
- blocks: a YAML block of the same unit, repeated with `repeat:`.
Each case runs in a fresh process that reports its own peak memory (ru_maxrss), so cases do not
share caches. Linear growth means the 100k/10k ratio stays near 10 (the target is ≤ 11).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = r"""
import json, resource, sys, time
import cnncalc
start = time.perf_counter()  # the interpreter and imports are the same at every size: not timed
source = sys.argv[1]
if source.endswith(".chain"):  # a chain longer than a command line allows
    source = open(source, encoding="utf-8").read()
net = cnncalc.load(source)
summary = net.summary()
fields = net.receptive_field()
findings = net.lint()
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "layers": len(summary.layers)}))
"""


def chain_text(layers: int) -> str:
    units = max(1, (layers - 1) // 2)
    return "INPUT(8x8x4)" + " → CONV(4, 3, p=1) → RELU" * units


def residual_yaml(layers: int) -> str:
    units = max(1, (layers - 1) // 3)
    lines = ["input: 8x8x4", "layers:"]
    previous = "input"
    for unit in range(units):
        lines += [
            f"  - {{name: c{unit}, conv: {{filters: 4, kernel: 3, padding: 1}}, inputs: [{previous}]}}",
            f"  - {{name: r{unit}, relu: null}}",
            f"  - {{name: a{unit}, add: null, inputs: [r{unit}, {previous}]}}",
        ]
        previous = f"a{unit}"
    return "\n".join(lines) + "\n"


def blocks_yaml(layers: int) -> str:
    units = max(1, (layers - 1) // 3)
    return (
        "input: 8x8x4\n"
        "blocks:\n"
        "  unit:\n"
        "    layers:\n"
        "      - {name: c, conv: {filters: 4, kernel: 3, padding: 1}}\n"
        "      - {name: r, relu: null}\n"
        "      - {name: a, add: null, inputs: [r, input]}\n"
        "    output: a\n"
        f"layers:\n  - {{block: unit, repeat: {units}}}\n"
    )


# The flat 100,000-layer YAML file is 5.5 MB, past the default file limit (2 MiB, sized for real
# networks); the benchmark measures how the engine scales, so it lifts the input limits.
BENCHMARK_LIMITS = {
    "CNNCALC_MAX_FILE_BYTES": str(64 * 2**20),
    "CNNCALC_MAX_YAML_NODES": str(20_000_000),
    "CNNCALC_MAX_LAYERS": str(200_000),
    "CNNCALC_MAX_REPEAT": str(200_000),
    "CNNCALC_MAX_CHAIN_CHARS": str(64 * 2**20),
}


def measure(source: Path) -> dict[str, float]:
    env = {**os.environ, **BENCHMARK_LIMITS}
    command = [sys.executable, "-c", WORKER, str(source)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return json.loads(result.stdout)


def run(sizes: list[int]) -> list[tuple[str, int, dict[str, float]]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            residual = Path(folder) / f"residual_{size}.yaml"
            residual.write_text(residual_yaml(size), encoding="utf-8")
            blocks = Path(folder) / f"blocks_{size}.yaml"
            blocks.write_text(blocks_yaml(size), encoding="utf-8")
            chain = Path(folder) / f"chain_{size}.chain"
            chain.write_text(chain_text(size), encoding="utf-8")
            for shape, source in (("chain", chain), ("residual", residual), ("blocks", blocks)):
                rows.append((shape, size, measure(source)))
    return rows


def table(rows: list[tuple[str, int, dict[str, float]]]) -> str:
    lines = ["| network | layers | seconds | peak MiB | µs per layer |", "|---|---:|---:|---:|---:|"]
    for shape, _, result in rows:
        per_layer = result["seconds"] / result["layers"] * 1e6
        lines.append(
            f"| {shape} | {result['layers']:,} | {result['seconds']:.2f} | "
            f"{result['peak_bytes'] / 2**20:.0f} | {per_layer:.0f} |"
        )
    by_shape: dict[str, list[dict[str, float]]] = {}
    for shape, _, result in rows:
        by_shape.setdefault(shape, []).append(result)
    lines += ["", "| network | time ratio (last/previous size) | memory ratio |", "|---|---:|---:|"]
    for shape, results in by_shape.items():
        for before, after in itertools.pairwise(results):
            time_ratio = after["seconds"] / before["seconds"]
            memory_ratio = after["peak_bytes"] / before["peak_bytes"]
            label = f"{shape} {after['layers']:,}/{before['layers']:,}"
            lines.append(f"| {label} | {time_ratio:.1f} | {memory_ratio:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[tuple[str, int, dict[str, float]]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    rows = run(args.sizes)
    print(table(rows))
    return rows


if __name__ == "__main__":
    main()
