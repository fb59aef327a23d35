"""Coverage-guided fuzzing of the spec parsers with atheris (a separate job, not part of the tests).

    python -m pip install atheris '.[test]'
    python fuzz/atheris_parser.py fuzz/corpus -max_total_time=600 -rss_limit_mb=2048

Each input is read as an inline chain, as YAML and as JSON, and goes through the same checks as
tests/test_robustness.py: summary, receptive fields and lint, totals that add up, and for small
valid nets the NumPy executor agreeing with the calculation. Anything but cnncalc's own SpecError
is a bug: atheris stops, prints the traceback and saves the input as crash-*.
The seed corpus is the bundled zoo plus tests/bad_specs (copied into fuzz/corpus on first run).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from harness import ROOT, fuzz, instrumented

WORK = instrumented(
    (  # cnncalc imports lazily: name every module the analyses use
        "cnncalc",
        "cnncalc.analysis.lint",
        "cnncalc.analysis.receptive_field",
        "cnncalc.analysis.summary",
        "cnncalc.layers",
        "cnncalc.spec.chain",
        "cnncalc.spec.expand",
        "cnncalc.spec.expr",
        "cnncalc.spec.files",
        "cnncalc.spec.load",
    )
)
from test_robustness import attempt as analyse  # noqa: E402  (the invariants the tests check)


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    if text.strip():
        analyse(text if any(mark in text for mark in "(→[") else text + "(")
    for suffix in (".yaml", ".json"):
        path = WORK / f"input{suffix}"
        path.write_bytes(data)
        analyse(path)


def seed_corpus(folder: Path) -> None:
    for source in [*sorted((ROOT / "specs").glob("*.yaml")), *sorted((ROOT / "tests" / "bad_specs").iterdir())]:
        if source.is_file() and source.suffix != ".expected":
            shutil.copy(source, folder / source.name)


def main() -> None:
    fuzz(test_one_input, sys.argv[1:], seed_corpus)


if __name__ == "__main__":
    main()
