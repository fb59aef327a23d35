"""Keras model JSON import (no TensorFlow): the seed's Fashion-MNIST model as model.to_json() writes it."""

from __future__ import annotations

import json

import cnncalc


def keras2_layer(class_name: str, **config: object) -> dict:
    return {"class_name": class_name, "config": config}


def fashion_mnist_keras2() -> dict:
    """Seed 002's Sequential model, in the tf.keras 2.x to_json() layout."""
    conv = lambda f, k, **extra: keras2_layer(  # noqa: E731
        "Conv2D", name=f"conv_{f}_{k}", filters=f, kernel_size=[k, k], strides=[1, 1], padding="same",
        dilation_rate=[1, 1], activation="relu", use_bias=True, **extra,
    )  # fmt: skip
    layers = [
        conv(64, 7, batch_input_shape=[None, 28, 28, 1]),
        keras2_layer("MaxPooling2D", name="pool1", pool_size=[2, 2], strides=[2, 2], padding="valid"),
        conv(128, 3), {**conv(128, 3), "config": {**conv(128, 3)["config"], "name": "conv_128_3b"}},
        keras2_layer("MaxPooling2D", name="pool2", pool_size=[2, 2], strides=[2, 2], padding="valid"),
        conv(256, 3), {**conv(256, 3), "config": {**conv(256, 3)["config"], "name": "conv_256_3b"}},
        keras2_layer("MaxPooling2D", name="pool3", pool_size=[2, 2], strides=[2, 2], padding="valid"),
        keras2_layer("Flatten", name="flatten"),
        keras2_layer("Dense", name="d1", units=128, activation="relu", use_bias=True),
        keras2_layer("Dropout", name="drop1", rate=0.5),
        keras2_layer("Dense", name="d2", units=64, activation="relu", use_bias=True),
        keras2_layer("Dropout", name="drop2", rate=0.5),
        keras2_layer("Dense", name="d3", units=10, activation="softmax", use_bias=True),
    ]  # fmt: skip
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}, "keras_version": "2.15.0"}


def test_seed_fashion_mnist_from_keras_json(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(fashion_mnist_keras2()), encoding="utf-8")
    summary = cnncalc.load(path).summary()
    assert summary.totals.params == 1_413_834  # Keras model.summary()
    assert [r.output_shape for r in summary.layers if r.kind == "max_pool"] == [(14, 14, 64), (7, 7, 128), (3, 3, 256)]


def keras3_tensor(name: str) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}


def test_functional_keras3_with_add_and_concatenate(tmp_path):
    def layer(class_name: str, name: str, inputs: list[str], **config: object) -> dict:
        args = [keras3_tensor(i) for i in inputs]
        return {
            "module": "keras.layers", "class_name": class_name, "registered_name": None,
            "config": {"name": name, **config}, "name": name,
            "inbound_nodes": [{"args": [args] if len(args) > 1 else args, "kwargs": {}}],
        }  # fmt: skip

    model = {
        "class_name": "Functional",
        "config": {
            "name": "tiny",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"name": "image", "batch_shape": [None, 16, 16, 8]},
                    "name": "image",
                    "inbound_nodes": [],
                },
                layer("Conv2D", "a", ["image"], filters=8, kernel_size=[3, 3], padding="same", activation="relu"),
                layer("Add", "sum", ["image", "a"]),
                layer("Conv2D", "b", ["sum"], filters=4, kernel_size=[1, 1], padding="valid", use_bias=False),
                layer("Concatenate", "cat", ["sum", "b"], axis=-1),
                layer("GlobalAveragePooling2D", "gap", ["cat"]),
                layer("Dense", "out", ["gap"], units=3),
            ],
            "input_layers": [["image", 0, 0]],
            "output_layers": [["out", 0, 0]],
        },
    }
    path = tmp_path / "functional.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    net = cnncalc.load(path)
    assert net.shape("cat") == (16, 16, 12)
    assert net.summary().totals.params == (8 * 8 * 9 + 8) + 8 * 4 + (12 * 3 + 3)


def test_unsupported_keras_layers_are_listed(tmp_path, run_cli):
    model = fashion_mnist_keras2()
    model["config"]["layers"].insert(1, keras2_layer("GaussianNoise", name="noise", stddev=0.1))
    path = tmp_path / "noisy.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    code, _, err = run_cli("summary", str(path))
    assert code == 2 and "unsupported Keras layer(s): GaussianNoise (noise)" in err


def test_batch_norm_scale_and_center_are_kept(tmp_path):
    # Keras Inception's conv2d_bn: BatchNormalization(scale=False) has β (C) and the two statistics (2C)
    layers = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8, 8, 3], "name": "in"}},
        {"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": [3, 3], "use_bias": False}},
        {"class_name": "BatchNormalization", "config": {"name": "bn", "scale": False, "center": True}},
    ]
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": layers}}))
    record = cnncalc.load(path).summary().layers[-1]
    assert (record.trainable_params, record.non_trainable_params) == (4, 8)
