from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles: the default draws 100 examples per property (CI and `pytest`); `fast`
# draws 10 for the edit loop (`pytest -m "not slow" --hypothesis-profile=fast`, CONTRIBUTING.md).
settings.register_profile("fast", max_examples=10)

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
