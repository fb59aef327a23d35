from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles: the default draws 100 examples per property (CI and `pytest`); `fast`
# draws 10 for the edit loop (`pytest -m "not slow" --hypothesis-profile=fast`, CONTRIBUTING.md).
settings.register_profile("fast", max_examples=10)


def pytest_configure(config: pytest.Config) -> None:
    """Compile the message catalogues as the wheel's build hook does: the tests import this checkout.

    Without a .mo the Spanish messages would come from Babel compiling each process's catalogue in
    memory (cnncalc.i18n); compiled once here, every test and every `python -m cnncalc` reads the .mo.
    """
    from cnncalc._catalogues import compile_all
    from cnncalc.i18n import ENVIRONMENT, chosen

    with contextlib.suppress(ImportError):  # no Babel (the test extra has it): Spanish tests fail, saying so
        compile_all()
    # The suite's expected messages are English: a Spanish desktop (LANG=es_ES.UTF-8) must not turn
    # every in-process and subprocess command into Spanish. Tests that want Spanish ask for it.
    for name in ENVIRONMENT:
        try:
            spanish = chosen(None, {name: os.environ.get(name, "")}) != "en"
        except ValueError:  # CNNCALC_LANG naming a language cnncalc lacks
            spanish = True
        if spanish:
            os.environ[name] = "C.UTF-8" if name in ("LC_ALL", "LANG") else ""


ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


@pytest.fixture
def run_cli():
    """Run the CLI in-process; returns (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from cnncalc.cli.app import app

    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """With CNNCALC_SKIPPED_LOG set, note each skipped test's id: CI reruns them once the oracles are in."""
    log = os.environ.get("CNNCALC_SKIPPED_LOG")
    if log and report.skipped:
        with open(log, "a", encoding="utf-8") as stream:
            stream.write(report.nodeid + "\n")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A module that skips as a whole (pytest.importorskip at import) is noted by its path."""
    pytest_runtest_logreport(report)  # type: ignore[arg-type]
