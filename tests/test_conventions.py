"""Counting conventions against the real tools (fvcore, thop, ptflops, torchinfo) at batch 1."""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

import pytest

import cnncalc
from cnncalc.analysis.conventions import CONVENTIONS, count, every_convention

CHAIN_A = (
    "INPUT(16x16x3) → CONV(8, 3, p=1) → BN → RELU → POOL(2) → CONV(8, 3, p=1, g=2) → AVGPOOL(2) → GAP → FLATTEN"
    " → FC(10)"
)
CHAIN_B = "INPUT(8x8x4) → DECONV(6, 2, s=2) → UPSAMPLE(2) → CONV(3, 1, bias=false)"
RESIDUAL = "input: 8x8x4\nlayers:\n  - {name: c, conv: {filters: 4, kernel: 3, padding: 1}}\n  - {add: null, inputs: [c, input]}\n"


def torch_a(nn):
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(8, 10),
    )  # fmt: skip


def torch_b(nn):
    return nn.Sequential(
        nn.ConvTranspose2d(4, 6, 2, stride=2), nn.Upsample(scale_factor=2), nn.Conv2d(6, 3, 1, bias=False)
    )


def torch_residual(nn):
    class Residual(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 3, padding=1)

        def forward(self, x):
            return self.conv(x) + x

    return Residual()


def peer_total(tool: str, model, shape: tuple[int, ...], batch: int = 1) -> int:
    import torch

    model.eval()
    x = torch.randn(batch, *shape)
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        if tool == "fvcore":
            from fvcore.nn import FlopCountAnalysis

            analysis = FlopCountAnalysis(model, x)
            analysis.unsupported_ops_warnings(False)
            return int(analysis.total())
        if tool == "thop":
            from thop import profile

            return int(profile(model, inputs=(x,), verbose=False)[0])
        if tool == "ptflops":
            from ptflops import get_model_complexity_info

            return int(get_model_complexity_info(model, shape, as_strings=False, print_per_layer_stat=False,
                                                 verbose=False, backend="pytorch",
                                                 input_constructor=lambda _: x)[0])  # fmt: skip
        from torchinfo import summary

        return int(summary(model, input_size=(batch, *shape), verbose=0).total_mult_adds)


