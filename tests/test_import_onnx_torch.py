"""ONNX files written by torch.onnx.export from modules defined here, which reproduce what torchvision's
classifiers do (torchvision itself cannot be installed beside torch 2.13): a ResNet basic block with one
ReLU module called three times and a flatten through x.view(x.size(0), -1), a MobileNetV3 block with
hard-swish and squeeze-excitation. Both exporters (legacy and dynamo, which needs onnxscript), eval and
training mode, with and without constant folding. Expected numbers come from torch (numel of the
module's parameters, the output's shape) and, where the exporter folds batch norm into a convolution,
from the graph's initializer dims."""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest

import cnncalc

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
nn = torch.nn

from onnx_torch_nets import (  # noqa: E402  (needs torch)
    BasicBlockNet,
    ConvNeXtBlock,
    MobileNetV3Block,
    ShuffleBlock,
    ShuffleStage,
)

MODES = {  # name: (training, constant folding)
    "eval": (False, True), "eval-unfolded": (False, False), "training": (True, True),
}  # fmt: skip
EXPORTERS = ("legacy", "dynamo")


def export(module, path, exporter: str, training: bool, folding: bool, **extra) -> None:
    if exporter == "dynamo":
        pytest.importorskip("onnxscript")
    module.train(training)
    options = {"do_constant_folding": folding, **extra}
    if exporter == "dynamo":
        options = {"optimize": folding, **extra}  # the dynamo exporter folds (and fuses) when it optimises
    else:
        mode = torch.onnx.TrainingMode.TRAINING if training else torch.onnx.TrainingMode.EVAL
        options["training"] = mode
    quiet = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.randn(1, 3, 32, 32),), str(path), dynamo=exporter == "dynamo", **options)


def weight_macs(module, x) -> int:
    """torchvision's weights-only MACs by forward hooks: each output value of a Conv2d costs
    in_channels/groups·k·k multiply-adds, of a Linear in_features."""
    total = [0]

    def count(layer, _inputs, output):
        per_value = layer.in_features if isinstance(layer, nn.Linear) else layer.weight[0].numel()
        total[0] += output.numel() * per_value

    handles = [m.register_forward_hook(count) for m in module.modules() if isinstance(m, nn.Conv2d | nn.Linear)]
    with torch.no_grad():
        module(x)
    for handle in handles:
        handle.remove()
    return total[0]


def initializer_of(graph, name: str):
    """The initializer a node input names, through the Identity nodes that export's deduplication writes."""
    aliases = {n.output[0]: n.input[0] for n in graph.node if n.op_type == "Identity"}
    while name in aliases:
        name = aliases[name]
    return next((t for t in graph.initializer if t.name == name), None)


def graph_parameters(module, model) -> int:
    """torch's count with batch norm as the graph holds it: when the exporter folded the BNs into the
    convolutions, their γ and β are gone and each conv's bias is the one the graph stores (if any)."""
    expected = sum(p.numel() for p in module.parameters())
    if any(n.op_type == "BatchNormalization" for n in model.graph.node):
        return expected
    bns = sum(p.numel() for m in module.modules() if isinstance(m, nn.BatchNorm2d) for p in m.parameters())
    biases = [
        initializer_of(model.graph, n.input[2]) for n in model.graph.node if n.op_type == "Conv" and len(n.input) > 2
    ]
    module_biases = sum(m.bias.numel() for m in module.modules() if isinstance(m, nn.Conv2d) and m.bias is not None)
    held = sum(int(torch.tensor(list(b.dims)).prod()) for b in biases if b is not None)
    return expected - bns - module_biases + held


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("exporter", EXPORTERS)
@pytest.mark.parametrize("make", [BasicBlockNet, MobileNetV3Block], ids=lambda m: m.__name__)
def test_exported_modules_equal_torch(tmp_path, make, exporter, mode):
    torch.manual_seed(0)
    module = make()
    path = tmp_path / "net.onnx"
    export(module, path, exporter, *MODES[mode])
    model = onnx.load(str(path), load_external_data=False)
    net = cnncalc.load(path)
    totals = net.summary().totals
    assert totals.trainable_params == graph_parameters(module, model)
    module.eval()
    assert net.shape(net.layer_names[-1]) == tuple(module(torch.randn(1, 3, 32, 32)).shape[1:])
    assert totals.macs == weight_macs(module, torch.randn(1, 3, 32, 32))


