"""Every LaTeX output compiles: the workings of `conv`, `pool` and `explain` (fragments for a
teacher's own document) in a minimal article with amsmath, in English and in Spanish.

Skipped without pdflatex (CI's second phase installs Debian's texlive-latex-base); the exercise
sheet, a whole document, is compiled in tests/test_exercise.py."""

from __future__ import annotations

import shutil
import subprocess

import pytest

PREAMBLE = "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\usepackage{amsmath}\n"
FRAGMENTS = [
    ("conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--explain", "--grad", "1 1; 1 1", "--as-matrix"),
    ("conv", "-x", "1 2; 3 4 | 5 6; 7 8", "-k", "0,25 | 0,5", "-p", "1", "--explain", "--lang", "es"),
    ("pool", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "2", "-s", "1", "--explain", "--grad", "1 1; 1 1"),
    ("pool", "-x", "1 2 3 4; 5 6 7 8", "-k", "2", "-t", "avg", "--explain", "--lang", "es"),
    ("explain", "lenet5"),
    ("explain", "inception_3a", "--lang", "es"),
]


@pytest.mark.parametrize("args", FRAGMENTS, ids=" ".join)
def test_a_latex_working_compiles_in_a_document(args, run_cli, tmp_path):
    code, out, err = run_cli(*args, "--format", "latex")
    assert code == 0, err
    assert "\\[" in out or "\\paragraph" in out  # a working, not an error
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed: the output is checked, not the compilation")
    (tmp_path / "working.tex").write_text(out, encoding="utf-8")
    document = f"{PREAMBLE}\\begin{{document}}\n\\input{{working}}\n\\end{{document}}\n"
    (tmp_path / "document.tex").write_text(document, encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "document.tex"],
        cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "document.pdf").stat().st_size > 0


def test_spanish_decimals_and_tags_are_written_for_math_mode(run_cli):
    """A decimal comma in display math is braced (0{,}5: a bare comma would print as "0, 5") and the
    receptive-field tag is the Spanish CR, as in the text working."""
    out = run_cli("--lang", "es", "conv", "-x", "1 2; 3 4", "-k", "0,5", "--format", "latex")[1]
    assert r"0{,}5 & 1 \\ 1{,}5 & 2" in out  # 0.5·(1 2; 3 4) by hand
    out = run_cli("--lang", "es", "explain", "lenet5", "--format", "latex")[1]
    assert r"\text{CR} H: r = 1 + (5 - 1)" in out and r"\text{RF}" not in out
