"""Keras model JSON import (no TensorFlow): the seed's Fashion-MNIST model as model.to_json() writes it."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import assert_one_message

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


# -- malformed documents: one message naming the file and the layer, exit 2, never a traceback --
DELETE = object()


def sequential() -> dict:
    layers = [
        {"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": [3, 3], "batch_input_shape": [None, 8, 8, 1]}},
        {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2]}},
        {"class_name": "Flatten", "config": {"name": "f"}},
        {"class_name": "Dense", "config": {"name": "d", "units": 3, "activation": "softmax"}},
    ]  # fmt: skip
    return {"class_name": "Sequential", "config": {"name": "s", "layers": layers}}


def functional() -> dict:
    """Keras 3 layout: an input, a conv, a residual add, a dense head."""

    def layer(class_name: str, name: str, inputs: list[str], **config: object) -> dict:
        args = [keras3_tensor(i) for i in inputs]
        return {"class_name": class_name, "name": name, "config": {"name": name, **config},
                "inbound_nodes": [{"args": [args] if len(args) > 1 else args, "kwargs": {}}]}  # fmt: skip

    layers = [
        {"class_name": "InputLayer", "name": "image", "config": {"name": "image", "batch_shape": [None, 8, 8, 2]}, "inbound_nodes": []},
        layer("Conv2D", "a", ["image"], filters=2, kernel_size=3, padding="same"),
        layer("Add", "sum", ["image", "a"]),
        layer("GlobalAveragePooling2D", "gap", ["sum"]),
        layer("Dense", "out", ["gap"], units=3),
    ]  # fmt: skip
    return {"class_name": "Functional", "config": {"name": "f", "layers": layers, "output_layers": [["out", 0, 0]]}}


def edited(document: dict, path: tuple, value: object) -> dict:
    """A deep copy of the document with the value at `path` replaced (or deleted)."""
    copy = json.loads(json.dumps(document))
    *parents, last = path
    holder = copy
    for key in parents:
        holder = holder[key]
    if value is DELETE:
        del holder[last]
    else:
        holder[last] = value
    return copy


S, F = sequential(), functional()
SL, FL = ("config", "layers"), ("config", "layers")
MALFORMED_KERAS = {
    "config a number": (edited(S, ("config",), 5), "", "config must hold a list 'layers', got a number"),
    "config null": (edited(S, ("config",), None), "", "got null"),
    "config without layers": (edited(S, (*SL,), DELETE), "", "got null"),
    "layers an object": (edited(S, SL, {"c": 1}), "", "got an object"),
    "layers text": (edited(S, SL, "conv"), "", "got text"),
    "layer a number": (edited(S, (*SL, 1), 7), "", "layer 2 must be an object, got a number"),
    "layer null": (edited(S, (*SL, 1), None), "", "layer 2 must be an object, got null"),
    "layer without class_name": (edited(S, (*SL, 1, "class_name"), DELETE), "", "layer 2 has no class_name"),
    "class_name a number": (edited(S, (*SL, 1, "class_name"), 3), "", "layer 2 has no class_name"),
    "layer config a list": (edited(S, (*SL, 1, "config"), [1]), "", "the config of layer 2 (MaxPooling2D) is the list [1]"),
    "layer config null": (edited(S, (*SL, 1, "config"), None), "", "the config of layer 2 (MaxPooling2D) is null"),
    "layer name a number": (edited(S, (*SL, 1, "config", "name"), 5), "", "the name of layer 2 (MaxPooling2D) must be text"),
    "conv without filters": (edited(S, (*SL, 0, "config", "filters"), DELETE), "layer 'c'", "its config has no 'filters'"),
    "filters as text": (edited(S, (*SL, 0, "config", "filters"), "four"), "layer 'c'", "filters"),
    "kernel_size text": (edited(S, (*SL, 0, "config", "kernel_size"), "3"), "layer 'c'", "'kernel_size' must be an integer or a list of integers, got text"),
    "kernel_size an object": (edited(S, (*SL, 0, "config", "kernel_size"), {"h": 3}), "layer 'c'", "got an object"),
    "kernel_size with a null": (edited(S, (*SL, 0, "config", "kernel_size"), [3, None]), "layer 'c'", "got the list [3, null]"),
    "strides text": (edited(S, (*SL, 1, "config", "strides"), "2"), "layer 'p'", "'strides' must be an integer or a list"),
    "pool without pool_size": (edited(S, (*SL, 1, "config", "pool_size"), DELETE), "layer 'p'", "its config has no 'pool_size'"),
    "dense without units": (edited(S, (*SL, 3, "config", "units"), DELETE), "layer 'd'", "its config has no 'units'"),
    "dense activation a number": (edited(S, (*SL, 3, "config", "activation"), 1), "layer 'd'", "'activation' must be a name, got a number"),
    "activation layer with null": (
        edited(S, (*SL, 2), {"class_name": "Activation", "config": {"name": "act", "activation": None}}),
        "layer 'act'", "'activation' must be a name, got null",
    ),
    "activation layer with an object": (
        edited(S, (*SL, 2), {"class_name": "Activation", "config": {"name": "act", "activation": {"a": 1}}}),
        "layer 'act'", "'activation' must be a name, got an object",
    ),
    "reshape target a number": (
        edited(S, (*SL, 2), {"class_name": "Reshape", "config": {"name": "r", "target_shape": 36}}),
        "layer 'r'", "'target_shape' must be a list of sizes, got a number",
    ),
    "concatenate on the batch axis": (
        edited(S, (*SL, 2), {"class_name": "Concatenate", "config": {"name": "cat", "axis": 0}}),
        "layer 'cat'", "'axis' must be a tensor axis after the batch axis, got the batch axis (0)",
    ),
    "concatenate axis text": (
        edited(S, (*SL, 2), {"class_name": "Concatenate", "config": {"name": "cat", "axis": "c"}}), "layer 'cat'", "got text",
    ),
    "batch_input_shape a number": (edited(S, (*SL, 0, "config", "batch_input_shape"), 8), "layer 'c'", "'batch_input_shape' must be a list [batch, sizes…], got a number"),
    "batch_input_shape negative": (edited(S, (*SL, 0, "config", "batch_input_shape"), [None, -8, 8, 1]), "layer 'c'", "holds [-8, 8, 1]"),
    "batch_input_shape of text": (edited(S, (*SL, 0, "config", "batch_input_shape"), [None, "8", 8, 1]), "layer 'c'", "sizes are positive integers"),
    "no input shape": (edited(S, (*SL, 0, "config", "batch_input_shape"), DELETE), "", "the Keras model has no input shape"),
    "build_config a list": (
        edited(edited(S, (*SL, 0, "config", "batch_input_shape"), DELETE), (*SL, 0, "build_config"), [1]),
        "", "the Keras model has no input shape",
    ),
    "unknown class": (edited(S, (*SL, 2, "class_name"), "Frobnicate"), "", "unsupported Keras layer(s): Frobnicate (f)"),
    "input layer without batch_shape": (edited(F, (*FL, 0, "config", "batch_shape"), DELETE), "layer 'image'", "its config has no 'batch_shape'"),
    "inbound_nodes an object": (edited(F, (*FL, 1, "inbound_nodes"), {"args": []}), "layer 'a'", "'inbound_nodes' must be a list, got an object"),
    "inbound node text": (edited(F, (*FL, 1, "inbound_nodes"), ["image"]), "layer 'a'", "an inbound node must be a list (Keras 2) or an object (Keras 3), got text"),
    "keras 2 inbound entry a number": (edited(F, (*FL, 1, "inbound_nodes"), [[5]]), "layer 'a'", "an inbound tensor must be [layer name, node, tensor], got a number"),
    "keras 2 inbound entry empty": (edited(F, (*FL, 1, "inbound_nodes"), [[[]]]), "layer 'a'", "got the list []"),
    "keras_history null": (edited(F, (*FL, 1, "inbound_nodes", 0, "args", 0, "config", "keras_history"), None), "layer 'a'", "got null"),
    "keras tensor config a list": (edited(F, (*FL, 1, "inbound_nodes", 0, "args", 0, "config"), [1]), "layer 'a'", "got null"),
    "layer called twice": (
        edited(F, (*FL, 1, "inbound_nodes"), F["config"]["layers"][1]["inbound_nodes"] * 2), "layer 'a'",
        "the layer is called 2 times (shared weights)",
    ),
    "inbound from an unknown layer": (
        edited(F, (*FL, 1, "inbound_nodes", 0, "args", 0, "config", "keras_history", 0), "ghost"), "layer 'a'", "ghost"
    ),
    "output_layers a number": (edited(F, ("config", "output_layers"), 5), "", "'output_layers' must list [layer name, node, tensor] triples"),
    "output_layers of numbers": (edited(F, ("config", "output_layers"), [[5, 0, 0]]), "", "'output_layers' must list"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED_KERAS), ids=str)
def test_malformed_keras_json_is_one_message_naming_the_file_and_layer(tmp_path, run_cli, case):
    document, layer, fragment = MALFORMED_KERAS[case]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    assert_one_message(run_cli, path, layer, fragment)


def test_the_unbroken_documents_load(tmp_path):
    """The bases of the cases above are valid, so each case fails for its own edit."""
    for name, document in (("s.json", S), ("f.json", F)):
        (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    assert cnncalc.load(tmp_path / "s.json").summary().totals.params == (9 * 4 + 4) + (36 * 3 + 3)  # 8→6→3: 3·3·4
    assert cnncalc.load(tmp_path / "f.json").summary().totals.params == (2 * 2 * 9 + 2) + (2 * 3 + 3)


def test_keras_single_output_and_dict_outputs_as_keras_3_writes_them(tmp_path):
    for outputs in (["out", 0, 0], {"logits": ["out", 0, 0]}):
        path = tmp_path / "model.json"
        path.write_text(json.dumps(edited(F, ("config", "output_layers"), outputs)), encoding="utf-8")
        assert cnncalc.load(path).summary().output_shapes == ((3,),)


def test_keras_input_without_fixed_sizes_takes_input(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(edited(S, (*SL, 0, "config", "batch_input_shape"), [None, None, None, 1])))
    with pytest.raises(cnncalc.SpecError, match="has input sizes that are not fixed"):
        cnncalc.load(path)
    assert cnncalc.load(path, input="10x10x1").shape("p") == (4, 4, 4)  # conv 3: 10 → 8, pool 2: 4


# -- Keras 3 functional models as keras.applications write them --
def keras3_layer(class_name: str, name: str, args: list, build_shape: list | None = None, **config: object) -> dict:
    """A layer of a Keras 3 functional model called on `args` (tensor names and plain numbers)."""
    called = [
        keras3_tensor(a) if isinstance(a, str) else [keras3_tensor(t) for t in a] if isinstance(a, list) else a
        for a in args
    ]
    layer = {"class_name": class_name, "name": name, "config": {"name": name, **config},
             "inbound_nodes": [{"args": called, "kwargs": {}}]}  # fmt: skip
    if build_shape is not None:
        layer["build_config"] = {"input_shape": [None, *build_shape]}
    return layer


def keras3_model(*layers: dict, size: list | None = None, outputs: str | None = None) -> dict:
    image = {"class_name": "InputLayer", "name": "image", "config": {"name": "image", "batch_shape": [None, *(size or [8, 8, 4])]}}  # fmt: skip
    last = outputs or layers[-1]["name"]
    config = {"name": "m", "layers": [image, *layers], "output_layers": [last, 0, 0]}
    return {"class_name": "Functional", "config": config}


def load_document(tmp_path, document: dict, **options):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return cnncalc.load(path, **options)


def test_keras3_hard_sigmoid_written_as_add_relu6_multiply_is_one_layer(tmp_path):
    # MobileNetV3's hard_sigmoid(x) = ReLU(6.0)(x + 3.0) * (1.0 / 6.0): Keras 3 writes ops on numbers as Add(x, 3.0)
    net = load_document(tmp_path, keras3_model(
        keras3_layer("Add", "plus3", ["image", 3.0]),
        keras3_layer("ReLU", "r6", ["plus3"], max_value=6.0, negative_slope=0.0, threshold=0.0),
        keras3_layer("Multiply", "gate", ["r6", 1 / 6]),
        keras3_layer("Multiply", "scaled", ["image", "gate"]),
    ))  # fmt: skip
    kinds = [record.kind for record in net.summary().layers]
    assert kinds == ["input", "hard_sigmoid", "multiply"], kinds
    assert net.shape("gate") == (8, 8, 4)


@pytest.mark.parametrize(
    "layers, refused",
    [
        ([keras3_layer("Add", "plus2", ["image", 2.0])], "Add with the constant 2.0 (arithmetic on a number) (plus2)"),
        (  # the relu6 is read twice: the three layers are not one hard sigmoid
            [keras3_layer("Add", "plus3", ["image", 3.0]),
             keras3_layer("ReLU", "r6", ["plus3"], max_value=6.0),
             keras3_layer("Multiply", "gate", ["r6", 1 / 6]),
             keras3_layer("Add", "again", ["r6", "gate"])],
            "Add with the constant 3.0 (arithmetic on a number) (plus3), Multiply with the constant",
        ),
        ([keras3_layer("ReLU", "r", ["image"], max_value=4.0)], "ReLU(max_value=4.0, negative_slope=0, threshold=0) (r)"),
        ([keras3_layer("ReLU", "r", ["image"], threshold=1.0)], "ReLU(max_value=None"),
        ([keras3_layer("Activation", "a", ["image"], activation="hard_sigmoid")], "activation 'hard_sigmoid' (a)"),
        ([keras3_layer("Conv2D", "c", ["image"], filters=2, kernel_size=1, activation="exponential")], "activation 'exponential' (c)"),
        ([keras3_layer("LayerNormalization", "ln", ["image"], [8, 8, 4], axis=[1, 2, 3])], "LayerNormalization(axis=[1, 2, 3]"),
        ([keras3_layer("LayerNormalization", "ln", ["image"], [8, 8, 4], center=False)], "LayerNormalization("),
        (
            [keras3_layer("RandomFlip", f"r{i}", ["image" if i == 0 else f"r{i - 1}"]) for i in range(5)],
            "unsupported Keras layer(s): RandomFlip ×5 (r0, r1, r2, …)",
        ),
    ],
    ids=["constant add", "shared relu6", "relu max 4", "relu threshold", "keras hard_sigmoid", "conv exponential",
         "layer norm over all", "layer norm beta only", "grouped"],
)  # fmt: skip
def test_keras3_layers_without_an_exact_kind_are_refused_by_name(tmp_path, layers, refused):
    with pytest.raises(cnncalc.SpecError) as caught:
        load_document(tmp_path, keras3_model(*layers))
    assert refused in caught.value.message


def test_keras3_relu_activations_and_layer_norm_map_to_exact_kinds(tmp_path):
    net = load_document(tmp_path, keras3_model(
        keras3_layer("ReLU", "r6", ["image"], max_value=6.0, negative_slope=0.0, threshold=0.0),
        keras3_layer("ReLU", "leak", ["r6"], negative_slope=0.1),
        keras3_layer("Activation", "hs", ["leak"], activation="hard_silu"),
        keras3_layer("Activation", "lin", ["hs"], activation="linear"),
        keras3_layer("LayerNormalization", "ln", ["lin"], [8, 8, 4], axis=[-1], epsilon=1e-6),
        keras3_layer("GlobalAveragePooling2D", "gap", ["ln"]),
        keras3_layer("Dense", "d", ["gap"], [4], units=3, activation="swish"),
    ))  # fmt: skip
    records = net.summary().layers
    kinds = ["input", "relu6", "leaky_relu", "hard_swish", "identity", "layer_norm", "global_avg_pool", "dense", "silu"]
    assert [r.kind for r in records] == kinds
    assert records[5].trainable_params == 2 * 4  # γ and β per channel, as Keras counts LayerNormalization
    assert net.summary().totals.params == 2 * 4 + (4 * 3 + 3)


def test_keras3_nested_sequential_is_read_in_line(tmp_path):
    # ConvNeXt's stem: a Sequential of a conv and a layer norm, called on the input inside the functional model
    stem = {"class_name": "Sequential", "name": "stem", "config": {"name": "stem", "layers": [
        {"class_name": "InputLayer", "config": {"name": "inner_in", "batch_shape": [None, 8, 8, 4]}},
        {"class_name": "Conv2D", "config": {"name": "stem_conv", "filters": 6, "kernel_size": [2, 2], "strides": [2, 2]}},
        {"class_name": "LayerNormalization", "config": {"name": "stem_ln", "axis": [-1], "epsilon": 1e-6}},
    ]}, "inbound_nodes": [{"args": [keras3_tensor("image")], "kwargs": {}}]}  # fmt: skip
    net = load_document(tmp_path, keras3_model(stem, keras3_layer("GlobalAveragePooling2D", "gap", ["stem"])))
    assert net.shape("stem_ln") == (4, 4, 6) and net.shape("gap") == (6,)
    assert net.summary().totals.params == (4 * 6 * 4 + 6) + 2 * 6  # conv 2×2×4→6 with bias; γ, β


def test_keras3_input_of_any_size_takes_input_from_the_command_line(tmp_path, run_cli):
    # MobileNetV3 leaves H and W open (batch_shape [null, null, null, 3]): --input fills them in
    document = keras3_model(keras3_layer("Conv2D", "c", ["image"], filters=2, kernel_size=3), size=[None, None, 3])
    path = tmp_path / "any_size.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run_cli("summary", str(path))
    assert code == 2 and "has input sizes that are not fixed" in err and "--input" in err
    code, out, err = run_cli("summary", str(path), "--input", "10x12x3", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["outputs"] == [[8, 10, 2]]  # 3×3 valid conv: 10 → 8, 12 → 10


# -- mutations of valid Keras 3 documents: a SpecError or a network, never another exception --
def mobilenet_v3_like() -> dict:
    """The Keras 3 patterns the applications use: nested Sequential, hard sigmoid chain, ReLU(6), concat, LN."""
    stem = {"class_name": "Sequential", "name": "stem", "config": {"name": "stem", "layers": [
        {"class_name": "Conv2D", "config": {"name": "stem_conv", "filters": 4, "kernel_size": [1, 1]}},
    ]}, "inbound_nodes": [{"args": [keras3_tensor("image")], "kwargs": {}}]}  # fmt: skip
    return keras3_model(
        stem,
        keras3_layer("Add", "plus3", ["stem", 3.0]),
        keras3_layer("ReLU", "r6", ["plus3"], max_value=6.0),
        keras3_layer("Multiply", "gate", ["r6", 1 / 6]),
        keras3_layer("Concatenate", "cat", [["stem", "gate"]], axis=3),
        keras3_layer("LayerNormalization", "ln", ["cat"], [8, 8, 8], axis=[-1]),
        keras3_layer("GlobalAveragePooling2D", "gap", ["ln"]),
        keras3_layer("Dense", "out", ["gap"], [8], units=3, activation="softmax"),
    )


def json_paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every key and item path inside a JSON document (the document itself excluded)."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [path for key, child in children for path in [(*prefix, key), *json_paths(child, (*prefix, key))]]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 300) | st.floats(allow_nan=True) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_keras3_documents_load_or_raise_spec_error(tmp_path_factory, data):
    document = mobilenet_v3_like()
    paths = json_paths(document)
    mutated = edited(document, data.draw(st.sampled_from(paths)), data.draw(st.just(DELETE) | JSON_VALUES))
    path = tmp_path_factory.mktemp("fuzz") / "model.json"
    path.write_text(json.dumps(mutated), encoding="utf-8")
    with contextlib.suppress(cnncalc.SpecError):
        cnncalc.load(path).summary()


def test_the_fuzzed_document_is_valid(tmp_path):
    """The base of the mutations loads, with the hard sigmoid fused, so the mutations start from a working model."""
    net = load_document(tmp_path, mobilenet_v3_like())
    assert net.shape("cat") == (8, 8, 8) and net.summary().totals.params == (4 * 4 + 4) + 2 * 8 + (8 * 3 + 3)


def test_keras_dense_on_a_feature_map_is_per_position_not_flattened(tmp_path):
    # Keras applies Dense to the last axis at every position. tf.keras 2 writes no input shapes per layer,
    # so the reader follows the rank from the declared input; Keras 3 also writes it in build_config.
    # Dense(3) on the pooled 3×3×4 has 4·3 + 3 = 15 parameters and gives 3×3×3, never 3·3·4·3 + 3 = 111.
    keras2 = edited(S, (*SL, 2), {"class_name": "Activation", "config": {"name": "act", "activation": "relu"}})
    keras3 = keras3_model(
        keras3_layer("LayerScale", "ls", ["image"], [8, 8, 4], init_values=1e-6, projection_dim=4),
        keras3_layer("Dense", "d", ["ls"], [8, 8, 4], units=3, activation="gelu"),
    )
    net = load_document(tmp_path, keras2)
    assert net.shape("d") == (3, 3, 3) and net.summary().totals.params == (9 * 4 + 4) + (4 * 3 + 3)
    net = load_document(tmp_path, keras3)
    assert net.shape("d") == (8, 8, 3) and net.summary().totals.params == 4 + (4 * 3 + 3)  # γ per channel; 4→3
    reshaped = edited(S, (*SL, 2), {"class_name": "Reshape", "config": {"name": "r", "target_shape": [36]}})
    assert load_document(tmp_path, reshaped).summary().totals.params == (9 * 4 + 4) + (36 * 3 + 3)  # 3·3·4 = 36
