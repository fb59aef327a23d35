"""Export to PyTorch: the generated module has cnncalc's parameter count and every shape (torch oracle)."""

from __future__ import annotations

import math

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


EVERY_KIND = (
    "INPUT(12x12x4) → ZEROPAD(((1,0),(0,1))) → CONV(8, 3, p=((1,0),(0,1)), g=2, padding_mode=reflect) → BN → PRELU → "
    "DECONV(6, 3, s=2, p=same) → SEPARABLE_CONV(6, 3, p=1) → DWCONV(3, p=same, dm=2) → GROUPNORM(3) → "
    "POOL(3, 2, p=((0,1),(1,0))) → AVGPOOL(2, ceil_mode=true, count_include_pad=false) → UPSAMPLE(2, mode=bilinear) → "
    "LPPOOL(2, k=2) → LRN(3) → INSTANCENORM(affine=true) → LAYERNORM → CROP(1) → ADAPTIVE_MAX_POOL(1) → "
    "RESHAPE(1x1x12) → GAP → FC(5) → LEAKY_RELU(0.2) → ELU → GELU → SPATIAL_DROPOUT(0.1) → LOG_SOFTMAX"
)


def test_every_exportable_kind():
    check(cnncalc.load(EVERY_KIND))


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


def imported(net: cnncalc.Network, folder) -> object:
    """The exported module imported from a file, as a user would (TorchScript reads the source)."""
    import importlib.util
    import sys

    path = folder / f"exported_{len(list(folder.iterdir()))}.py"
    path.write_text(to_pytorch(net.graph), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # TorchScript looks the class's module up by name
    spec.loader.exec_module(module)
    return module.Net().eval()


TOOLS = {
    "script": lambda model, x: torch.jit.script(model),
    "fx": lambda model, x: torch.fx.symbolic_trace(model),
    "export": lambda model, x: torch.export.export(model, (x,)).module(),
}
COMPILED = {
    "resnet50": ("resnet50", "64x64x3"),
    "every kind": (EVERY_KIND, None),
    "ceil pooling by hand": (SAME_NUMBERS["asymmetric ceil max pool"], None),
    "branches": ("inception_3a", "8x8x192"),
    "no γ or β": (SAME_NUMBERS["batch norm without γ or β"], None),
}


@pytest.mark.parametrize(
    "case,tool",
    [
        pytest.param(case, tool, marks=[pytest.mark.slow] if (case, tool) == ("resnet50", "export") else [])
        for case in COMPILED
        for tool in TOOLS
    ],
)
def test_torchscript_fx_and_torch_export_accept_the_module(case, tool, tmp_path):
    """forward(x) returns a tensor only, so each of PyTorch's compilers takes the module as it is,
    and the compiled module computes what the module computes."""
    spec, size = COMPILED[case]
    net = cnncalc.load(spec, input=size)
    model = imported(net, tmp_path)
    x = torch.randn(2, *channels_first(net.shape("input")))
    compiled = TOOLS[tool](model, x)
    with torch.no_grad():
        torch.testing.assert_close(compiled(x), model(x))
        assert tuple(model(x).shape[1:]) == channels_first(net.shape(net.graph.spec.outputs[0]))


def torchvision_resnet_state(blocks: tuple[int, ...], bottleneck: bool) -> dict[str, tuple[int, ...]]:
    """The state-dict keys and shapes of torchvision.models.resnet18/34/50 as torchvision documents
    them (torchvision/models/resnet.py: conv1, bn1, layer1…layer4 of BasicBlock or Bottleneck with a
    downsample Sequential of conv and bn, fc), written out here without torchvision."""
    state: dict[str, tuple[int, ...]] = {}

    def bn(prefix: str, channels: int) -> None:
        for key in ("weight", "bias", "running_mean", "running_var"):
            state[f"{prefix}.{key}"] = (channels,)
        state[f"{prefix}.num_batches_tracked"] = ()

    expansion = 4 if bottleneck else 1
    state["conv1.weight"] = (64, 3, 7, 7)
    bn("bn1", 64)
    inplanes = 64
    for stage, (count, planes) in enumerate(zip(blocks, (64, 128, 256, 512), strict=True), start=1):
        for index in range(count):
            p = f"layer{stage}.{index}"
            if bottleneck:
                shapes = [(planes, inplanes, 1, 1), (planes, planes, 3, 3), (planes * 4, planes, 1, 1)]
            else:
                shapes = [(planes, inplanes, 3, 3), (planes, planes, 3, 3)]
            for number, shape in enumerate(shapes, start=1):
                state[f"{p}.conv{number}.weight"] = shape
                bn(f"{p}.bn{number}", shape[0])
            if index == 0 and (stage > 1 or inplanes != planes * expansion):
                state[f"{p}.downsample.0.weight"] = (planes * expansion, inplanes, 1, 1)
                bn(f"{p}.downsample.1", planes * expansion)
            inplanes = planes * expansion
    state["fc.weight"] = (1000, 512 * expansion)
    state["fc.bias"] = (1000,)
    return state


@pytest.mark.parametrize(
    "name,blocks,bottleneck",
    [("resnet18", (2, 2, 2, 2), False), ("resnet34", (3, 4, 6, 3), False), ("resnet50", (3, 4, 6, 3), True)],
)
def test_a_torchvision_checkpoint_loads_strictly(name, blocks, bottleneck):
    shapes = torchvision_resnet_state(blocks, bottleneck)
    # the published parameter counts (torchvision's model table) check the layout written above
    published = {"resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032}[name]
    assert (
        sum(
            math.prod(s)
            for k, s in shapes.items()
            if not k.endswith(("running_mean", "running_var", "num_batches_tracked"))
        )
        == published
    )
    state = {
        k: torch.randint(0, 5, s) if k.endswith("num_batches_tracked") else torch.randn(s) for k, s in shapes.items()
    }
    namespace: dict[str, object] = {}
    exec(compile(to_pytorch(cnncalc.load(name).graph), "generated", "exec"), namespace)  # the test runs generated code
    model = namespace["Net"]()
    model.load_state_dict(state, strict=True)
    torch.testing.assert_close(
        model.state_dict()["layer2.0.downsample.0.weight"], state["layer2.0.downsample.0.weight"]
    )
