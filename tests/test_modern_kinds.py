"""The layer kinds modern nets need (issue 22 item 1): per-position linear, slice, channel shuffle,
layer scale and mean over axes. Expected numbers are hand arithmetic written here, or PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.errors import SpecError


def last(chain: str):
    """The summary record of the chain's last layer."""
    return cnncalc.load(chain).summary().layers[-1]


# -- hand arithmetic -------------------------------------------------------------------------------
def test_pointwise_linear_connects_each_position_to_its_own_channels():
    layer = last("INPUT(7x7x96) → POINTWISE_LINEAR(384)")  # ConvNeXt-T's first inverted bottleneck
    assert layer.output_shape == (7, 7, 384)
    assert layer.trainable_params == 96 * 384 + 384 == 37_248
    assert layer.macs == 7 * 7 * 96 * 384 == 1_806_336
    tokens = last("INPUT(197x768) → PWLINEAR(3072, bias=false)")  # a ViT-B MLP: 197 tokens
    assert (tokens.output_shape, tokens.params, tokens.macs) == ((197, 3072), 768 * 3072, 197 * 768 * 3072)
    vector = last("INPUT(10) → POINTWISE_LINEAR(4)")  # on a vector it is a dense layer
    assert (vector.output_shape, vector.params, vector.macs) == ((4,), 44, 40)


def test_dense_on_a_volume_keeps_its_meaning():
    """FC, DENSE and LINEAR still connect every value (issue 22: nothing that exists changes)."""
    for spelling in ("FC", "DENSE", "LINEAR"):
        layer = last(f"INPUT(4x4x3) → {spelling}(5)")
        assert (layer.output_shape, layer.params) == ((5,), 4 * 4 * 3 * 5 + 5)


def test_pointwise_linear_refuses_the_wrong_in_features():
    with pytest.raises(SpecError, match="in_features=8 receives 4×4×3"):
        cnncalc.load("INPUT(4x4x3) → POINTWISE_LINEAR(5, in_features=8)")
    assert last("INPUT(4x4x3) → POINTWISE_LINEAR(5, in_features=3)").output_shape == (4, 4, 5)


def test_a_split_is_two_slices_of_one_input():
    """ShuffleNetV2's stride-1 unit: x.chunk(2, dim=1), one half kept, the other through a branch."""
    spec = {
        "input": "28x28x116",
        "layers": [
            {"name": "left", "slice": [0, 58], "inputs": "input"},
            {"name": "right", "slice": {"start": 58, "stop": 116}, "inputs": "input"},
            {"name": "branch", "conv": {"filters": 58, "kernel": 1, "bias": False}},
            {"name": "cat", "concat": None, "inputs": ["left", "branch"]},
            {"name": "shuffle", "channel_shuffle": 2},
        ],
    }
    net = cnncalc.load(spec)
    assert net.shape("left") == net.shape("right") == (28, 28, 58)
    assert net.shape("shuffle") == (28, 28, 116)
    records = {r.name: r for r in net.summary().layers}
    assert records["left"].params == records["shuffle"].params == 0
    assert records["branch"].params == 58 * 58


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ("INPUT(4x4x8) → SLICE(6, 10)", r"slice \[6, 10\) does not fit in 8 channels"),
        ("INPUT(4x4x8) → SLICE(5, 5)", r"slice \[5, 5\)"),
        ("INPUT(4x4x6) → CHANNEL_SHUFFLE(4)", "channels divisible by 4"),
        ("INPUT(4x4x6) → REDUCE_MEAN(axes=(0, 3))", "do not name distinct axes"),
        ("INPUT(4x4x6) → REDUCE_MEAN(axes=(1, -2))", "do not name distinct axes"),
        ("INPUT(4x4x6) → REDUCE_MEAN(axes=(0,))", "keepdims=true"),
        ("INPUT(4x4x6) → REDUCE_MEAN(-1)", "keepdims=true"),
    ],
)
def test_shapes_that_cannot_be_are_refused(chain, message):
    with pytest.raises(SpecError, match=message):
        cnncalc.load(chain).summary()


