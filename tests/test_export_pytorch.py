"""Export to PyTorch: the generated module has cnncalc's parameter count and every shape (torch oracle)."""

from __future__ import annotations

import pytest

import cnncalc
from cnncalc.export.pytorch import module_paths, to_pytorch
from cnncalc.spec import bundled_names

torch = pytest.importorskip("torch")
SMALL = {"unet": "188x188x1", "hourglass": "64x64x3", "inception_v3": "75x75x3", "inception_resnet_v2": "75x75x3", "inception_3a": "8x8x192",
         "alexnet": "64x64x3", "alexnet_original": "67x67x3", "zfnet": "64x64x3"}  # fmt: skip


def channels_first(shape: tuple[int, ...]) -> tuple[int, ...]:
    return (shape[-1], *shape[:-1]) if len(shape) > 1 else shape


def check(net: cnncalc.Network) -> None:
    namespace: dict[str, object] = {}
    exec(compile(to_pytorch(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    model = namespace["Net"]().eval()
    totals = net.summary().totals
    assert sum(p.numel() for p in model.parameters()) == totals.trainable_params
    buffers = sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))
    assert buffers == totals.non_trainable_params
    x = torch.randn(2, *channels_first(net.shape("input")))
    with torch.no_grad():
        values = model.activations(x)
    for name, value in values.items():
        assert tuple(value.shape[1:]) == channels_first(net.shape(name)), name


@pytest.mark.parametrize("name", sorted(set(bundled_names()) - {"deconvnet"}))
def test_bundled_specs_export(name):
    check(cnncalc.load(name, input=SMALL.get(name) if name in SMALL else None))


def test_every_exportable_kind():
    chain = (
        "INPUT(12x12x4) → ZEROPAD(((1,0),(0,1))) → CONV(8, 3, p=((1,0),(0,1)), g=2, padding_mode=reflect) → BN → PRELU → "
        "DECONV(6, 3, s=2, p=same) → SEPARABLE_CONV(6, 3, p=1) → DWCONV(3, p=same, dm=2) → GROUPNORM(3) → "
        "POOL(3, 2, p=((0,1),(1,0))) → AVGPOOL(2, ceil_mode=true, count_include_pad=false) → UPSAMPLE(2, mode=bilinear) → "
        "LPPOOL(2, k=2) → LRN(3) → INSTANCENORM(affine=true) → LAYERNORM → CROP(1) → ADAPTIVE_MAX_POOL(1) → "
        "RESHAPE(1x1x12) → GAP → FC(5) → LEAKY_RELU(0.2) → ELU → GELU → SPATIAL_DROPOUT(0.1) → LOG_SOFTMAX"
    )
    check(cnncalc.load(chain))


def test_branches_and_merges():
    check(cnncalc.load("inception_3a", input="8x8x192"))
    spec = {
        "input": [8, 8, 4],
        "layers": [
            {"name": "a", "conv": [4, 3], "inputs": "input"},
            {"name": "b", "conv": {"filters": 4, "kernel": 3, "padding": 1}, "inputs": "input"},
            {"name": "c", "center_crop": None, "inputs": ["b", "a"]},
            {"name": "s", "subtract": None, "inputs": ["a", "c"]},
            {"name": "m", "maximum": None, "inputs": ["a", "c", "s"]},
            {"name": "v", "average": None, "inputs": ["m", "s"]},
            {"name": "x", "multiply": None, "inputs": ["v", "a"]},
        ],
    }
    check(cnncalc.load(spec))


def test_unsupported_kinds_are_named(run_cli):
    code, _, err = run_cli("export", "INPUT(8x8x3) → LOCALLY_CONNECTED(4, 3)")
    assert code == 2 and "PyTorch has no locally connected layer" in err


def test_cli_writes_a_file(run_cli, tmp_path):
    target = tmp_path / "net.py"
    assert run_cli("export", "lenet5", "-o", str(target), "--class-name", "LeNet")[0] == 0
    assert "class LeNet(nn.Module):" in target.read_text(encoding="utf-8")
    assert run_cli("export", "lenet5", "-o", str(target))[0] == 2


# Every layer of the exported module, given the executor's weights, must compute what the executor
# computes: the export and the executor are two readings of one spec, and PyTorch is the judge.
SAME_NUMBERS = {
    "flatten and dense": "INPUT(5x4x3) → CONV(4, 3, p=1) → FLATTEN → FC(6) → RESHAPE(2x3) → FLATTEN → FC(2)",
    "dense on a volume": "INPUT(3x4x2) → FC(5)",
    "reshape regroups": "INPUT(4x2) → RESHAPE(2x4) → CONV1D(3, 1)",
    "lp pooling 1-D": "INPUT(8x2) → LPPOOL(2, k=3, s=2)",
    "asymmetric avg pool": "INPUT(7x2) → AVGPOOL(k=2, s=1, p=((1,0),), count_include_pad=false)",
    "asymmetric ceil max pool": "INPUT(7x8x2) → MAXPOOL(k=3x2, s=2x3, p=((0,1),(1,1)), ceil_mode=true)",
    "same transposed, kernel below stride": "INPUT(3x2) → DECONV(2, k=1, s=2, p=same)",
    "same transposed 2-D": "INPUT(5x5x3) → DECONV(4, k=3, s=2, p=same) → CONV(2, k=2, p=same)",
    "same avg pool": "INPUT(5x5x2) → AVGPOOL(k=2, s=2, p=same)",
    "batch norm without γ or β": "INPUT(4x4x3) → CONV(8, 3, bias=false) → BN(scale=false) → BN(center=false)",
}


def executor_matches_export(net: cnncalc.Network) -> None:
    import numpy as np

    from cnncalc.executor.run import random_weights

    namespace: dict[str, object] = {}
    exec(compile(to_pytorch(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    model = namespace["Net"]().eval()
    weights = random_weights(net.graph, seed=1)
    attribute = module_paths(net.graph)  # where the export put each layer's parameters
    state = {
        f"{attribute[layer]}.{key}": torch.from_numpy(a)
        for layer, arrays in weights.items()
        for key, a in arrays.items()
    }
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(key.endswith("num_batches_tracked") for key in missing), (missing, unexpected)
    x = np.random.default_rng(2).standard_normal((2, *net.shape("input"))).astype(np.float32)
    ours = net.run(data=x, weights=weights, keep=True).activations
    with torch.no_grad():
        theirs = model.activations(torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1) if x.ndim > 2 else x)))
    for name, value in theirs.items():
        expected = value.numpy()
        expected = np.moveaxis(expected, 1, -1) if expected.ndim > 2 else expected
        np.testing.assert_allclose(ours[name], expected, rtol=1e-4, atol=1e-4, err_msg=name)


@pytest.mark.parametrize("case", sorted(SAME_NUMBERS))
def test_export_computes_what_the_executor_computes(case):
    executor_matches_export(cnncalc.load(SAME_NUMBERS[case]))


@pytest.mark.parametrize(
    "name,size", [("lenet5", None), ("mnist1d_cnn", None), ("keras_fashion_mnist", None), ("resnet18", "32x32x3"),
                  ("mobilenet_v2", "32x32x3"), ("inception_3a", "8x8x192"), ("squeezenet1_0", "64x64x3")],
)  # fmt: skip
def test_bundled_exports_compute_what_the_executor_computes(name, size):
    executor_matches_export(cnncalc.load(name, input=size))
