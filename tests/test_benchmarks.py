"""The benchmark scripts run (on tiny sizes); their numbers are not asserted."""

from __future__ import annotations

import pytest


def test_executor_benchmark_runs():
    pytest.importorskip("torch")
    from benchmarks import executor

    rows = executor.main(["--repeat", "1", "--size", "32"])
    assert [name for name, *_ in rows][-1] == "VGG-16 32×32, batch 1"
    assert all(ours > 0 and theirs > 0 for _, ours, theirs in rows)


def test_startup_benchmark_runs():
    from benchmarks import startup

    rows = startup.main(["--repeat", "1", "--zoo", "lenet5"])
    labels = [label for label, *_ in rows]
    assert labels[0].endswith("(floor)") and "cnncalc summary lenet5" in labels
    assert rows[0][2] == 1.0 and all(seconds > 0 for _, seconds, _ in rows)


def test_throughput_benchmark_runs():
    from benchmarks import throughput

    rows = throughput.main(["--repeat", "1", "--zoo", "lenet5"])
    assert [(name, layers) for name, layers, _, _ in rows] == [("lenet5", 13)]
    assert all(seconds > 0 and baseline > 0 for _, _, seconds, baseline in rows)


def test_scaling_benchmark_runs():
    from benchmarks import scaling

    rows = scaling.main(["--sizes", "10", "40"])
    assert [(shape, size) for shape, size, _ in rows] == [
        (shape, size) for size in (10, 40) for shape in ("chain", "residual", "blocks")
    ]
    assert [result["layers"] for _, size, result in rows if size == 40] == [39, 40, 40]


def test_scaling_generators_build_the_sizes_they_promise(tmp_path):
    import cnncalc
    from benchmarks import scaling

    assert len(cnncalc.load(scaling.chain_text(1001)).layer_names) == 1001  # input + 500 conv/relu pairs
    for name, text in (("residual", scaling.residual_yaml(301)), ("blocks", scaling.blocks_yaml(301))):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        assert len(cnncalc.load(path).layer_names) == 301  # input + 100 units of three layers


def test_peers_benchmark_runs():
    pytest.importorskip("torch")
    pytest.importorskip("torchinfo")
    from benchmarks import peers

    rows = peers.main(["--repeat", "1", "--networks", "vgg16"])
    name, our_seconds, our_peak, their_seconds, their_peak = rows[0]
    assert name == "vgg16" and min(our_seconds, our_peak, their_seconds, their_peak) > 0
