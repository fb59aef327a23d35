"""Committed ONNX files from torch.onnx.export, weights stripped (tests/onnx_fixtures.py writes them and
facts.json, torch's numbers for each): the importer is tested without torch. Their weight data is
marked as external in NAME.onnx.data, which does not exist: cnncalc reads dims only."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_onnx import opened_during
from tests_support import ROOT

import cnncalc

onnx = pytest.importorskip("onnx")
FOLDER = ROOT / "tests" / "fixtures" / "onnx"
FACTS = json.loads((FOLDER / "facts.json").read_text())
IMPORTED = sorted(name for name in FACTS if not name.startswith(("convnext", "shuffle")))  # see MODERN


@pytest.mark.parametrize("name", IMPORTED)
def test_fixture_counts_what_torch_and_the_graph_hold(name):
    path = FOLDER / f"{name}.onnx"
    net = cnncalc.load(path)
    opened, error = opened_during(lambda: cnncalc.load(path).summary())
    assert error is None and opened == [str(path)]  # the .onnx.data file is never looked for
    assert net.summary().totals.trainable_params == FACTS[name]["graph_params"]
    assert net.shape(net.layer_names[-1]) == tuple(FACTS[name]["output_shape"])


def test_the_facts_agree_with_hand_arithmetic():
    # BasicBlockNet: convs 3·8·9 + 2·(8·8·9) + 8·8 = 1432, four BNs 4·(8+8) = 64, fc 8·10 + 10 = 90
    assert FACTS["basic_legacy_dynamic_batch"]["torch_params"] == 1432 + 64 + 90
    # folded: the BNs' 64 are gone; each of the four convs holds a bias of 8
    assert FACTS["basic_legacy_folded"]["graph_params"] == 1432 + 4 * 8 + 90


@pytest.mark.parametrize(("name", "folded"), [("basic_legacy_folded", 4), ("mobilenetv3_dynamo", 1)])
def test_a_batch_norm_folded_by_the_exporter_is_said(name, folded):
    description = cnncalc.load(FOLDER / f"{name}.onnx").spec.description or ""
    assert f"folded batch normalization into {folded} convolution(s)" in description


def test_unfolded_exports_say_nothing_of_folding():
    assert cnncalc.load(FOLDER / "basic_legacy_dynamic_batch.onnx").spec.description is None


@pytest.mark.parametrize("output", ["table", "markdown", "json"])
def test_the_summary_says_the_exporter_folded_batch_norms(output, run_cli):
    """BasicBlockNet has four BNs (tests/onnx_torch_nets.py), each after a conv, all folded by the legacy
    exporter; the counts are the graph's (1554, not torch's 1586), and every format says why."""
    code, out, err = run_cli("summary", str(FOLDER / "basic_legacy_folded.onnx"), "--format", output)
    assert code == 0, err
    if output == "json":
        from test_json_docs import check_document

        check_document("cnncalc.summary/1", out)
        document = json.loads(out)
        assert (document["folded_batch_norms"], document["totals"]["trainable_params"]) == (4, 1554)
    else:
        assert "4 batch norms were folded into the convolutions by the exporter" in " ".join(out.split())


def test_the_summary_says_the_exporter_removed_zero_biases(run_cli):
    """MobileNetV3Block's conv→BN(16), folded by the dynamo exporter's optimiser: the untrained BN's shift
    is zero, so the folded conv's bias is all zeros and the optimiser removes it. torch's 1486 loses the
    BN's γ and β, 2·16, and gains no bias: 1454, as facts.json records from the graph."""
    assert FACTS["mobilenetv3_dynamo"]["torch_params"] - 2 * 16 == FACTS["mobilenetv3_dynamo"]["graph_params"]
    code, out, err = run_cli("summary", str(FOLDER / "mobilenetv3_dynamo.onnx"), "--format", "json")
    assert code == 0, err
    from test_json_docs import check_document

    check_document("cnncalc.summary/1", out)
    document = json.loads(out)
    assert (document["folded_batch_norms"], document["removed_zero_biases"]) == (1, 1)
    assert document["totals"]["trainable_params"] == 1454
    code, out, _ = run_cli("summary", str(FOLDER / "mobilenetv3_dynamo.onnx"), "--format", "markdown")
    assert "removed an all-zero bias from 1 layer" in " ".join(out.split())


