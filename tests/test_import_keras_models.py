"""Keras layers beyond the plain ones, as Keras 3's model.to_json() writes them (documents built here).

Expected values come from Keras' own definitions (the call of the layer, written out in numpy) or,
where keras is installed (KERAS_BACKEND=torch), from Keras running the same model.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from tests_support import assert_one_message

import cnncalc

IRV2 = "keras.src.applications.inception_resnet_v2"


def tensor(name: str) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}


def layer(class_name: str, name: str, inputs: list[str], module: str = "keras.layers", **config: object) -> dict:
    """One layer entry of a Keras 3 functional model, as to_json() writes it."""
    args = [tensor(i) for i in inputs]
    return {
        "module": module, "class_name": class_name, "registered_name": None, "name": name,
        "config": {"name": name, **config},
        "inbound_nodes": [{"args": [args] if len(args) > 1 else args, "kwargs": {}}],
    }  # fmt: skip


def functional(layers: list[dict], output: str, sizes: list[int | None] | None = (4, 4, 3)) -> dict:
    first = {"class_name": "InputLayer", "name": "image", "inbound_nodes": [], "config": {"name": "image"}}
    if sizes is not None:
        first["config"]["batch_shape"] = [None, *sizes]
    config = {"name": "m", "layers": [first, *layers], "input_layers": ["image", 0, 0], "output_layers": [output, 0, 0]}
    return {"class_name": "Functional", "config": config}


def write(tmp_path, document: dict):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def scaled_residual(module: str = IRV2, scale: object = 0.17) -> dict:
    """InceptionResNetV2's residual: CustomScaleLayer([x, relu(x)]), i.e. x + relu(x)·scale."""
    custom = layer("CustomScaleLayer", "scaled", ["image", "branch"], module=module, scale=scale)
    return functional([layer("ReLU", "branch", ["image"]), custom], "scaled")


def test_custom_scale_layer_is_a_scaled_residual_add(tmp_path):
    net = cnncalc.load(write(tmp_path, scaled_residual()))
    assert net.summary().totals.params == 0  # Keras' CustomScaleLayer has no weights
    assert net.summary().output_shapes == ((4, 4, 3),)
    x = np.random.default_rng(0).standard_normal((2, 4, 4, 3)).astype(np.float32)
    result = net.run(data=x)
    assert result.ok
    # keras.src.applications.inception_resnet_v2.CustomScaleLayer.call: inputs[0] + inputs[1] * scale
    expected = x + np.maximum(x, 0) * np.float32(0.17)
    np.testing.assert_allclose(result.outputs["scaled"], expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("module", "scale", "why"),
    [("my_project.layers", 0.17, "module=my_project.layers"), (IRV2, [0.1, 0.2], "scale=the list [0.1, 0.2]")],
)
def test_a_custom_scale_layer_keras_did_not_write_is_refused(tmp_path, run_cli, module, scale, why):
    path = write(tmp_path, scaled_residual(module, scale))
    assert_one_message(run_cli, path, "unsupported Keras layer(s): CustomScaleLayer(", why, "(scaled)")


def test_custom_scale_layer_equals_keras(tmp_path):
    """The same model run by Keras itself (the InceptionResNetV2 layer class), where keras is installed."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    scale_layer = pytest.importorskip(IRV2).CustomScaleLayer
    image = keras.Input((4, 4, 3))
    model = keras.Model(image, scale_layer(0.2)([image, keras.layers.ReLU()(image)]))
    path = tmp_path / "keras.json"
    path.write_text(model.to_json(), encoding="utf-8")
    x = np.random.default_rng(1).standard_normal((2, 4, 4, 3)).astype(np.float32)
    net = cnncalc.load(path)
    ours = net.run(data=x).outputs[net.spec.outputs[0]]
    np.testing.assert_allclose(ours, np.asarray(model.predict(x, verbose=0)), rtol=1e-6, atol=1e-6)


# -- a model that declares no input shape: --input gives the rank Dense needs, never a guess --
def sequential(*layers: dict) -> dict:
    """An unbuilt Keras 3 Sequential (no Input, no input_shape): to_json() writes no shape anywhere."""
    return {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": list(layers)}}


def plain(class_name: str, **config: object) -> dict:
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}


CONV_THEN_DENSE = sequential(
    plain("Conv2D", name="conv", filters=8, kernel_size=[3, 3], strides=[1, 1], padding="valid", use_bias=True),
    plain("Dense", name="dense", units=4, use_bias=True),
)


def test_a_dense_after_a_feature_map_of_a_model_without_input_takes_the_rank_from_input(tmp_path):
    net = cnncalc.load(write(tmp_path, CONV_THEN_DENSE), input="10x10x3")
    # Keras: conv 3·3·3·8 + 8 = 224; Dense on the last axis of 8×8×8: 8·4 + 4 = 36 (model.count_params() 260)
    assert net.summary().totals.params == 224 + 36
    assert net.summary().output_shapes == ((8, 8, 4),)


def test_a_dense_of_unknown_rank_is_refused_naming_it_and_the_option(tmp_path, run_cli):
    path = write(tmp_path, CONV_THEN_DENSE)
    assert_one_message(run_cli, path, "layer 'dense'", "rank of its input is unknown", "--input")


def test_a_dense_after_flatten_needs_no_rank_from_input(tmp_path):
    document = sequential(plain("Flatten", name="flat"), plain("Dense", name="dense", units=4))
    net = cnncalc.load(write(tmp_path, document), input="5x5x2")
    assert net.summary().totals.params == 50 * 4 + 4


def test_a_functional_model_with_open_sizes_keeps_dense_per_position(tmp_path):
    conv = layer("Conv2D", "conv", ["image"], filters=8, kernel_size=[3, 3], padding="valid")
    document = functional([conv, layer("Dense", "dense", ["conv"], units=4)], "dense", sizes=[None, None, 3])
    assert cnncalc.load(write(tmp_path, document), input="10x10x3").summary().totals.params == 224 + 36


def test_a_model_without_input_equals_keras(tmp_path):
    """Keras' own to_json() of an unbuilt Sequential, and its count once built at the --input size."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.layers.Conv2D(8, 3), keras.layers.Dense(4), keras.layers.Dense(2)])
    path = tmp_path / "keras.json"
    path.write_text(model.to_json(), encoding="utf-8")  # before build: no shape in the document
    model.build((None, 12, 9, 3))
    summary = cnncalc.load(path, input="12x9x3").summary()
    assert summary.totals.params == model.count_params()
    assert summary.output_shapes == (tuple(model.output_shape[1:]),)
