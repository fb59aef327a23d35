"""In-process throughput: `cnncalc.load(spec).summary()` repeated, per zoo net and per layer.

    python -m benchmarks.throughput [--repeat 20] [--zoo resnet50 vgg16]

What a notebook or a script pays per call once cnncalc is imported. The baseline, measured in the
same run, is reading the same file with PyYAML's C loader (what any tool reading the spec pays);
the ratio says how much parsing into layers, building the graph and every count add to it. Each
figure is the best of --repeat calls, the least disturbed by the rest of the machine.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_seconds(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, repeat: int) -> tuple[str, int, float, float]:
    """(net, layers, seconds per summary, seconds per YAML read of the same file)."""
    import yaml

    import cnncalc

    path = ROOT / "specs" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    layers = len(cnncalc.load(str(path)).summary().layers)
    summary = best_seconds(lambda: cnncalc.load(str(path)).summary(), repeat)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    baseline = best_seconds(lambda: yaml.load(text, Loader=loader), repeat)  # a safe loader, C or Python
    return name, layers, summary, baseline


def main(argv: list[str] | None = None) -> list[tuple[str, int, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--zoo", nargs="*", default=None, help="zoo nets to time (default: all)")
    args = parser.parse_args(argv)
    names = args.zoo or sorted(p.stem for p in (ROOT / "specs").glob("*.yaml"))
    rows = [measure(name, args.repeat) for name in names]
    print("| net | layers | load + summary | per layer | YAML read (baseline) | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, layers, seconds, baseline in rows:
        print(
            f"| {name} | {layers} | {seconds * 1e3:.2f} ms | {seconds / layers * 1e6:.0f} µs "
            f"| {baseline * 1e3:.2f} ms | {seconds / baseline:.1f}× |"
        )
    return rows


if __name__ == "__main__":
    main()
