"""The type annotations hold: mypy finds nothing in the package (issue 21).

The whole package is checked with the project's settings (pyproject.toml, [tool.mypy]); the public
API, the formulas and the layer kinds, which other code and users build on, also with --strict.
Skipped when mypy is not installed (CI's second phase installs it).
"""

from __future__ import annotations

import pytest
from tests_support import ROOT

api = pytest.importorskip("mypy.api")

CONFIG = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache")]
STRICT = ["cnncalc/__init__.py", "cnncalc/api.py", "cnncalc/formulas.py", "cnncalc/layers"]


def mypy(*args: str) -> tuple[str, int]:
    stdout, stderr, status = api.run([*CONFIG, *args])
    return stdout + stderr, status


def test_the_package_type_checks():
    report, status = mypy(str(ROOT / "cnncalc"))
    assert status == 0, report


def test_the_public_api_formulas_and_layers_type_check_strictly():
    # Imported modules are analysed but not reported on: --strict applies to these files only.
    report, status = mypy("--strict", "--follow-imports=silent", *(str(ROOT / path) for path in STRICT))
    assert status == 0, report
