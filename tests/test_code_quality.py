"""Project standards that a reviewer would otherwise check by hand."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from tests_support import ROOT, imported_after

RUFF = shutil.which("ruff")


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed (it comes with the test extra)")
@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(args):
    result = subprocess.run([RUFF, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_engine_does_not_import_numpy():
    code = "import cnncalc; cnncalc.load('vgg16').summary(); from cnncalc.cli import app"
    assert imported_after(code, ["numpy", "torch"]) == []


def test_no_eval_or_exec_in_the_package():
    offenders = [
        path.relative_to(ROOT)
        for path in (ROOT / "cnncalc").rglob("*.py")
        if any(f"{word}(" in path.read_text(encoding="utf-8") for word in (" eval", " exec"))
    ]
    assert offenders == []


def test_the_import_probe_sees_an_import():
    """imported_after, which the tests of lazy imports rely on, does report a module that was imported."""
    assert imported_after("import json", ["json", "numpy"]) == ["json"]
