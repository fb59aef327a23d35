"""nn.LayerNorm exported before opset 17, where ONNX has no LayerNormalization: torch writes it as
ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add. cnncalc recognises exactly that chain as one
layer norm; any variant stays refused, by operator name, with a hint to export at opset 17."""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest

import cnncalc
from cnncalc.errors import SpecError

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
nn = torch.nn
helper = onnx.helper

# conv 3→8, k=3: 8·3·3·3 + 8 = 224; layer norm over 8 channels: γ and β, 16; dense 8→10: 80 + 10 = 90
HAND_COUNT = 224 + 16 + 90


class ConvNeXtStyle(nn.Module):
    """A layer norm over channels the way ConvNeXt writes it: permute to N×H×W×C, normalise, permute back."""

    def __init__(self, affine: bool = True) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.norm = nn.LayerNorm(8, eps=1e-6, elementwise_affine=affine)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.norm(self.conv(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        return self.fc(x.mean((2, 3)))


def exported(module, path, opset: int):
    quiet = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        warnings.simplefilter("ignore")
        torch.onnx.export(module.eval(), (torch.randn(1, 3, 16, 16),), str(path), dynamo=False, opset_version=opset)
    return path


@pytest.mark.parametrize("opset", [13, 16, 17])
def test_layer_norm_is_one_layer_at_every_opset(tmp_path, opset):
    module = ConvNeXtStyle()
    assert sum(p.numel() for p in module.parameters()) == HAND_COUNT
    written = [n.op_type for n in onnx.load(str(exported(module, tmp_path / "m.onnx", opset))).graph.node]
    assert ("Pow" in written) == (opset < 17)  # the test exercises the written-out form where it exists
    summary = cnncalc.load(tmp_path / "m.onnx").summary()
    norms = [r for r in summary.layers if r.kind == "layer_norm"]
    assert [(r.params, r.output_shape) for r in norms] == [(16, (14, 14, 8))]
    assert summary.totals.trainable_params == HAND_COUNT
    assert summary.output_shapes == ((10,),)


def test_layer_norm_without_affine_is_refused_with_the_opset_hint(tmp_path):
    """Without γ and β the chain ends at Div: not the recognised pattern, so its operators are named."""
    exported(ConvNeXtStyle(affine=False), tmp_path / "m.onnx", 16)
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx")
    assert "Pow" in caught.value.message and "Sqrt" in caught.value.message
    assert "opset_version=17" in (caught.value.hint or "")


def _written_out(exponent: float, extra_reader: bool = False):
    """The nine-node chain over N×4 (channels last for a rank-2 tensor), built by hand; `exponent` 2 is
    a layer norm, anything else is not. `extra_reader`: the centred values are also a graph output."""
    c = lambda name, value: helper.make_node(  # noqa: E731
        "Constant", [], [name], value=helper.make_tensor(name, onnx.TensorProto.FLOAT, [], [value])
    )
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["m"], axes=[-1]),
        helper.make_node("Sub", ["x", "m"], ["d"]),
        c("two", exponent),
        helper.make_node("Pow", ["d", "two"], ["p"]),
        helper.make_node("ReduceMean", ["p"], ["v"], axes=[-1]),
        c("eps", 1e-5),
        helper.make_node("Add", ["v", "eps"], ["ve"]),
        helper.make_node("Sqrt", ["ve"], ["s"]),
        helper.make_node("Div", ["d", "s"], ["n"]),
        helper.make_node("Mul", ["n", "gamma"], ["g"]),
        helper.make_node("Add", ["g", "beta"], ["y"]),
    ]
    initializers = [helper.make_tensor(n, onnx.TensorProto.FLOAT, [4], [1.0] * 4) for n in ("gamma", "beta")]
    outputs = [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 4])]
    if extra_reader:
        outputs.append(helper.make_tensor_value_info("d", onnx.TensorProto.FLOAT, [1, 4]))
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4])], outputs, initializers
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def test_hand_built_chain_is_a_layer_norm(tmp_path):
    onnx.save(_written_out(2.0), str(tmp_path / "m.onnx"))
    summary = cnncalc.load(tmp_path / "m.onnx").summary()
    assert [(r.kind, r.params) for r in summary.layers[1:]] == [("layer_norm", 8)]  # γ and β: 4 + 4


@pytest.mark.parametrize(("exponent", "extra_reader"), [(3.0, False), (2.0, True)])
def test_a_variant_of_the_chain_is_refused_by_name(tmp_path, exponent, extra_reader):
    """x³ is no variance; a centred value read elsewhere would be lost by fusing: both stay refused."""
    onnx.save(_written_out(exponent, extra_reader), str(tmp_path / "m.onnx"))
    with pytest.raises(SpecError) as caught:
        cnncalc.load(tmp_path / "m.onnx")
    assert "Pow (" in caught.value.message
    assert "opset_version=17" in (caught.value.hint or "")