def test_a_summary_without_folding_has_no_note(run_cli):
    code, out, _ = run_cli("summary", str(FOLDER / "basic_legacy_dynamic_batch.onnx"), "--format", "json")
    assert code == 0 and not {"folded_batch_norms", "removed_zero_biases"} & set(json.loads(out))
    code, out, _ = run_cli("summary", str(FOLDER / "basic_legacy_dynamic_batch.onnx"))
    assert code == 0 and "folded" not in out


MODERN = ("convnext_dynamo", "shuffle_legacy", "shuffle_dynamo_unoptimised")


@pytest.mark.parametrize("name", MODERN)
def test_modern_blocks_count_as_torch(name):
    """ConvNeXt and ShuffleNet blocks import through pointwise_linear, layer_scale, slice and channel_shuffle."""
    net = cnncalc.load(FOLDER / f"{name}.onnx")
    assert net.summary().totals.trainable_params == FACTS[name]["torch_params"]
    assert net.shape(net.layer_names[-1]) == tuple(FACTS[name]["output_shape"])


# -- fuzz: any mutation of an exported graph is imported or refused with one SpecError, never a traceback
OPS = ("Conv", "Relu", "Reshape", "Shape", "Gather", "Concat", "Unsqueeze", "Transpose", "ReduceMean", "Slice",
       "Split", "MatMul", "Gemm", "Identity", "Constant", "Expand", "Cast", "Add", "Div", "LayerNormalization",
       "HardSigmoid", "Flatten", "Squeeze", "BatchNormalization", "GlobalAveragePool", "Resize", "Frobnicate")  # fmt: skip
INTS = st.integers(min_value=-3, max_value=70)


def _mutate(model, data, kind: str) -> None:
    nodes, inits = model.graph.node, model.graph.initializer
    node = nodes[data.draw(st.integers(0, len(nodes) - 1))]
    if kind == "op":
        node.op_type = data.draw(st.sampled_from(OPS))
    elif kind == "drop node":
        nodes.remove(node)
    elif kind == "input":
        names = [i for n in nodes for i in (*n.input, *n.output)] + [t.name for t in inits] + ["", "x"]
        if node.input:
            node.input[data.draw(st.integers(0, len(node.input) - 1))] = data.draw(st.sampled_from(names))
    elif kind == "attribute" and node.attribute:
        attribute = node.attribute[data.draw(st.integers(0, len(node.attribute) - 1))]
        attribute.i = data.draw(INTS)
        if attribute.ints:
            attribute.ints[data.draw(st.integers(0, len(attribute.ints) - 1))] = data.draw(INTS)
    elif kind == "dims" and inits:
        tensor = inits[data.draw(st.integers(0, len(inits) - 1))]
        if tensor.dims:
            tensor.dims[data.draw(st.integers(0, len(tensor.dims) - 1))] = data.draw(INTS)
    elif kind == "drop initializer" and inits:
        inits.remove(inits[data.draw(st.integers(0, len(inits) - 1))])


@pytest.mark.parametrize("name", sorted(FACTS))
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_exports_are_imported_or_refused_cleanly(tmp_path, name, data):
    model = onnx.load(str(FOLDER / f"{name}.onnx"), load_external_data=False)
    kinds = ("op", "drop node", "input", "attribute", "dims", "drop initializer")
    for kind in data.draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3)):
        _mutate(model, data, kind)
    path = tmp_path / "mutated.onnx"
    path.write_bytes(model.SerializeToString())
    try:
        cnncalc.load(path).summary()
    except cnncalc.SpecError as error:
        assert "Traceback" not in str(error)


def test_an_empty_constant_in_shape_arithmetic_is_refused_not_a_crash(tmp_path):
    # the legacy exporter computes ShuffleNet's view sizes with Mul/Div of Shape outputs and Constants;
    # a constant emptied ([] broadcasts to []) once crashed the fold with "integer modulo by zero"
    model = onnx.load(str(FOLDER / "shuffle_legacy.onnx"), load_external_data=False)
    constants = {node.output[0]: node for node in model.graph.node if node.op_type == "Constant"}
    arithmetic = [node for node in model.graph.node if node.op_type in ("Mul", "Div")]
    emptied = [constants[name] for node in arithmetic for name in node.input if name in constants]
    assert emptied
    for constant in emptied:
        constant.attribute[0].t.CopyFrom(onnx.helper.make_tensor("empty", onnx.TensorProto.INT64, [0], []))
    path = tmp_path / "emptied.onnx"
    path.write_bytes(model.SerializeToString())
    with pytest.raises(cnncalc.SpecError) as refused:
        cnncalc.load(path).summary()
    assert "Traceback" not in str(refused.value)