@pytest.mark.parametrize("tool", ["fvcore", "thop", "ptflops", "torchinfo"])
@pytest.mark.parametrize(
    ("spec", "builder", "shape"),
    [(CHAIN_A, torch_a, (3, 16, 16)), (CHAIN_B, torch_b, (4, 8, 8)), ("RESIDUAL", torch_residual, (4, 8, 8))],
    ids=["conv-bn-pool-dense", "transposed-upsample", "residual"],
)
def test_each_convention_reproduces_its_tool(tool, spec, builder, shape, tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip({"fvcore": "fvcore", "thop": "thop", "ptflops": "ptflops", "torchinfo": "torchinfo"}[tool])
    if spec == "RESIDUAL":
        spec = tmp_path / "residual.yaml"
        spec.write_text(RESIDUAL, encoding="utf-8")
    torch.manual_seed(0)
    expected = peer_total(tool, builder(torch.nn), shape)
    assert count(cnncalc.load(spec).graph, tool).total == expected


@pytest.mark.parametrize("tool", ["fvcore", "thop", "ptflops", "torchinfo"])
def test_each_convention_counts_a_batch_as_its_tool_does(tool):
    """fvcore, thop and torchinfo report the whole batch; ptflops divides by it."""
    torch = pytest.importorskip("torch")
    pytest.importorskip(tool)
    torch.manual_seed(0)
    expected = peer_total(tool, torch_a(torch.nn), (3, 16, 16), batch=3)
    assert count(cnncalc.load(CHAIN_A).graph, tool, batch=3).total == expected


def test_transposed_convolution_counted_per_input_position_by_brute_force():
    """Every multiplication of a transposed convolution, counted by scattering each input value."""
    cin, cout, kernel, stride, size = 3, 5, 3, 2, 4
    multiplications = 0
    for _row in range(size):
        for _col in range(size):
            for _c_in in range(cin):
                for _c_out in range(cout):
                    multiplications += kernel * kernel  # one input value times each kernel tap
    network = cnncalc.load(f"INPUT({size}x{size}x{cin}) → DECONV({cout}, {kernel}, s={stride})")
    assert count(network.graph, "torchvision").total == multiplications == cin * cout * kernel**2 * size * size


def test_cli_names_the_convention_and_compares_them(run_cli):
    code, out, _ = run_cli("summary", CHAIN_B, "--convention", "thop")
    assert code == 0 and "thop" in out
    code, out, _ = run_cli("compare", CHAIN_B, "--conventions", "--format", "json")
    rows = {row["convention"]: row["total"] for row in __import__("json").loads(out)["conventions"]}
    assert code == 0 and set(rows) == {"torchvision", "fvcore", "thop", "ptflops", "torchinfo", "keras"}
    assert rows == {t.convention: t.total for t in every_convention(cnncalc.load(CHAIN_B).graph)}
    assert run_cli("summary", CHAIN_B, "--convention", "keras2")[0] == 2


def test_cli_counts_a_batch_where_the_tool_does(run_cli):
    code, out, _ = run_cli("compare", CHAIN_A, "--conventions", "--batch", "4", "--format", "json")
    result = __import__("json").loads(out)
    rows = {row["convention"]: row["total"] for row in result["conventions"]}
    one = {t.convention: t.total for t in every_convention(cnncalc.load(CHAIN_A).graph)}
    assert code == 0 and result["batch"] == 4
    assert {name: rows[name] for name in ("fvcore", "thop", "torchinfo")} == {
        name: 4 * one[name] for name in ("fvcore", "thop", "torchinfo")
    }
    assert rows["torchvision"] == one["torchvision"] and rows["keras"] == one["keras"]
    code, out, _ = run_cli("summary", CHAIN_A, "--convention", "thop", "--batch", "4")
    assert code == 0 and f"for a batch of 4: {4 * one['thop']:,}" in out
    code, _, err = run_cli("summary", CHAIN_A, "--batch", "4")
    assert code == 2 and "--batch goes with --convention" in err
    assert run_cli("summary", CHAIN_A, "--convention", "thop", "--batch", "0")[0] == 2


TORCH_KINDS = {
    "Conv2d": "conv", "ConvTranspose2d": "conv_transpose", "Linear": "dense", "BatchNorm2d": "batch_norm",
    "ReLU": "relu", "MaxPool2d": "max_pool", "AvgPool2d": "avg_pool", "AdaptiveAvgPool2d": "global_avg_pool",
    "Upsample": "upsample", "Flatten": "flatten",
}  # fmt: skip


def peer_by_kind(tool: str, model, shape: tuple[int, ...]) -> dict[str, int]:
    """The tool's own split of its total (per module), by the cnncalc kind of each torch module."""
    import torch

    model.eval()
    modules = dict(model.named_children())
    found: dict[str, int] = {}
    for name, value in tool_by_module(tool, model, torch.randn(1, *shape)).items():
        if int(value):
            kind = TORCH_KINDS[type(modules[name]).__name__] if name in modules else name  # "<forward>"
            found[kind] = found.get(kind, 0) + int(value)
    return found


def ptflops_by_module(model, x) -> dict[str, float]:
    """ptflops' own count, kept per top-level module: what `get_model_complexity_info` sums.

    Its module hooks leave `__flops__` on each module (removed when it stops counting, so read
    first; divided by the batch, as it does), and its patched functional calls add to a list:
    each entry belongs to the module whose forward was running, found with hooks around it.
    """
    from ptflops import pytorch_engine as engine

    counted = engine.add_flops_counting_methods(model)
    counted.start_flops_count(ost=io.StringIO(), verbose=False, ignore_list=[])
    functional: list[float] = []
    tensor_ops: list[float] = []
    engine.patch_functional(functional)
    engine.patch_tensor_ops(tensor_ops)
    found: dict[str, float] = {}
    marks: list[tuple[int, int]] = []

    def before(module, _inputs) -> None:
        marks.append((len(functional), len(tensor_ops)))

    def after_of(name: str):
        def after(module, _inputs, _output) -> None:
            since_functional, since_tensor = marks.pop()
            made = sum(functional[since_functional:]) + sum(tensor_ops[since_tensor:])
            found[name] = found.get(name, 0) + made

        return after

    children = dict(model.named_children())
    # Hooks on the leaves, each counted under its top-level module: a block's containers
    # (ModuleDict) never run forward themselves, the exported forward indexes into them.
    leaves = [(name, m) for name, m in model.named_modules() if name and not any(m.children())]
    handles = [h for name, m in leaves
               for h in (m.register_forward_pre_hook(before), m.register_forward_hook(after_of(name.split(".")[0])))]  # fmt: skip
    try:
        counted(x)
        for name, module in children.items():
            found[name] = found.get(name, 0) + _hooked_flops(engine, module) / counted.__batch_counter__
        expected = counted.compute_average_flops_cost()[0] + sum(functional) + sum(tensor_ops)
        outside = expected - sum(found.values())  # calls made in forward() itself, between modules
        if outside:
            found["<forward>"] = outside
    finally:
        for handle in handles:
            handle.remove()
        counted.stop_flops_count()
        engine.unpatch_functional()
        engine.unpatch_tensor_ops()
    return found


def _hooked_flops(engine, module) -> float:
    """What ptflops' module hooks counted in `module` (its own accumulate_flops, outside its run)."""
    if engine.is_supported_instance(module):
        return module.__flops__
    return sum(_hooked_flops(engine, child) for child in module.children())


@pytest.mark.parametrize("tool", ["fvcore", "thop", "ptflops", "torchinfo"])
@pytest.mark.parametrize(
    ("spec", "builder", "shape"), [(CHAIN_A, torch_a, (3, 16, 16)), (CHAIN_B, torch_b, (4, 8, 8))], ids=["a", "b"]
)
def test_each_convention_splits_its_total_by_layer_kind_as_its_tool_does(tool, spec, builder, shape):
    torch = pytest.importorskip("torch")
    pytest.importorskip(tool)
    torch.manual_seed(0)
    expected = peer_by_kind(tool, builder(torch.nn), shape)
    assert dict(count(cnncalc.load(spec).graph, tool).by_kind) == expected


# Two convolutions merged in every way (two and three inputs), then concatenated.
MERGES = [
    {"conv": {"filters": 4, "kernel": 3, "padding": "same"}, "name": "a", "inputs": "input"},
    {"conv": [4, 1], "name": "b", "inputs": "input"},
    {"add": None, "name": "add2", "inputs": ["a", "b"]},
    {"add": None, "name": "add3", "inputs": ["a", "b", "add2"]},
    {"subtract": None, "name": "sub", "inputs": ["a", "b"]},
    {"multiply": None, "name": "mul3", "inputs": ["a", "b", "sub"]},
    {"average": None, "name": "avg3", "inputs": ["a", "b", "add2"]},
    {"maximum": None, "name": "max3", "inputs": ["a", "b", "avg3"]},
    {"minimum": None, "name": "min2", "inputs": ["a", "b"]},
    {"concat": None, "name": "cat", "inputs": ["a", "b", "min2", "max3", "mul3", "add3"]},
]

# Every layer kind the PyTorch export writes, in networks exported by cnncalc and counted by each
# tool module by module: activations, every norm, pooling of each kind, 1-D and 3-D, upsampling
# of each mode, convolutions of each kind, merges (written as operators in forward()) and crops.
EXPORTED = [
    "INPUT(6x6x4) → RELU6 → LEAKYRELU → GELU → SILU → SOFTMAX → LAYERNORM → GROUPNORM(2) → INSTANCENORM"
    " → BN(affine=false) → UPSAMPLE(2) → GAP",
    "INPUT(6x6x4) → RELU → ELU → PRELU → SIGMOID → TANH → HARDSIGMOID → HARDSWISH → MISH → SOFTPLUS → SOFTSIGN"
    " → SELU → LOGSOFTMAX → IDENTITY → DROPOUT → SPATIALDROPOUT → LRN → FLATTEN → FC(3)",
    "INPUT(12x12x4) → POOL(3, s=2, p=1) → AVGPOOL(2, ceil=true) → ADAPTIVEAVGPOOL(2) → UPSAMPLE(2, mode=bilinear)"
    " → ADAPTIVEMAXPOOL(2) → LPPOOL(2, 2) → GMP",
    "INPUT(12x12x4) → LAYERNORM(affine=false) → GROUPNORM(2, affine=false) → INSTANCENORM(affine=true) → BN"
    " → ZEROPAD(1) → CROP(1) → CONV(8, 3, g=2, d=2, bias=false) → DWCONV(3, dm=2) → SEPCONV(4, 3)"
    " → DECONV(4, 3, s=2, p=1) → GAP(keepdims=true) → RESHAPE(2x2x1)",
    "INPUT(10x3) → CONV1D(4, 3) → POOL(2) → BN → UPSAMPLE(2, mode=linear) → DECONV(2, 2, s=2) → LRN(size=3) → GAP",
    # batch statistics only (fvcore counts a training-mode norm); sizes that do not divide (thop truncates)
    "INPUT(7x5x3) → BN(track_running_stats=false) → BN(affine=false, track_running_stats=false)"
    " → ADAPTIVEAVGPOOL(3) → GAP",
    "INPUT(4x4) → ADAPTIVEAVGPOOL(3)",
    "INPUT(6x6x6x2) → CONV3D(4, 3) → BN → POOL(2) → AVGPOOL(1) → UPSAMPLE(2, mode=trilinear) → DECONV(2, 2, s=2)"
    " → GAP",
    {
        "input": "8x8x4",
        "layers": [
            *MERGES,
            {"center_crop": 6},
            {"lrn": {"size": 3}},
            {"lp_pool": [3, 2]},
            {"upsample": {"scale": 3, "mode": "bilinear"}},
        ],
    },
    # issue 22's kinds: a per-position linear (nn.Linear on the channel axis), a slice and a shuffle
    # and a mean (tensor expressions in forward()), a layer scale (a module whose parameter is gamma)
    "INPUT(6x5x8) → POINTWISE_LINEAR(6) → CHANNEL_SHUFFLE(3) → LAYER_SCALE → SLICE(1, 5)"
    " → REDUCE_MEAN(axes=(0,), keepdims=true) → POINTWISE_LINEAR(3, bias=false) → REDUCE_MEAN",
    "INPUT(5x8) → POINTWISE_LINEAR(4) → LAYER_SCALE → REDUCE_MEAN(-1, keepdims=true) → REDUCE_MEAN",
    ("resnet18", "32x32x3"),
    ("mobilenet_v2", "32x32x3"),
    ("inception_3a", "8x8x192"),
]  # fmt: skip


def exported(case) -> tuple[cnncalc.Network, object]:
    """The network and its PyTorch twin, written by `cnncalc export --to pytorch`."""
    from cnncalc.export.pytorch import to_pytorch

    spec, size = case if isinstance(case, tuple) else (case, None)
    network = cnncalc.load(spec, input=size)
    namespace: dict[str, object] = {}
    exec(compile(to_pytorch(network.graph), "exported", "exec"), namespace)  # the test's own export
    return network, namespace["Net"]().eval()


def tool_by_module(tool: str, model, x) -> dict[str, float]:
    """The tool's count for each top-level module of `model` (its layers), and "<forward>" for the
    rest: what the tool counted in forward() itself, between the modules."""
    found: dict[str, float] = {}
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        if tool == "ptflops":
            return ptflops_by_module(model, x)
        if tool == "fvcore":
            from fvcore.nn import FlopCountAnalysis

            analysis = FlopCountAnalysis(model, x)
            analysis.unsupported_ops_warnings(False)
            analysis.uncalled_modules_warnings(False)
            by_module, total = analysis.by_module(), analysis.total()
            found = {name: by_module.get(name, 0) for name, _ in model.named_children()}
        elif tool == "thop":
            from thop import profile

            total, _, per_layer = profile(model, inputs=(x,), verbose=False, ret_layer_info=True)
            found = {name: float(ops) for name, (ops, _params, _children) in per_layer.items()}
        else:
            from torchinfo import summary

            result = summary(model, input_data=x, verbose=0)
            total, top = result.total_mult_adds, None
            for layer in result.summary_list:
                top = layer.var_name if layer.depth == 1 else top
                if layer.depth >= 1 and layer.is_leaf_layer:
                    found[top] = found.get(top, 0) + layer.macs
    found["<forward>"] = total - sum(found.values())
    return found


@pytest.mark.parametrize("tool", ["fvcore", "thop", "ptflops", "torchinfo"])
@pytest.mark.parametrize("case", EXPORTED, ids=[f"net{i}" for i in range(len(EXPORTED))])
def test_each_convention_counts_every_layer_as_its_tool_does(tool, case):
    """Layer by layer, on networks cnncalc exports to PyTorch, and the batch (3) as the tool counts it."""
    torch = pytest.importorskip("torch")
    pytest.importorskip(tool)
    from cnncalc.analysis.conventions import layer_costs
    from cnncalc.export.pytorch import module_paths

    network, model = exported(case)
    shape = network.shape(network.layer_names[0])
    torch.manual_seed(0)
    x = torch.randn(1, shape[-1], *shape[:-1])
    theirs = {name: int(value) for name, value in tool_by_module(tool, model, x).items() if int(value)}
    rule, paths = CONVENTIONS[tool].rule, module_paths(network.graph)
    ours: dict[str, int] = {}
    for node, cost in zip(network.graph.nodes, layer_costs(network.graph), strict=True):
        if rule(cost):  # a block's layers add up under its top-level module (layer1 holds layer1.0.conv1);
            top = paths.get(node.name, "<forward>").split(".")[0]  # a layer with no module is forward()'s
            ours[top] = ours.get(top, 0) + rule(cost)
    assert ours == theirs
    batch = torch.randn(3, shape[-1], *shape[:-1])
    assert count(network.graph, tool, batch=3).total == int(sum(tool_by_module(tool, model, batch).values()))


BRANCHES = {
    "input": "8x8x4",
    "layers": [
        *MERGES,
        {"layer_norm": None},
        {"layer_norm": {"affine": False}},
        {"group_norm": {"groups": 4}},
        {"group_norm": {"groups": 6, "affine": False}},
        {"instance_norm": {"affine": True}},
        {"instance_norm": None},
        {"upsample": 2},
        {"upsample": {"scale": 2, "mode": "bilinear"}},
        {"zero_pad": 1},
        {"crop": 1},
        {"adaptive_avg_pool": 4},
        {"adaptive_max_pool": 2},
        {"batch_norm": {"affine": False}},
        {"prelu": None},
        {"reshape": "8x12"},
        {"flatten": None},
        {"batch_norm": None},
        {"dense": 5},
    ],
}
KERAS_CASES = [
    {"spec": "INPUT(10x10x8) → CONV(16, 3) → BN → RELU → MAXPOOL(2) → CONV(16, 3, p=1, bias=false) → AVGPOOL(2)"
             " → FLATTEN → FC(7)"},
    {"spec": "INPUT(20x20x8) → CONV(16, 3, g=4) → CONV(16, 3, d=2, bias=false) → CONV(8, 3, s=2, p=same)"
             " → DWCONV(3) → DWCONV(3, bias=false, dm=2) → SEPCONV(8, 3)"},
    {"spec": "INPUT(10x10x8) → DECONV(16, 3, s=2) → DECONV(4, 2, s=2, bias=false) → DECONV(4, 3, s=1, p=1)"
             " → DECONV(1, 3, s=2, bias=false) → DECONV(2, (3, 2), s=(2, 3), op=1)"},
    {"spec": "INPUT(20x8) → CONV1D(4, 3) → MAXPOOL(2) → AVGPOOL(3, s=1, p=same) → DECONV(3, 3, s=2) → UPSAMPLE(2)"
             " → DWCONV(3) → LAYERNORM(affine=false) → GROUPNORM(3, affine=false) → GAP"},
    {"spec": "INPUT(6x6x6x2) → CONV3D(4, 3) → DECONV(2, 2, s=2) → MAXPOOL(2) → AVGPOOL(2) → UPSAMPLE(2) → GMP"},
    {"spec": "INPUT(9x9x6) → RELU6 → LEAKYRELU → ELU → PRELU → SIGMOID → TANH → GELU → SILU → HARDSIGMOID"
             " → HARDSWISH → MISH → SOFTPLUS → SOFTSIGN → SELU → SOFTMAX → LOGSOFTMAX → IDENTITY → DROPOUT"
             " → SPATIALDROPOUT → AVGPOOL(3, s=2, p=1) → GAP(keepdims=true)"},
    {"spec": BRANCHES},
    {"spec": "INPUT(6x5x8) → POINTWISE_LINEAR(6) → CHANNEL_SHUFFLE(3) → LAYER_SCALE → SLICE(1, 5)"
             " → REDUCE_MEAN(axes=(0,), keepdims=true) → POINTWISE_LINEAR(3, bias=false) → REDUCE_MEAN"},
    {"spec": "INPUT(6x5x4) → RESCALING(0.5) → RESCALING(scale=(1,2,3,4), offset=(0,1,0,1)) → NORMALIZATION"
             " → NORMALIZATION(mean=(1,2,3,4), variance=(1,4,9,16)) → NORMALIZATION(mean=(1,), variance=(4,))"},
    {"spec": "resnet18", "input": "64x64x3"},
    {"spec": "mobilenet_v2", "input": "64x64x3"},
    {"spec": "unet", "input": "188x188x1"},
    {"spec": "inception_3a", "input": "8x8x192"},
]  # fmt: skip


def test_keras_convention_reproduces_tensorflows_profiler_layer_by_layer(tmp_path):
    """The `keras` rules against TensorFlow itself: each network exported to Keras, profiled."""
    import importlib.util
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from cnncalc.analysis.conventions import CONVENTIONS, layer_costs

    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed (pip install tensorflow-cpu)")
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(KERAS_CASES), encoding="utf-8")
    script = Path(__file__).with_name("keras_tf_profile.py")
    done = subprocess.run(
        [sys.executable, str(script), str(cases)],
        capture_output=True, text=True, check=True, env={**os.environ, "KERAS_BACKEND": "tensorflow"},
    )  # fmt: skip
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    rule = CONVENTIONS["keras"].rule
    for case, profiled in zip(KERAS_CASES, measured, strict=True):
        network = cnncalc.load(case["spec"], input=case.get("input"))
        ours = {n.name: rule(c) for n, c in zip(network.graph.nodes, layer_costs(network.graph), strict=True)}
        assert {k: v for k, v in ours.items() if v} == profiled["layers"], case
        assert count(network.graph, "keras").total == profiled["total"]
