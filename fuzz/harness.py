"""What both atheris harnesses share: cnncalc imported under coverage instrumentation, the test
suite's invariants and mutations importable, a scratch folder, and the libFuzzer run itself."""

from __future__ import annotations

import importlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent


def instrumented(modules: tuple[str, ...]) -> Path:
    """Import `modules` instrumented (cnncalc imports lazily, so a harness names every module the
    fuzzed code reaches), put tests/ on the path and return a fresh scratch folder."""
    with atheris.instrument_imports():
        for module in modules:
            importlib.import_module(module)
    sys.path.insert(0, str(ROOT / "tests"))
    return Path(tempfile.mkdtemp(prefix="cnncalc-fuzz-"))


def fuzz(test_one_input: Callable[[bytes], None], args: list[str], seed_corpus: Callable[[Path], None]) -> None:
    """Run libFuzzer with `args`; a corpus folder given first is seeded when it is empty."""
    if args and not args[0].startswith("-"):
        folder = Path(args[0])
        if not (folder.exists() and any(folder.iterdir())):
            folder.mkdir(parents=True, exist_ok=True)
            seed_corpus(folder)
    atheris.Setup([sys.argv[0], *args], test_one_input)
    atheris.Fuzz()
