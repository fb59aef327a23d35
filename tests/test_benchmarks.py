"""The benchmark scripts run (on tiny sizes); their numbers are not asserted."""

from __future__ import annotations

import pytest


def test_executor_benchmark_runs():
    pytest.importorskip("torch")
    from benchmarks import executor

    rows = executor.main(["--repeat", "1", "--size", "32"])
    assert [name for name, *_ in rows][-1] == "VGG-16 32×32, batch 1"
    assert all(ours > 0 and theirs > 0 for _, ours, theirs in rows)
