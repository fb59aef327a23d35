"""ONNX operators met exporting torchvision's classifiers that map to a cnncalc kind, each on a small
graph: built with onnx.helper (the expected numbers by hand) or exported from a module defined here
(torch's numel). Bounds or patterns cnncalc cannot represent are refused by name."""

from __future__ import annotations

import pytest

import cnncalc
from cnncalc.errors import SpecError

onnx = pytest.importorskip("onnx")
helper = onnx.helper
FLOAT, INT64 = onnx.TensorProto.FLOAT, onnx.TensorProto.INT64


def _clip_model(low: float | None, high: float | None, opset: int):
    """x (1×4) → Clip → Gemm 4→3. From opset 11 the bounds are Constant inputs, before it attributes."""
    nodes, inputs, attributes = [], ["x"], {}
    if opset >= 11:
        for name, bound in (("low", low), ("high", high)):
            if bound is not None:
                nodes.append(
                    helper.make_node("Constant", [], [name], value=helper.make_tensor(name, FLOAT, [], [bound]))
                )
            inputs.append(name if bound is not None else "")
    else:
        attributes = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    nodes.append(helper.make_node("Clip", inputs, ["c"], **attributes))
    nodes.append(helper.make_node("Gemm", ["c", "w", "b"], ["y"], transB=1))
    weights = [helper.make_tensor("w", FLOAT, [3, 4], [0.0] * 12), helper.make_tensor("b", FLOAT, [3], [0.0] * 3)]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", FLOAT, [1, 3])], weights,
    )  # fmt: skip
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


@pytest.mark.parametrize("opset", [9, 13])
@pytest.mark.parametrize(("low", "high", "kind"), [(0.0, 6.0, "relu6"), (0.0, None, "relu")])
def test_clip_is_relu6_or_relu(tmp_path, opset, low, high, kind):
    onnx.save(_clip_model(low, high, opset), str(tmp_path / "m.onnx"))
    summary = cnncalc.load(tmp_path / "m.onnx").summary()
    assert [r.kind for r in summary.layers[1:]] == [kind, "dense"]
    assert summary.totals.trainable_params == 4 * 3 + 3


@pytest.mark.parametrize(("low", "high"), [(-1.0, 1.0), (0.0, 5.0), (None, 6.0)])
def test_other_clips_are_refused_by_name(tmp_path, low, high):
    onnx.save(_clip_model(low, high, 13), str(tmp_path / "m.onnx"))
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx")
    assert "Clip to [" in caught.value.message


def test_relu6_exported_by_torch_is_a_relu6(tmp_path):
    """MobileNetV2's ConvBNReLU6 as torch writes it (legacy exporter: Clip with Constant bounds)."""
    torch = pytest.importorskip("torch")
    nn = torch.nn
    module = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU6(), nn.Flatten(), nn.Linear(4 * 6 * 6, 5)).eval()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.randn(1, 3, 8, 8),), str(tmp_path / "m.onnx"), dynamo=False)
    summary = cnncalc.load(tmp_path / "m.onnx").summary()
    assert "relu6" in [r.kind for r in summary.layers]
    assert summary.totals.trainable_params == sum(p.numel() for p in module.parameters())


def test_a_product_of_two_activations_is_refused_as_attention(tmp_path):
    """Q·Kᵀ multiplies two computed tensors: no weight, so no dense layer; named in the one refusal."""
    nodes = [
        helper.make_node("Relu", ["x"], ["q"]),
        helper.make_node("Sigmoid", ["x"], ["k"]),
        helper.make_node("MatMul", ["q", "k"], ["y"], name="scores"),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", FLOAT, [1, 4, 4])],
        [helper.make_tensor_value_info("y", FLOAT, [1, 4, 4])],
    )  # fmt: skip
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(tmp_path / "m.onnx"))
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx")
    assert "MatMul of 2 computed tensors (attention" in caught.value.message and "(scores)" in caught.value.message
    assert "multiplies activations by activations (1 MatMul/Einsum nodes" in (caught.value.hint or "")


