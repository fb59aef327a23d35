"""Counting conventions against the real tools (fvcore, thop, ptflops, torchinfo) at batch 1."""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

import pytest

import cnncalc
from cnncalc.analysis.conventions import count, every_convention

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


def peer_total(tool: str, model, shape: tuple[int, ...]) -> int:
    import torch

    model.eval()
    x = torch.randn(1, *shape)
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
                                                 verbose=False, backend="pytorch")[0])  # fmt: skip
        from torchinfo import summary

        return int(summary(model, input_size=(1, *shape), verbose=0).total_mult_adds)


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
    assert code == 0 and set(rows) == {"torchvision", "fvcore", "thop", "ptflops", "torchinfo"}
    assert rows == {t.convention: t.total for t in every_convention(cnncalc.load(CHAIN_B).graph)}
    assert run_cli("summary", CHAIN_B, "--convention", "keras2")[0] == 2


TORCH_KINDS = {
    "Conv2d": "conv", "ConvTranspose2d": "conv_transpose", "Linear": "dense", "BatchNorm2d": "batch_norm",
    "ReLU": "relu", "MaxPool2d": "max_pool", "AvgPool2d": "avg_pool", "AdaptiveAvgPool2d": "global_avg_pool",
    "Upsample": "upsample",
}  # fmt: skip
FVCORE_KINDS = {
    "conv": "conv", "batch_norm": "batch_norm", "adaptive_avg_pool2d": "global_avg_pool", "linear": "dense",
    "upsample_nearest2d": "upsample",
}  # fmt: skip


def peer_by_kind(tool: str, model, shape: tuple[int, ...]) -> dict[str, int]:
    """The tool's own split of its total, by the cnncalc kind of each torch module (or operator)."""
    import torch

    model.eval()
    x = torch.randn(1, *shape)
    found: dict[str, int] = {}

    def add(kind: str, value: float) -> None:
        if value:
            found[kind] = found.get(kind, 0) + int(value)

    warnings.simplefilter("ignore")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        if tool == "fvcore":
            from fvcore.nn import FlopCountAnalysis

            analysis = FlopCountAnalysis(model, x)
            analysis.unsupported_ops_warnings(False)
            for operator, value in analysis.by_operator().items():
                add(FVCORE_KINDS[operator], value)
        elif tool == "thop":
            from thop import profile

            _, _, per_layer = profile(model, inputs=(x,), verbose=False, ret_layer_info=True)
            modules = dict(model.named_children())
            for name, (ops, _params, _children) in per_layer.items():
                kind = TORCH_KINDS.get(type(modules[name]).__name__)
                assert kind or not ops, name  # only modules cnncalc has a kind for may count
                if kind:
                    add(kind, float(ops))
        else:
            from torchinfo import summary

            for layer in summary(model, input_size=(1, *shape), verbose=0).summary_list:
                if layer.class_name in TORCH_KINDS and layer.is_leaf_layer:
                    add(TORCH_KINDS[layer.class_name], layer.macs)
    return found


@pytest.mark.parametrize("tool", ["fvcore", "thop", "torchinfo"])
@pytest.mark.parametrize(
    ("spec", "builder", "shape"), [(CHAIN_A, torch_a, (3, 16, 16)), (CHAIN_B, torch_b, (4, 8, 8))], ids=["a", "b"]
)
def test_each_convention_splits_its_total_by_layer_kind_as_its_tool_does(tool, spec, builder, shape):
    torch = pytest.importorskip("torch")
    pytest.importorskip(tool)
    torch.manual_seed(0)
    expected = peer_by_kind(tool, builder(torch.nn), shape)
    ours = dict(count(cnncalc.load(spec).graph, tool).by_kind)
    if tool == "fvcore" and "conv_transpose" in ours:  # fvcore's operator "conv" is both
        ours["conv"] = ours.get("conv", 0) + ours.pop("conv_transpose")
    assert ours == expected
