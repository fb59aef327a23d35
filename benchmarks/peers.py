"""cnncalc against torchinfo on the same architecture: wall time and peak memory of one process.

    python -m benchmarks.peers [--repeat 3]

torchinfo needs the model built in PyTorch (weights allocated) and a forward pass; cnncalc reads a
text spec. Each side runs in a fresh process that reports its own peak resident memory, from
interpreter start to the printed table. Needs torch and torchinfo (`pip install torch==2.13.0
torchinfo`); skipped with a message otherwise.

The same run measures the floor, a process that only imports typer, rich.console and yaml: no
command built on those libraries can be faster or smaller, so torchinfo's figures over the floor's are the
largest ratios any such command could reach on this machine (the "bound" columns).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ("vgg16", "resnet50")

TORCHINFO = r"""
import json, resource, sys
import torch
from torchinfo import summary
from benchmarks import torch_models
model = getattr(torch_models, sys.argv[1])(torch.nn)
count = sum(p.numel() for p in model.parameters())
assert count == torch_models.PUBLISHED_PARAMS[sys.argv[1]], count
summary(model, input_size=(1, 3, 224, 224), verbose=1)
print(json.dumps({"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}), file=sys.stderr)
"""

FLOOR = r"""
import json, resource, sys
import typer, rich.console, yaml
print(json.dumps({"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}), file=sys.stderr)
"""

CNNCALC = r"""
import json, resource, sys
from cnncalc.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps({"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}), file=sys.stderr)
"""


def timed(argv: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return seconds, json.loads(result.stderr.strip().splitlines()[-1])["peak"]


def best(argv: list[str], repeat: int) -> tuple[float, int]:
    runs = [timed(argv) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def main(argv: list[str] | None = None) -> list[tuple[str, float, int, float, int]]:
    """Rows of (network, cnncalc seconds, cnncalc peak bytes, torchinfo seconds, torchinfo peak bytes)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--networks", nargs="+", default=list(NETWORKS))
    args = parser.parse_args(argv)
    if not all(importlib.util.find_spec(m) for m in ("torch", "torchinfo")):
        print("peers benchmark skipped: needs torch and torchinfo")
        return []
    floor_s, floor_peak = best([sys.executable, "-c", FLOOR], args.repeat)
    rows = []
    for name in args.networks:
        theirs = best([sys.executable, "-c", TORCHINFO, name], args.repeat)
        cli = [sys.executable, "-c", CNNCALC, "summary", f"specs/{name}.yaml"]
        ours = best(cli, args.repeat)
        rows.append((name, *ours, *theirs))
    print(f"floor (import typer, rich.console, yaml): {floor_s:.3f} s, {floor_peak / 2**20:.1f} MiB")
    print("| network | cnncalc s | cnncalc MiB | torchinfo s | torchinfo MiB | faster | less memory | bound |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, our_s, our_peak, their_s, their_peak in rows:
        print(
            f"| {name} | {our_s:.3f} | {our_peak / 2**20:.1f} | {their_s:.2f} | {their_peak / 2**20:.0f} | "
            f"{their_s / our_s:.1f}× | {their_peak / our_peak:.1f}× | "
            f"{their_s / floor_s:.1f}×, {their_peak / floor_peak:.1f}× |"
        )
    return rows


if __name__ == "__main__":
    main()
