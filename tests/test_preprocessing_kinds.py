"""Keras' preprocessing layers as kinds (issue 22): rescaling (y = x·scale + offset, constants) and
normalization (y = (x − mean)/√variance per channel). Expected numbers are hand arithmetic written
here, or Keras' own layers."""

from __future__ import annotations

import numpy as np
import pytest

import cnncalc
from cnncalc.errors import SpecError


def layers(*entries: object, input: str = "224x224x3"):
    return cnncalc.load({"input": input, "layers": list(entries)}).summary().layers[1:]


MEAN, VARIANCE = [0.485, 0.456, 0.406], [0.052441, 0.050176, 0.050625]  # Keras' EfficientNetV2


def test_rescaling_keeps_the_shape_and_has_no_parameters():
    (layer,) = layers({"rescaling": {"scale": 1 / 127.5, "offset": -1.0}})  # MobileNetV3's
    assert (layer.output_shape, layer.params, layer.macs) == ((224, 224, 3), 0, 0)


def test_an_adapted_normalization_keeps_mean_variance_and_count():
    (layer,) = layers({"normalization": None}, input="7x7x32")
    assert layer.output_shape == (7, 7, 32)
    assert (layer.trainable_params, layer.non_trainable_params) == (0, 2 * 32 + 1)  # mean, variance, count: 65
    assert layer.macs == 0


def test_a_normalization_by_given_statistics_holds_no_weights():
    """Keras adds its weights only when mean and variance are not given (ConvNeXt: 0 non-trainable)."""
    (layer,) = layers({"normalization": {"mean": MEAN, "variance": VARIANCE}})
    assert (layer.output_shape, layer.params) == ((224, 224, 3), 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"mean": [1.0, 2.0], "variance": [1.0, 2.0]}, "mean has 2 values for 3 channels"),
        ({"mean": MEAN}, "needs both mean and variance, or neither"),
    ],
)
def test_a_normalization_with_statistics_that_do_not_fit_is_refused(args, message):
    with pytest.raises(SpecError, match=message):
        layers({"normalization": args})


def test_the_executor_computes_the_hand_arithmetic():
    x = np.arange(2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 3)
    net = cnncalc.load({"input": "2x2x3", "layers": [{"rescaling": {"scale": 0.5, "offset": -1.0}},
                                                     {"normalization": {"mean": [1, 2, 3], "variance": [4, 16, 1]}}]})  # fmt: skip
    out = net.run(data=x).outputs
    std = np.array([2.0, 4.0, 1.0])
    np.testing.assert_allclose(out["normalization_1"], (x * 0.5 - 1.0 - [1, 2, 3]) / std, rtol=1e-6)


def test_the_executor_computes_what_keras_computes():
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype(np.float32)
    net = cnncalc.load({"input": "4x4x3", "layers": [{"rescaling": {"scale": 1 / 255, "offset": 0.0}},
                                                     {"normalization": {"mean": MEAN, "variance": VARIANCE}}]})  # fmt: skip
    ours = net.run(data=x).outputs["normalization_1"]
    scaled = keras.layers.Rescaling(1 / 255)(x)
    theirs = keras.ops.convert_to_numpy(keras.layers.Normalization(mean=MEAN, variance=VARIANCE)(scaled))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_keras_counts_the_weights_of_an_unadapted_normalization():
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    norm = keras.layers.Normalization()
    norm.build((None, 7, 7, 32))
    (layer,) = layers({"normalization": None}, input="7x7x32")
    assert sum(int(np.prod(w.shape)) for w in norm.non_trainable_weights) == layer.non_trainable_params
    assert not norm.trainable_weights


def test_the_keras_convention_counts_them_as_tensorflows_profiler_does():
    from cnncalc.analysis.conventions import count

    # Measured in TensorFlow 2.21's profiler (tests/keras_tf_profile.py) on a 6×5×4 input, 120 values:
    # Rescaling 240 = Mul + AddV2 per value, even at scale 1 or offset 0; Normalization 244 = Sub and
    # RealDiv per value + one op per channel, adapted or with its statistics given
    for layer, flops in (
        ({"rescaling": {"scale": 0.5}}, 240),
        ({"rescaling": {"offset": [0.0, 1.0, 0.0, 1.0]}}, 240),
        ({"normalization": None}, 2 * 120 + 4),
        ({"normalization": {"mean": [1.0], "variance": [4.0]}}, 2 * 120 + 4),
    ):
        net = cnncalc.load({"input": "6x5x4", "layers": [layer]})
        assert count(net.graph, "keras").total == flops, layer
        assert count(net.graph, "fvcore").total == 0  # x * s + o: aten::mul and aten::add, which fvcore ignores


def test_the_pytorch_export_of_rescaling_computes_what_the_executor_computes():
    pytest.importorskip("torch")
    from tests.test_export_pytorch import check, executor_matches_export

    net = cnncalc.load({"input": "6x6x3", "layers": [{"rescaling": {"scale": 0.25, "offset": 3.0}}, {"conv": {"filters": 4, "kernel": 3}}]})  # fmt: skip
    check(net)
    executor_matches_export(net)


def test_the_keras_export_has_every_shape_and_parameter():
    import os

    pytest.importorskip("torch")
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    from tests.test_export_keras import check

    for stats in (None, {"mean": MEAN, "variance": VARIANCE}):
        check(cnncalc.load({"input": "6x6x3", "layers": [{"rescaling": {"scale": 0.5}}, {"normalization": stats}]}))


