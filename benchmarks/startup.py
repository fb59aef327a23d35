"""Cold command-line start: each command in a fresh process, against the floor our libraries set.

    python -m benchmarks.startup [--repeat 7]

The floor is `python -c "import typer, rich.console, yaml"`: no cnncalc command can start faster
than its own command-line libraries and the YAML reader it uses (PyYAML, never a second one) load.
The target is every zoo summary within 1.5× of that floor.
Each figure is the best of --repeat runs (the least disturbed by the rest of the machine); the
ratios are measured in the same run, so they do not depend on the machine's speed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cnncalc_command() -> list[str]:
    script = Path(sys.executable).parent / "cnncalc"
    found = str(script) if script.exists() else shutil.which("cnncalc")
    return [found] if found else [sys.executable, "-m", "cnncalc"]


def best_time(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def cases(zoo: list[str]) -> list[tuple[str, list[str]]]:
    cli = cnncalc_command()
    specs = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specs").glob("*.yaml"))
    rows = [
        (
            'python -c "import typer, rich.console, yaml" (floor)',
            [sys.executable, "-c", "import typer, rich.console, yaml"],
        ),
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("cnncalc --version", [*cli, "--version"]),
        ("cnncalc summary specs/vgg16.yaml", [*cli, "summary", "specs/vgg16.yaml"]),
        ("cnncalc summary specs/resnet152.yaml", [*cli, "summary", "specs/resnet152.yaml"]),
        (f"cnncalc lint specs/*.yaml ({len(specs)} specs)", [*cli, "lint", *specs]),
    ]
    rows += [(f"cnncalc summary {name}", [*cli, "summary", name]) for name in zoo]
    return rows


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--zoo", nargs="*", default=None, help="zoo nets to time (default: all)")
    args = parser.parse_args(argv)
    zoo = args.zoo if args.zoo is not None else sorted(p.stem for p in (ROOT / "specs").glob("*.yaml"))
    rows = []
    floor = None
    for label, command in cases(zoo):
        seconds = best_time(command, args.repeat)
        floor = floor or seconds
        rows.append((label, seconds, seconds / floor))
    print("| command | best of runs (ms) | ratio to the floor |\n|---|---:|---:|")
    for label, seconds, ratio in rows:
        print(f"| {label} | {seconds * 1000:.0f} | {ratio:.2f} |")
    summaries = [ratio for label, _, ratio in rows if label.startswith("cnncalc summary") and "/" not in label]
    if summaries:
        print(f"\nzoo summaries: {min(summaries):.2f}–{max(summaries):.2f}× the floor (target ≤ 1.5)")
    return rows


if __name__ == "__main__":
    main()