def test_a_layer_applied_to_constants_is_refused_by_name(tmp_path):
    """Swin V2's position-bias MLP multiplies a stored table by a weight: a weight computed in the graph,
    which cnncalc cannot count as a layer; refused, not an error that hides the rest."""
    nodes = [
        helper.make_node("MatMul", ["table", "w"], ["bias"], name="cpb_mlp"),
        helper.make_node("Add", ["x", "bias"], ["y"]),
    ]
    weights = [helper.make_tensor("table", FLOAT, [4, 2], [0.0] * 8), helper.make_tensor("w", FLOAT, [2, 4], [0.0] * 8)]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", FLOAT, [1, 4])], weights,
    )  # fmt: skip
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(tmp_path / "m.onnx"))
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx")
    assert "MatMul of constants only (a computed weight) (cpb_mlp)" in caught.value.message


def _as_strided_model(index_dims: list[int], pooled: bool = True):
    """x (1×4×2×2) → [GlobalAveragePool] → Reshape [-1] → Gather (indices shaped like its input) → Flatten →
    Gemm 4→3: how torch 2.14's dynamo exporter writes AdaptiveAvgPool2d(1)'s as_strided (ConvNeXt)."""
    count = 1
    for d in index_dims:
        count *= d
    nodes = [
        *(
            [helper.make_node("GlobalAveragePool", ["x"], ["p"])]
            if pooled
            else [helper.make_node("Relu", ["x"], ["p"])]
        ),
        helper.make_node("Reshape", ["p", "all"], ["flat"]),
        helper.make_node("Gather", ["flat", "idx"], ["g"], axis=0, name="as_strided"),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "w", "b"], ["y"], transB=1),
    ]
    weights = [
        helper.make_tensor("all", onnx.TensorProto.INT64, [1], [-1]),
        helper.make_tensor("idx", onnx.TensorProto.INT64, index_dims, list(range(count))),
        helper.make_tensor("w", FLOAT, [3, 4 if pooled else 16], [0.0] * (12 if pooled else 48)),
        helper.make_tensor("b", FLOAT, [3], [0.0] * 3),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", FLOAT, [1, 4, 2, 2])],
        [helper.make_tensor_value_info("y", FLOAT, [1, 3])], weights,
    )  # fmt: skip
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def test_as_strided_of_a_pooled_vector_is_the_vector(tmp_path):
    onnx.save(_as_strided_model([1, 4, 1, 1]), str(tmp_path / "m.onnx"))
    summary = cnncalc.load(tmp_path / "m.onnx").summary()
    assert [r.kind for r in summary.layers[1:]] == ["global_avg_pool", "flatten", "dense"]
    assert summary.totals.trainable_params == 4 * 3 + 3  # the dense layer reads the 4 pooled channels


@pytest.mark.parametrize(("index_dims", "pooled"), [([4], True), ([1, 4, 2, 2], False)])
def test_other_gathers_of_computed_values_are_refused_by_name(tmp_path, index_dims, pooled):
    """Indices of another shape, or over spatial positions: a real rearrangement, refused."""
    onnx.save(_as_strided_model(index_dims, pooled), str(tmp_path / "m.onnx"))
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx")
    assert "Gather of computed values" in caught.value.message


@pytest.mark.parametrize("opset", [11, 13])
@pytest.mark.parametrize("how", ["reshape", "unsqueeze-squeeze"])
def test_a_weight_reshaped_in_the_graph_keeps_its_size(tmp_path, how, opset):
    """A weight stored as 4×4×8 and reshaped to 16×8 (or unsqueezed to 1×16×8 and squeezed back) before
    a MatMul: a dense layer 16→8, 16·8 = 128 weights; the stored values are never read."""
    axes = {"axes": [0]} if opset < 13 else {}
    axes_input = ["zero"] if opset >= 13 else []
    if how == "reshape":
        stored = helper.make_tensor("w0", FLOAT, [4, 4, 8], [0.0] * 128)
        nodes = [helper.make_node("Reshape", ["w0", "target"], ["w"])]
    else:
        stored = helper.make_tensor("w0", FLOAT, [16, 8], [0.0] * 128)
        nodes = [
            helper.make_node("Unsqueeze", ["w0", *axes_input], ["w1"], **axes),
            helper.make_node("Squeeze", ["w1", *axes_input], ["w"], **axes),
        ]
    nodes.append(helper.make_node("MatMul", ["x", "w"], ["y"]))
    constants = [
        stored,
        helper.make_tensor("target", onnx.TensorProto.INT64, [2], [16, -1]),
        helper.make_tensor("zero", onnx.TensorProto.INT64, [1], [0]),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", FLOAT, [1, 16])],
        [helper.make_tensor_value_info("y", FLOAT, [1, 8])], constants,
    )  # fmt: skip
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)]), str(tmp_path / "m.onnx"))
    summary = cnncalc.load(tmp_path / "m.onnx").summary()
    assert [(r.kind, r.params, r.output_shape) for r in summary.layers[1:]] == [("dense", 128, (8,))]