def test_unfolded_exports_count_exactly_torchs_parameters(tmp_path):
    module = BasicBlockNet()
    export(module, tmp_path / "net.onnx", "legacy", training=False, folding=False)
    # conv 3·8·9 = 216, conv 8·8·9 = 576 twice, 1×1 conv 64, four BNs 4·16, fc 8·10 + 10
    assert cnncalc.load(tmp_path / "net.onnx").summary().totals.trainable_params == 216 + 2 * 576 + 64 + 64 + 90


def test_external_weights_are_never_opened(tmp_path):
    """Weights in net.onnx.data: cnncalc reads their dims from the model file; the data file is removed."""
    module = MobileNetV3Block()
    path = tmp_path / "net.onnx"
    export(module, path, "dynamo", training=False, folding=True, external_data=True)
    data = [p for p in tmp_path.iterdir() if p.name != "net.onnx"]
    assert data, "the exporter kept the weights inside the model"
    for file in data:
        file.unlink()
    model = onnx.load(str(path), load_external_data=False)
    assert any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer)  # the large ones
    assert cnncalc.load(path).summary().totals.trainable_params == graph_parameters(module, model)


@pytest.mark.parametrize("make", [BasicBlockNet, ShuffleStage], ids=lambda m: m.__name__)
def test_a_dynamic_batch_keeps_the_shape_arithmetic_of_view(tmp_path, make):
    """dynamic_axes on the batch: x.view(x.size(0), -1) becomes Shape → Gather → Unsqueeze → Concat → Reshape;
    ShuffleNet's chunk ends at Shape → Gather → Add → Div → Mul, which onnx's own inference does not evaluate,
    and the shuffle's view reads the shape of that chunk's concatenation."""
    module = make()
    path = tmp_path / "net.onnx"
    export(module, path, "legacy", training=False, folding=False, input_names=["x"], dynamic_axes={"x": {0: "n"}})
    assert {"Shape", "Gather", "Unsqueeze", "Concat"} <= {n.op_type for n in onnx.load(str(path)).graph.node}
    net = cnncalc.load(path)
    assert net.summary().totals.trainable_params == sum(p.numel() for p in module.parameters())
    assert net.shape(net.layer_names[-1]) == (10,)


MODERN = {"convnext": ConvNeXtBlock, "shuffle": ShuffleBlock, "shuffle-stage": ShuffleStage}


@pytest.mark.parametrize("folding", [True, False], ids=["folded", "unfolded"])
@pytest.mark.parametrize("exporter", EXPORTERS)
@pytest.mark.parametrize("name", sorted(MODERN))
def test_modern_blocks_equal_torch(tmp_path, exporter, name, folding):
    """ConvNeXt's Linear on the last axis and layer scale, ShuffleNet's chunk and channel shuffle: imported
    as cnncalc's kinds for them (pointwise_linear, layer_scale, slice, channel_shuffle)."""
    module = MODERN[name]()
    path = tmp_path / "net.onnx"
    export(module, path, exporter, training=False, folding=folding)  # dynamo unfolded: SplitToSequence, SequenceAt
    net = cnncalc.load(path)
    assert net.summary().totals.trainable_params == sum(p.numel() for p in module.parameters())
    assert net.shape(net.layer_names[-1]) == tuple(module.eval()(torch.randn(1, 3, 32, 32)).shape[1:])
    assert net.summary().totals.macs == weight_macs(module, torch.randn(1, 3, 32, 32))
