"""Coverage-guided fuzzing of the spec parsers with atheris (a separate job, not part of the tests).

    python -m pip install atheris '.[test]'
    python fuzz/atheris_parser.py fuzz/corpus -max_total_time=600 -rss_limit_mb=2048

Each input is read as an inline chain, as YAML and as JSON, and the network it describes, when
valid, is summarised, linted and its receptive fields computed. Anything but cnncalc's own
SpecError is a bug: atheris stops, prints the traceback and saves the input as crash-*.
The seed corpus is the bundled zoo plus tests/bad_specs (copied into fuzz/corpus on first run).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():  # cnncalc imports lazily: name every module the analyses use
    import cnncalc
    import cnncalc.analysis.lint
    import cnncalc.analysis.receptive_field
    import cnncalc.analysis.summary
    import cnncalc.layers
    import cnncalc.spec.chain
    import cnncalc.spec.expand
    import cnncalc.spec.expr
    import cnncalc.spec.files
    import cnncalc.spec.load
    from cnncalc.errors import SpecError

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="cnncalc-fuzz-"))


def analyse(source: object) -> None:
    try:
        net = cnncalc.load(source)
        summary = net.summary()
        net.receptive_field()
        net.lint()
    except SpecError:
        return
    assert summary.totals.params == sum(layer.params for layer in summary.layers)


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    if text.strip():
        analyse(text if any(mark in text for mark in "(→[") else text + "(")
    for suffix in (".yaml", ".json"):
        path = WORK / f"input{suffix}"
        path.write_bytes(data)
        analyse(path)


def seed_corpus(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    for source in [*sorted((ROOT / "specs").glob("*.yaml")), *sorted((ROOT / "tests" / "bad_specs").iterdir())]:
        if source.is_file() and source.suffix != ".expected":
            shutil.copy(source, folder / source.name)


def main() -> None:
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        seed_corpus(Path(args[0]))
    atheris.Setup([sys.argv[0], *args], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