STATISTICS = (None, {"mean": MEAN, "variance": VARIANCE}, {"mean": [0.5], "variance": [0.0]})  # ε floors √0


@pytest.mark.parametrize("stats", STATISTICS, ids=("adapted", "given", "one_for_all"))
def test_the_pytorch_export_of_normalization_keeps_keras_counts_and_computes_what_the_executor_computes(stats):
    pytest.importorskip("torch")
    from tests.test_export_pytorch import check, executor_matches_export

    net = cnncalc.load({"input": "6x6x3", "layers": [{"normalization": stats}, {"conv": {"filters": 4, "kernel": 3}}]})
    check(net)  # an adapted one's mean, variance and count are 7 buffers (2C + 1), given ones none
    executor_matches_export(net)


@pytest.mark.parametrize("stats", STATISTICS, ids=("adapted", "given", "one_for_all"))
def test_the_onnx_export_of_normalization_computes_what_the_executor_computes(stats):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from cnncalc.executor.run import random_weights
    from cnncalc.export.onnx_model import to_onnx

    net = cnncalc.load({"input": "5x4x3", "layers": [{"normalization": stats}]})
    weights = random_weights(net.graph, seed=3)
    model = to_onnx(net.graph, weights)
    onnx.checker.check_model(model, full_check=True)
    held = sum(
        t.dims[0] if t.dims else 1
        for t in model.graph.initializer
        if t.name.rsplit(".", 1)[-1] in ("mean", "variance", "count")
    )
    assert held == (
        2 * 3 + 1 if stats is None else 3 if stats is STATISTICS[1] else 1
    )  # Keras keeps 2C + 1 when adapted
    x = np.random.default_rng(4).standard_normal((2, 5, 4, 3)).astype(np.float32)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (theirs,) = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(np.moveaxis(x, -1, 1))})
    ours = net.run(data=x, weights=weights).outputs[net.spec.outputs[0]]
    np.testing.assert_allclose(ours, np.moveaxis(theirs, 1, -1), rtol=1e-5, atol=1e-5)


def test_a_negative_variance_is_refused():
    with pytest.raises(SpecError, match=r"variance .* holds a negative value"):
        layers({"normalization": {"mean": [0.0], "variance": [-1.0]}})


PER_CHANNEL = {"rescaling": {"scale": [0.5, 2.0, -1.0], "offset": [1.0, 0.0, 3.0]}}


def test_a_per_channel_rescaling_scales_each_channel_and_has_no_parameters():
    net = cnncalc.load({"input": "2x2x3", "layers": [PER_CHANNEL]})
    assert net.summary().totals.params == 0  # Keras' Rescaling holds its constants, no weights
    x = np.arange(12, dtype=np.float32).reshape(1, 2, 2, 3)
    out = net.run(data=x).outputs["rescaling_1"]
    # channel c of every position: x·scale[c] + offset[c], written out for the first position (0, 1, 2)
    np.testing.assert_allclose(out[0, 0, 0], [0 * 0.5 + 1, 1 * 2.0 + 0, 2 * -1.0 + 3])
    assert out.dtype == np.float32


def test_a_rescaling_with_the_wrong_number_of_values_is_refused():
    with pytest.raises(SpecError, match="rescaling's scale has 2 values for 3 channels"):
        layers({"rescaling": {"scale": [0.5, 2.0]}})


def test_keras_per_channel_rescaling_imports(tmp_path):
    import json

    document = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, 4, 4, 3]}},
        {"class_name": "Rescaling", "config": {"name": "pre", "scale": [0.5, 2.0, -1.0], "offset": 0.5}},
    ]}}  # fmt: skip
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    net = cnncalc.load(path)
    x = np.ones((1, 4, 4, 3), dtype=np.float32)
    np.testing.assert_allclose(net.run(data=x).outputs["pre"][0, 3, 3], [1.0, 2.5, -0.5])  # 1·s + 0.5


def test_the_exports_of_a_per_channel_rescaling_compute_what_the_executor_computes():
    pytest.importorskip("torch")
    from tests.test_export_pytorch import executor_matches_export

    net = cnncalc.load({"input": "5x4x3", "layers": [PER_CHANNEL, {"conv": {"filters": 2, "kernel": 3}}]})
    executor_matches_export(net)
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from cnncalc.executor.run import random_weights
    from cnncalc.export.onnx_model import to_onnx

    weights = random_weights(net.graph, seed=5)
    model = to_onnx(net.graph, weights)
    onnx.checker.check_model(model, full_check=True)
    x = np.random.default_rng(6).standard_normal((2, 5, 4, 3)).astype(np.float32)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (theirs,) = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(np.moveaxis(x, -1, 1))})
    ours = net.run(data=x, weights=weights).outputs[net.spec.outputs[0]]
    np.testing.assert_allclose(ours, np.moveaxis(theirs, 1, -1), rtol=1e-5, atol=1e-5)


def test_the_keras_export_of_a_per_channel_rescaling_runs_as_keras_computes_it():
    import os

    pytest.importorskip("torch")
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    from cnncalc.export.keras_model import to_keras
    from tests.test_export_keras import check

    net = cnncalc.load({"input": "3x2x3", "layers": [PER_CHANNEL]})
    check(net)
    namespace: dict[str, object] = {}
    exec(compile(to_keras(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    x = np.random.default_rng(7).standard_normal((2, 3, 2, 3)).astype(np.float32)
    theirs = np.asarray(namespace["build"]().predict(x, verbose=0))
    np.testing.assert_allclose(net.run(data=x).outputs["rescaling_1"], theirs, rtol=1e-6, atol=1e-6)
