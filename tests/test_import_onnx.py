"""ONNX import: models built in the test with onnx.helper; shapes agree with onnx.shape_inference and
parameter counts with the model's initializers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

import cnncalc
from cnncalc.limits import Limits

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


# -- reading: bounded, regular files only, never external data ------------------------------
OPENED: list[str] = []  # every path the process opens while a test below records them
RECORDING = {"on": False}


def _record_opens(event: str, args: tuple) -> None:
    if RECORDING["on"] and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_record_opens)  # audit hooks cannot be removed: it records only while RECORDING is on


def opened_during(action) -> tuple[list[str], cnncalc.SpecError | None]:
    """The paths opened while `action` runs, and the SpecError it raised (if any)."""
    OPENED.clear()
    RECORDING["on"] = True
    try:
        action()
    except cnncalc.SpecError as error:
        return list(OPENED), error
    finally:
        RECORDING["on"] = False
    return list(OPENED), None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_model_is_refused_at_once(tmp_path, run_cli):
    path = tmp_path / "pipe.onnx"
    os.mkfifo(path)
    code, _, err = run_cli("summary", str(path))
    assert code == 2 and "pipe.onnx is not a regular file (a FIFO)" in err


def test_a_model_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "small.onnx"
    onnx.save(small_model(), str(path))
    size = path.stat().st_size
    with pytest.raises(cnncalc.SpecError, match=f"is {size} bytes, over the limit of {size - 1}"):
        cnncalc.load(path, limits=Limits(max_model_bytes=size - 1))
    assert cnncalc.load(path, limits=Limits(max_model_bytes=size)).summary().totals.params > 0


def external(tensor, location: str):
    """The tensor with its data moved to `location` (what onnx.save(..., save_as_external_data=True) writes)."""
    for field in ("raw_data", "float_data", "int64_data", "external_data"):
        tensor.ClearField(field)
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", "64")):
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return tensor


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs /etc/passwd as the file an attacker points at")
def test_external_weights_are_never_opened_even_through_a_symlink(tmp_path):
    model = small_model()
    for tensor in model.graph.initializer:
        external(tensor, "weights.bin")
    (tmp_path / "weights.bin").symlink_to("/etc/passwd")
    path = tmp_path / "small.onnx"
    path.write_bytes(model.SerializeToString())
    # Conv 3→8 k3 (216+8), conv 4→8 k3 groups 2 (288), BN 4×8, conv 8→4 k1 (32), deconv 12→6 k2 (12·6·4 = 288),
    # Gemm 6→10 (60+10): 224 + 288 + 32 + 32 + 288 + 70
    params = {}
    opened, error = opened_during(lambda: params.setdefault("n", cnncalc.load(path).summary().totals.params))
    assert error is None and params["n"] == 224 + 288 + 32 + 32 + 288 + 70
    assert opened == [str(path)]


def test_a_value_cnncalc_needs_from_external_data_is_refused(tmp_path):
    shape = external(onnx.numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "shape"), "shape.bin")
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["y"], name="flat")]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 32])], [shape],
    )  # fmt: skip
    path = tmp_path / "reshape.onnx"
    path.write_bytes(helper.make_model(graph).SerializeToString())
    (tmp_path / "shape.bin").write_bytes(np.array([1, -1], dtype=np.int64).tobytes())
    opened, error = opened_during(lambda: cnncalc.load(path))
    assert "layer 'flat'" in str(error)
    assert "target shape 'shape' is stored in an external file, which cnncalc does not open" in str(error)
    assert opened == [str(path)]