def test_layer_scale_has_one_learnt_multiplier_per_channel():
    layer = last("INPUT(56x56x96) → LAYER_SCALE")
    assert (layer.output_shape, layer.trainable_params, layer.non_trainable_params) == ((56, 56, 96), 96, 0)
    assert layer.macs == 0  # element-wise, as a norm's γ: torchvision's GFLOPS count conv and linear only


def test_reduce_mean_over_axes():
    assert last("INPUT(7x7x1280) → REDUCE_MEAN").output_shape == (1280,)  # MNASNet's x.mean([2, 3])
    assert last("INPUT(7x7x1280) → REDUCE_MEAN(keepdims=true)").output_shape == (1, 1, 1280)
    assert last("INPUT(7x5x8) → REDUCE_MEAN(axes=(1,), keepdims=true)").output_shape == (7, 1, 8)
    assert last("INPUT(7x5x8) → REDUCE_MEAN(-1, keepdims=true)").output_shape == (7, 5, 1)
    assert last("INPUT(197x768) → REDUCE_MEAN").output_shape == (768,)  # the mean of the tokens
    assert last("INPUT(7x7x1280) → REDUCE_MEAN").params == 0


def test_reduce_mean_and_global_average_pooling_agree_but_fvcore_counts_them_apart():
    """Issue 22: fvcore counts adaptive_avg_pool2d (one per input value) but has no handle for aten::mean;
    MNASNet's mean over 7×7×1280 is the 62,720 a spec written with GAP overcounts."""
    from cnncalc.analysis.conventions import count

    mean, pool = cnncalc.load("INPUT(7x7x1280) → REDUCE_MEAN"), cnncalc.load("INPUT(7x7x1280) → GAP")
    assert count(pool.graph, "fvcore").total - count(mean.graph, "fvcore").total == 7 * 7 * 1280 == 62_720
    x = np.random.default_rng(0).standard_normal((2, 7, 7, 1280)).astype(np.float32)
    np.testing.assert_allclose(mean.run(data=x).outputs["reduce_mean_1"], pool.run(data=x).outputs["global_avg_pool_1"])


def test_the_receptive_field_of_a_mean_is_what_it_reduces():
    from cnncalc.analysis.receptive_field import receptive_fields

    fields = receptive_fields(cnncalc.load("INPUT(9x9x2) → CONV(2, 3) → REDUCE_MEAN(axes=(0,), keepdims=true)").graph)
    assert tuple(axis.size for axis in fields.layers[-1].axes) == (9, 3)  # all rows, a 3-wide column window


# -- properties of the shape rules -----------------------------------------------------------------
shapes = st.lists(st.integers(1, 9), min_size=1, max_size=4).map(tuple)


@settings(max_examples=60, deadline=None)
@given(shapes, st.integers(1, 20), st.booleans())
def test_pointwise_linear_replaces_only_the_last_axis(shape, units, bias):
    layer = last(f"INPUT({'x'.join(map(str, shape))}) → POINTWISE_LINEAR({units}, bias={str(bias).lower()})")
    assert layer.output_shape == (*shape[:-1], units)
    assert layer.params == shape[-1] * units + units * bias
    assert layer.macs == int(np.prod(shape)) * units


@settings(max_examples=60, deadline=None)
@given(shapes, st.data())
def test_slices_of_a_split_add_up_to_the_input(shape, data):
    cut = data.draw(st.integers(0, shape[-1]))
    size = "x".join(map(str, shape))
    parts = [(0, cut), (cut, shape[-1])]
    for start, stop in parts:
        chain = f"INPUT({size}) → SLICE({start}, {stop})"
        if start == stop:
            with pytest.raises(SpecError):
                cnncalc.load(chain).summary()
        else:
            assert last(chain).output_shape == (*shape[:-1], stop - start)


@settings(max_examples=60, deadline=None)
@given(shapes, st.integers(1, 4), st.data())
def test_shuffle_keeps_the_shape_and_mean_keeps_or_drops_axes(shape, groups, data):
    size = "x".join(map(str, (*shape[:-1], shape[-1] * groups)))
    assert last(f"INPUT({size}) → CHANNEL_SHUFFLE({groups})").output_shape == (*shape[:-1], shape[-1] * groups)
    axes = tuple(sorted(data.draw(st.sets(st.integers(0, len(shape) - 1), min_size=1))))
    kept = last(f"INPUT({'x'.join(map(str, shape))}) → REDUCE_MEAN(axes={axes}, keepdims=true)").output_shape
    assert kept == tuple(1 if a in axes else d for a, d in enumerate(shape))


