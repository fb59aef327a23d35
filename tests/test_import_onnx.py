"""ONNX import: models built in the test with onnx.helper; shapes agree with onnx.shape_inference and
parameter counts with the model's initializers."""

from __future__ import annotations

import numpy as np
import pytest

import cnncalc

onnx = pytest.importorskip("onnx")
helper, TensorProto = onnx.helper, onnx.TensorProto


def tensor(name: str, *shape: int):
    return onnx.numpy_helper.from_array(np.random.default_rng(0).standard_normal(shape).astype(np.float32), name)


def small_model():
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node(
            "Conv", ["p1", "w2"], ["c2"], name="conv2", kernel_shape=[3, 3], pads=[0, 1, 2, 1], strides=[1, 1], group=2
        ),
        helper.make_node("BatchNormalization", ["c2", "s", "bb", "m", "v"], ["n2"], name="bn2", epsilon=1e-3),
        helper.make_node("Add", ["n2", "p1"], ["a"], name="residual"),
        helper.make_node("Conv", ["a", "w3"], ["c3"], name="proj", kernel_shape=[1, 1]),
        helper.make_node("Concat", ["a", "c3"], ["cat"], name="cat", axis=1),
        helper.make_node(
            "AveragePool",
            ["cat"],
            ["ap"],
            name="avg",
            kernel_shape=[3, 3],
            strides=[2, 2],
            pads=[1, 1, 1, 1],
            ceil_mode=1,
        ),
        helper.make_node("ConvTranspose", ["ap", "wt"], ["up"], name="deconv", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["up"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flat", axis=1),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    inits = [
        tensor("w1", 8, 3, 3, 3), tensor("b1", 8), tensor("w2", 8, 4, 3, 3), tensor("s", 8), tensor("bb", 8),
        tensor("m", 8), tensor("v", 8), tensor("w3", 4, 8, 1, 1), tensor("wt", 12, 6, 2, 2),
        tensor("wf", 10, 6), tensor("bf", 10),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes, "small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


def test_shapes_agree_with_shape_inference_and_counts_with_initializers(tmp_path):
    model = small_model()
    path = tmp_path / "small.onnx"
    onnx.save(model, str(path))
    net = cnncalc.load(path)
    inferred = onnx.shape_inference.infer_shapes(model)
    dims = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim][1:] for v in inferred.graph.value_info}
    dims["y"] = [10]
    outputs = {node.name: node.output[0] for node in model.graph.node}
    for layer, tensor_name in outputs.items():
        shape = net.shape(layer)
        channels_first = [shape[-1], *shape[:-1]] if len(shape) > 1 else list(shape)
        assert channels_first == dims[tensor_name], layer
    assert net.summary().totals.params == sum(t.size for t in map(onnx.numpy_helper.to_array, model.graph.initializer))
    assert net.summary().totals.non_trainable_params == 16  # BN mean and variance


def test_unsupported_operators_are_listed(tmp_path, run_cli):
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("TopK", ["r", "k"], ["t", "i"], name="topk"),
        helper.make_node("Einsum", ["t"], ["y"], name="ein", equation="ij->ij"),
    ]
    graph = helper.make_graph(
        nodes, "bad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
        [onnx.numpy_helper.from_array(np.array([2], dtype=np.int64), "k")],
    )  # fmt: skip
    path = tmp_path / "bad.onnx"
    onnx.save(helper.make_model(graph), str(path))
    code, _, err = run_cli("summary", str(path))
    assert code == 2 and "unsupported ONNX operator(s): TopK (topk), Einsum (ein)" in err


def test_damaged_file_is_a_clear_error(tmp_path, run_cli):
    path = tmp_path / "broken.onnx"
    path.write_bytes(b"not a protobuf at all")
    code, _, err = run_cli("summary", str(path))
    assert code == 2 and "broken.onnx: not a readable ONNX model" in err
