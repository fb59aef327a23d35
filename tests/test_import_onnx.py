"""ONNX import: models built in the test with onnx.helper; shapes agree with onnx.shape_inference and
parameter counts with the model's initializers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from tests_support import assert_one_message

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


# -- malformed graphs: one message naming the file and the node, exit 2, never a traceback ----
def value_info(name: str, *dims: int | str, elem: int = TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, list(dims))


def ints(name: str, *values: int):
    return onnx.numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def model_of(nodes, inits=(), inputs=None, outputs=None):
    """A model reading x (1×3×8×8) and writing the outputs named, default y; never checked by onnx."""
    inputs = [value_info("x", 1, 3, 8, 8)] if inputs is None else inputs
    outputs = [value_info("y", 1, 4)] if outputs is None else outputs
    return helper.make_model(helper.make_graph(nodes, "g", inputs, outputs, list(inits)))


def conv(*, name="conv1", inputs=("x", "w"), output="y", **attrs):
    return helper.make_node("Conv", list(inputs), [output], name=name, **attrs)


def dims_only(name: str, *dims: int):
    """A float initializer with these dims and no data (cnncalc reads nothing but the dims)."""
    tensor = onnx.TensorProto()
    tensor.name, tensor.data_type = name, TensorProto.FLOAT
    tensor.dims.extend(dims)
    return tensor


def raw_attribute(name: str, type_code: int):
    attribute = onnx.AttributeProto()
    attribute.name, attribute.type, attribute.i = name, type_code, 1
    return attribute


def with_attribute(node, attribute):
    node.attribute.append(attribute)
    return node


def reshape_to(shape_tensor):
    return model_of([helper.make_node("Reshape", ["x", "s"], ["y"], name="flat")], [shape_tensor])


def bad_raw_shape():
    tensor = ints("s", 1, -1)
    tensor.raw_data = tensor.raw_data[:-3]
    return tensor


def string_tensor():
    tensor = onnx.TensorProto()
    tensor.name, tensor.data_type = "s", TensorProto.STRING
    tensor.dims.append(2)
    tensor.string_data.extend([b"1", b"-1"])
    return tensor


W = tensor("w", 4, 3, 3, 3)
MALFORMED_ONNX = {
    "conv weight not an initializer": (model_of([conv()]), "layer 'conv1'", "reads 'w', which is neither"),
    "weight of rank 2": (model_of([conv()], [tensor("w", 4, 3)]), "layer 'conv1'", "but at least 3 axes are expected"),
    "negative weight dim": (
        model_of([conv()], [dims_only("w", 4, -3, 3, 3)]),
        "layer 'conv1'", "every size must be positive",
    ),
    "pool without kernel_shape": (
        model_of([helper.make_node("MaxPool", ["x"], ["y"], name="pool")]), "layer 'pool'",
        "the attribute 'kernel_shape' is missing",
    ),
    "lrn without size": (model_of([helper.make_node("LRN", ["x"], ["y"], name="norm")]), "layer 'norm'", "'size' is missing"),
    "concat without axis": (
        model_of([helper.make_node("Concat", ["x", "x"], ["y"], name="cat")]), "layer 'cat'", "'axis' is missing"
    ),
    "kernel_shape of floats": (
        model_of([conv(kernel_shape=[3.0, 3.0])], [W]), "layer 'conv1'", "'kernel_shape' must be a list of integers"
    ),
    "transB as a string": (
        model_of([helper.make_node("Gemm", ["x", "wf"], ["y"], name="fc", transB="yes")], [tensor("wf", 4, 192)]),
        "layer 'fc'", "'transB' must be an integer",
    ),
    "epsilon as ints": (
        model_of([helper.make_node("BatchNormalization", ["x", "a", "b", "c", "d"], ["y"], name="bn", epsilon=[1])],
                 [tensor(n, 3) for n in "abcd"]),
        "layer 'bn'", "'epsilon' must be a number",
    ),
    "attribute of undefined type": (
        model_of([with_attribute(conv(), raw_attribute("group", 0))], [W]), "layer 'conv1'", "'group' must be an integer"
    ),
    "attribute given twice": (
        model_of([with_attribute(conv(group=1), raw_attribute("group", 2))], [W]), "layer 'conv1'", "'group' is given twice"
    ),
    "batch norm statistics missing": (
        model_of([helper.make_node("BatchNormalization", ["x", "a"], ["y"], name="bn")], [tensor("a", 3)]),
        "layer 'bn'", "its weight (input 2) is missing",
    ),
    "unknown graph output": (
        model_of([conv()], [W], outputs=[value_info("nothere", 1, 4)]), "", "the graph output 'nothere' is computed by no node"
    ),
    "unknown node input": (
        model_of([helper.make_node("Add", ["x", "ghost"], ["y"], name="sum")]), "layer 'sum'", "reads 'ghost'"
    ),
    "cycle": (
        model_of([helper.make_node("Add", ["x", "b"], ["a"], name="first"), helper.make_node("Relu", ["a"], ["b"], name="second")]),
        "layer 'first'", "the graph may have a cycle",
    ),
    "empty graph": (model_of([]), "", "the ONNX graph has no nodes"),
    "no graph output": (model_of([conv()], [W], outputs=[]), "", "declares no output"),
    "duplicate node names": (
        model_of([conv(output="c"), helper.make_node("Relu", ["c"], ["y"], name="conv1")], [W]),
        "layer 'conv1'", "another node has the same name",
    ),
    "two nodes write one tensor": (
        model_of([conv(), helper.make_node("Relu", ["y"], ["y"], name="again")], [W]), "layer 'again'",
        "its output 'y' is also computed by 'conv1'",
    ),
    "node without output": (
        model_of([helper.make_node("Relu", ["x"], [], name="nowhere")]), "layer 'nowhere'", "it has no output"
    ),
    "two initializers one name": (model_of([conv()], [W, W]), "", "two initializers named 'w'"),
    "two graph inputs": (
        model_of([conv()], [W], inputs=[value_info("x", 1, 3, 8, 8), value_info("z", 1, 3, 8, 8)]), "",
        "expected one graph input, found 2: 'x', 'z'",
    ),
    "graph input not a tensor": (
        model_of([conv()], [W], inputs=[helper.make_value_info("x", helper.make_sequence_type_proto(
            helper.make_tensor_type_proto(TensorProto.FLOAT, [1])))]),
        "", "the graph input 'x' is not a named tensor",
    ),
    "pads of the wrong length": (model_of([conv(pads=[1, 1, 1])], [W]), "layer 'conv1'", "'pads' has 3 values; 2 axes need 4"),
    "strides of the wrong length": (model_of([conv(strides=[1])], [W]), "layer 'conv1'", "'strides' has 1 values"),
    "unknown auto_pad": (model_of([conv(auto_pad="MIDDLE")], [W]), "layer 'conv1'", "auto_pad 'MIDDLE' is not"),
    "kernel_shape against the weight": (model_of([conv(kernel_shape=[5, 5])], [W]), "layer 'conv1'", "disagrees with its weight's [3, 3]"),
    "group 0": (model_of([conv(group=0)], [W]), "layer 'conv1'", "group=0"),
    "reshape target of strings": (reshape_to(string_tensor()), "layer 'flat'", "has ONNX data type 8"),
    "reshape target of floats": (
        reshape_to(onnx.numpy_helper.from_array(np.array([1.0, -1.0], dtype=np.float32), "s")), "layer 'flat'",
        "must be integers",
    ),
    "reshape raw data cut short": (reshape_to(bad_raw_shape()), "layer 'flat'", "holds 13 bytes for 2 values"),
    "reshape target of zeros": (reshape_to(ints("s", 1, 0)), "layer 'flat'", "target shape [1, 0]"),
    "resize by 1.5": (
        model_of([helper.make_node("Resize", ["x", "", "sc"], ["y"], name="up")],
                 [onnx.numpy_helper.from_array(np.array([1, 1, 1.5, 1.5], dtype=np.float32), "sc")]),
        "layer 'up'", "cnncalc scales by whole numbers",
    ),
    "pad on channels": (
        model_of([helper.make_node("Pad", ["x", "p"], ["y"], name="pad")], [ints("p", 0, 1, 1, 1, 0, 0, 1, 1)]),
        "layer 'pad'", "pad the batch or channel axis",
    ),
    "flatten axis 2": (model_of([helper.make_node("Flatten", ["x"], ["y"], name="flat", axis=2)]), "layer 'flat'", "axis=2"),
    "gemm on a transposed input": (
        model_of([helper.make_node("Gemm", ["x", "wf"], ["y"], name="fc", transA=1)], [tensor("wf", 192, 4)]),
        "layer 'fc'", "transA=1",
    ),
    "transposed conv with output_shape": (
        model_of([helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", output_shape=[16, 16])], [tensor("w", 3, 4, 2, 2)]),
        "layer 'up'", "'output_shape' is set",
    ),
    "conv from another domain": (
        model_of([helper.make_node("Conv", ["x", "w"], ["y"], name="qconv", domain="com.example")], [W]), "",
        "unsupported ONNX operator(s): com.example.Conv (qconv)",
    ),
    "conv weight for 4 channels on 3": (
        model_of([conv()], [tensor("w", 4, 4, 3, 3)]), "layer 'conv1'",
        "its weight 'w' of shape [4, 4, 3, 3] is for 4 input channels, but the layer receives 8×8×3",
    ),
    "grouped conv weight for 6 channels on 3": (
        model_of([conv(group=2)], [tensor("w", 4, 3, 3, 3)], inputs=[value_info("x", 1, 4, 8, 8)]), "layer 'conv1'",
        "is for 6 input channels, but the layer receives 8×8×4",
    ),
    "matmul on a volume": (  # a dense layer on every position's last axis: never imported as dense over all values
        model_of([helper.make_node("MatMul", ["x", "wm"], ["y"], name="mm")], [tensor("wm", 8, 4)]), "",
        "MatMul on the last axis of a 4-axis tensor whose channels are on axis 1 (mm)",
    ),
    "gemm for 100 features on 192": (
        model_of([helper.make_node("Flatten", ["x"], ["f"], name="flat"),
                  helper.make_node("Gemm", ["f", "wf"], ["y"], name="fc", transB=1)], [tensor("wf", 4, 100)]),
        "layer 'fc'", "is for 100 input values, but the layer receives 192",
    ),
    "batch norm statistics of two lengths": (
        model_of([helper.make_node("BatchNormalization", ["x", "a", "b", "c", "d"], ["y"], name="bn")],
                 [tensor("a", 3), tensor("b", 3), tensor("c", 4), tensor("d", 3)]),
        "layer 'bn'", "different lengths [3, 4]",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED_ONNX), ids=str)
def test_malformed_onnx_is_one_message_naming_the_file_and_node(tmp_path, run_cli, case):
    model, layer, fragment = MALFORMED_ONNX[case]
    path = tmp_path / "bad.onnx"
    path.write_bytes(model.SerializeToString())
    assert_one_message(run_cli, path, layer, fragment)


def test_a_dynamic_input_size_is_taken_from_input(tmp_path):
    model = model_of([conv(pads=[1, 1, 1, 1])], [W], inputs=[value_info("x", "N", 3, "H", "W")])
    path = tmp_path / "dynamic.onnx"
    path.write_bytes(model.SerializeToString())
    with pytest.raises(cnncalc.SpecError, match=r"the input 'x' needs fixed sizes.*\n  hint: pass --input"):
        cnncalc.load(path)
    assert cnncalc.load(path, input="10x12x3").shape("conv1") == (10, 12, 4)  # 3×3 kernel, padding 1: same size


def test_max_pool_dilations_are_kept(tmp_path):
    pool = helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], dilations=[3, 3])
    path = tmp_path / "pool.onnx"
    path.write_bytes(model_of([pool]).SerializeToString())
    assert cnncalc.load(path).shape("pool") == (5, 5, 3)  # span 3·(2−1)+1 = 4, stride 1 (ONNX default): 8 − 4 + 1