def _chunk_nodes(source: str, prefix: str) -> list:
    """torch's x.chunk(2, dim=1) as the legacy exporter writes it without constant folding: the end of the
    first half is (C + 1) // 2, computed from Shape(x) → Gather(1) → Add(1) → Div(2) → Mul(1)."""
    p = prefix

    def const(name: str, value: int):
        return helper.make_node("Constant", [], [p + name], value=helper.make_tensor(p + name, INT64, [1], [value]))

    return [
        helper.make_node("Shape", [source], [p + "shape"]),
        const("one", 1), const("two", 2), const("zero", 0),
        helper.make_node("Gather", [p + "shape", p + "one"], [p + "c"], axis=0),
        helper.make_node("Add", [p + "c", p + "one"], [p + "c1"]),
        helper.make_node("Div", [p + "c1", p + "two"], [p + "half"]),
        helper.make_node("Mul", [p + "half", p + "one"], [p + "end"]),
        helper.make_node("Mul", [p + "half", p + "two"], [p + "end2"]),
        helper.make_node("Slice", [source, p + "zero", p + "end", p + "one"], [p + "a"], name=p + "first"),
        helper.make_node("Slice", [source, p + "end", p + "end2", p + "one"], [p + "b"], name=p + "second"),
    ]  # fmt: skip


def _chunked_model(input_dims: list):
    """x → ReLU → chunk → concat(a, 1×1 conv of b) → chunk again → the first half. The second chunk reads the
    shape of a concatenation of slices whose ends onnx's own shape inference does not evaluate (Div)."""
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        *_chunk_nodes("r", "k1_"),
        helper.make_node("Conv", ["k1_b", "w", "bias"], ["conv"], kernel_shape=[1, 1], name="conv"),
        helper.make_node("Concat", ["k1_a", "conv"], ["y"], axis=1, name="concat"),
        *_chunk_nodes("y", "k2_"),
    ]
    weights = [
        helper.make_tensor("w", FLOAT, [3, 3, 1, 1], [0.0] * 9),
        helper.make_tensor("bias", FLOAT, [3], [0.0] * 3),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", FLOAT, input_dims)],
        [helper.make_tensor_value_info("k2_a", FLOAT, None)], weights,
    )  # fmt: skip
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def test_slice_bounds_computed_from_shapes_are_evaluated(tmp_path):
    """6 channels: each chunk's halves are [0, (6 + 1) // 2 = 3) and [3, 6); the conv is 3·3 + 3 = 12 parameters."""
    onnx.save(_chunked_model(["n", 6, 4, 4]), str(tmp_path / "m.onnx"))
    net = cnncalc.load(tmp_path / "m.onnx")
    slices = [r for r in net.summary().layers if r.kind == "slice"]
    assert [net.shape(r.name) for r in slices] == [(4, 4, 3)] * 4
    assert net.summary().totals.trainable_params == 12
    assert net.shape(net.layer_names[-1]) == (4, 4, 3)


def test_slice_bounds_from_sizes_the_file_does_not_fix_are_refused_by_name(tmp_path):
    onnx.save(_chunked_model([1, "c", 4, 4]), str(tmp_path / "m.onnx"))
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx", input="4x4x6")
    assert "Slice whose bounds are computed from sizes the file does not fix ×2 (k1_first, k1_second)" in (
        caught.value.message
    )