# -- PyTorch as the oracle -------------------------------------------------------------------------
def _torch():
    return pytest.importorskip("torch")


def test_parameter_counts_equal_pytorchs():
    torch = _torch()
    linear = torch.nn.Linear(96, 384)
    assert last("INPUT(7x7x96) → POINTWISE_LINEAR(384)").params == sum(p.numel() for p in linear.parameters())
    # torchvision's CNBlock: layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * 1e-6)
    assert last("INPUT(7x7x96) → LAYER_SCALE").params == torch.nn.Parameter(torch.ones(96, 1, 1)).numel()
    # the output shapes of nn.Linear on (N, H, W, C), chunk and channel_shuffle, channels first
    x = torch.randn(2, 116, 28, 28)
    assert (
        tuple(linear(torch.randn(2, 7, 7, 96)).shape[1:]) == last("INPUT(7x7x96) → POINTWISE_LINEAR(384)").output_shape
    )
    first, _ = x.chunk(2, dim=1)
    assert (*first.shape[2:], first.shape[1]) == last("INPUT(28x28x116) → SLICE(0, 58)").output_shape
    assert tuple(x.mean((2, 3)).shape[1:]) == last("INPUT(28x28x116) → REDUCE_MEAN").output_shape


def run_one(chain: str, x: np.ndarray, weights: dict[str, np.ndarray] | None = None) -> np.ndarray:
    net = cnncalc.load(chain)
    layer = net.layer_names[1]
    result = net.run(data=x, weights={layer: weights} if weights else None)
    assert result.ok
    return result.outputs[layer]


def channels_first(x: np.ndarray):
    torch = _torch()
    return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))


def channels_last(t) -> np.ndarray:
    return np.moveaxis(t.detach().numpy(), 1, -1)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=3), st.integers(1, 6), st.integers(1, 6), st.booleans(),
       st.integers(0, 2**16))  # fmt: skip
def test_pointwise_linear_computes_what_nn_linear_computes_on_the_last_axis(positions, c_in, units, bias, seed):
    torch = _torch()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, *positions, c_in)).astype(np.float32)
    w, b = rng.standard_normal((units, c_in)).astype(np.float32), rng.standard_normal(units).astype(np.float32)
    size = "x".join(map(str, (*positions, c_in)))
    ours = run_one(f"INPUT({size}) → POINTWISE_LINEAR({units}, bias={str(bias).lower()})", x,
                   {"weight": w, **({"bias": b} if bias else {})})  # fmt: skip
    theirs = torch.nn.functional.linear(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b) if bias else None)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=2), st.integers(1, 4), st.integers(1, 4),
       st.integers(0, 2**16))  # fmt: skip
def test_shuffle_slice_scale_and_mean_compute_what_pytorch_computes(positions, groups, per_group, seed):
    torch = _torch()
    channels = groups * per_group
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, *positions, channels)).astype(np.float32)
    t = channels_first(x) if positions else torch.from_numpy(x)
    back = channels_last if positions else (lambda value: value.numpy())
    size = "x".join(map(str, (*positions, channels)))
    shuffled = run_one(f"INPUT({size}) → CHANNEL_SHUFFLE({groups})", x)
    if positions:  # PyTorch's ChannelShuffle wants a map
        np.testing.assert_array_equal(shuffled, back(torch.nn.ChannelShuffle(groups)(t)))
    else:
        np.testing.assert_array_equal(shuffled, back(t.view(2, groups, per_group).transpose(1, 2).reshape(2, -1)))
    start = 0
    for part in t.chunk(groups, dim=1):  # a split into `groups` parts is that many slices
        ours = run_one(f"INPUT({size}) → SLICE({start}, {start + part.shape[1]})", x)
        np.testing.assert_array_equal(ours, back(part))
        start += part.shape[1]
    gamma = rng.standard_normal(channels).astype(np.float32)
    scaled = run_one(f"INPUT({size}) → LAYER_SCALE", x, {"gamma": gamma})
    view = torch.from_numpy(gamma).view(-1, *(1,) * len(positions))  # torchvision's (dim, 1, 1) layout
    np.testing.assert_allclose(scaled, back(view * t), rtol=1e-6)
    if positions:
        dims = tuple(range(2, 2 + len(positions)))
        np.testing.assert_allclose(
            run_one(f"INPUT({size}) → REDUCE_MEAN", x), t.mean(dims).numpy(), rtol=1e-5, atol=1e-6
        )
        kept = run_one(f"INPUT({size}) → REDUCE_MEAN(-1, keepdims=true)", x)
        np.testing.assert_allclose(kept, back(t.mean(1, keepdim=True)), rtol=1e-5, atol=1e-6)


# -- the three exports compute what the executor computes -------------------------------------------
MODERN = (
    "INPUT(6x5x8) → POINTWISE_LINEAR(6) → CHANNEL_SHUFFLE(3) → LAYER_SCALE → SLICE(1, 5) "
    "→ REDUCE_MEAN(axes=(0,), keepdims=true) → POINTWISE_LINEAR(3, bias=false) → REDUCE_MEAN"
)
TOKENS = "INPUT(5x8) → POINTWISE_LINEAR(4) → LAYER_SCALE → CHANNEL_SHUFFLE(2) → REDUCE_MEAN(-1, keepdims=true)"
VECTOR = "INPUT(8) → POINTWISE_LINEAR(6) → CHANNEL_SHUFFLE(2) → SLICE(2, 5) → LAYER_SCALE → POINTWISE_LINEAR(2)"


@pytest.mark.parametrize("chain", [MODERN, TOKENS, VECTOR])
def test_the_pytorch_export_computes_what_the_executor_computes(chain):
    _torch()
    from tests.test_export_pytorch import check, executor_matches_export

    net = cnncalc.load(chain)
    check(net)
    executor_matches_export(net)


@pytest.mark.parametrize("chain", [MODERN, TOKENS, VECTOR])
def test_the_onnx_export_computes_what_the_executor_computes(chain):
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from cnncalc.executor.run import random_weights
    from cnncalc.export.onnx_model import to_onnx
    from tests.test_export_onnx import check

    net = cnncalc.load(chain)
    check(net)
    weights = random_weights(net.graph, seed=3)
    model = to_onnx(net.graph, weights)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(4).standard_normal((3, *net.shape("input"))).astype(np.float32)
    fed = np.ascontiguousarray(np.moveaxis(x, -1, 1)) if x.ndim > 2 else x
    (theirs,) = session.run(None, {session.get_inputs()[0].name: fed})
    theirs = np.moveaxis(theirs, 1, -1) if theirs.ndim > 2 else theirs
    ours = net.run(data=x, weights=weights).outputs[net.graph.spec.outputs[0]]
    np.testing.assert_allclose(theirs, ours, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("chain", [MODERN, TOKENS, VECTOR])
def test_the_keras_export_has_every_shape_and_parameter(chain):
    _torch()
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    from tests.test_export_keras import check

    check(cnncalc.load(chain))


def test_the_keras_export_of_the_weightless_kinds_computes_what_pytorch_computes():
    torch = _torch()
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    from cnncalc.export.keras_model import to_keras

    net = cnncalc.load(
        "INPUT(4x3x6) → CHANNEL_SHUFFLE(3) → SLICE(1, 5) → REDUCE_MEAN(axes=(1,), keepdims=true) → REDUCE_MEAN"
    )
    namespace: dict[str, object] = {}
    exec(compile(to_keras(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    x = np.random.default_rng(5).standard_normal((2, 4, 3, 6)).astype(np.float32)
    theirs = keras.ops.convert_to_numpy(namespace["build"]()(x))
    t = torch.nn.ChannelShuffle(3)(channels_first(x))[:, 1:5].mean(3, keepdim=True).mean((2, 3))
    np.testing.assert_allclose(theirs, t.numpy(), rtol=1e-5, atol=1e-6)
