"""Export to Keras 3 (run on its torch backend): count_params and every layer's shape equal cnncalc's."""

from __future__ import annotations

import os

import pytest

import cnncalc
from cnncalc.export.keras_model import layer_names, to_keras

torch = pytest.importorskip("torch")
os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

NETWORKS = [("keras_fashion_mnist", None), ("mnist1d_cnn", None), ("resnet18", "64x64x3"), ("mobilenet_v2", "64x64x3"),
            ("mobilenet_v1", "64x64x3"), ("densenet121", "64x64x3"), ("inception_3a", "8x8x192"), ("unet", "188x188x1"),
            ("vgg11_bn", None), ("lenet5", None), ("googlenet", "64x64x3"), ("squeezenet1_0", "64x64x3"),
            ("zfnet", "64x64x3"), ("alexnet_original", "67x67x3")]  # fmt: skip


def check(net: cnncalc.Network) -> None:
    namespace: dict[str, object] = {}
    exec(compile(to_keras(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    model = namespace["build"]()
    assert model.count_params() == net.summary().totals.params
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    assert trainable == net.summary().totals.trainable_params
    names = layer_names(net.graph)
    for name in net.layer_names[1:]:
        layer = model.get_layer(names[name])
        assert tuple(layer.output.shape[1:]) == net.shape(name), name


@pytest.mark.parametrize(("name", "size"), NETWORKS, ids=[n for n, _ in NETWORKS])
def test_bundled_specs_export(name, size):
    check(cnncalc.load(name, input=size))


def test_many_kinds():
    chain = (
        "INPUT(12x12x4) → ZEROPAD(((1,0),(0,1))) → CONV(8, 3, p=1, g=2) → BN → PRELU → DECONV(6, 3, s=2, p=1, op=1) → "
        "SEPARABLE_CONV(6, 3, p=same) → DWCONV(3, p=1, dm=2) → GROUPNORM(3) → POOL(3, 2, p=1) → "
        "AVGPOOL(2) → UPSAMPLE(2, mode=bilinear) → INSTANCENORM(affine=true) → LAYERNORM → CROP(1) → "
        "ADAPTIVE_AVG_POOL(2) → RESHAPE(4x12) → FLATTEN → FC(5) → LEAKY_RELU(0.2) → ELU → GELU → DROPOUT(0.1) → SOFTMAX"
    )
    check(cnncalc.load(chain))


def test_batch_norm_without_scale_or_center():
    # Keras's conv2d_bn builds BatchNormalization(scale=False): β only, 8 trainable + 16 statistics
    net = cnncalc.load("INPUT(6x6x3) → CONV(8, 3, bias=false) → BN(scale=false) → BN(center=false) → RELU")
    assert (net.summary().layers[2].trainable_params, net.summary().layers[2].non_trainable_params) == (8, 16)
    check(net)


# What Keras has no layer for is written out; each must compute what PyTorch's own functions compute
# (the judge, channels first) and what cnncalc's executor computes (for the asymmetric padding
# PyTorch's pooling cannot take).
F = torch.nn.functional
SAME_NUMBERS = {
    "lrn": ("INPUT(5x5x7) → LRN(5, alpha=0.1, beta=0.75, k=2)", lambda t: F.local_response_norm(t, 5, 0.1, 0.75, 2.0)),
    "lrn of even size, 1-D": (
        "INPUT(6x4) → LRN(4, alpha=0.5, beta=0.5, k=1)",
        lambda t: F.local_response_norm(t, 4, 0.5, 0.5, 1.0),
    ),
    "ceil max pool": ("INPUT(10x9x2) → POOL(3, 2, ceil_mode=true)", lambda t: F.max_pool2d(t, 3, 2, ceil_mode=True)),
    "padded ceil max pool": (
        "INPUT(10x8x2) → POOL(3, 2, p=1, ceil_mode=true)",
        lambda t: F.max_pool2d(t, 3, 2, 1, ceil_mode=True),
    ),
    "asymmetric ceil max pool": ("INPUT(7x8x2) → MAXPOOL(k=3x2, s=2x3, p=((0,1),(1,1)), ceil_mode=true)", None),
    "padded max pool of negatives": ("INPUT(6x6x2) → POOL(3, 2, p=1)", lambda t: F.max_pool2d(t, 3, 2, 1)),
    "padded avg pool, padding counted": ("INPUT(7x7x2) → AVGPOOL(3, 2, p=1)", lambda t: F.avg_pool2d(t, 3, 2, 1)),
    "same avg pool": ("INPUT(7x7x2) → AVGPOOL(3, 2, p=same)", None),
}


@pytest.mark.parametrize("case", sorted(SAME_NUMBERS))
def test_written_out_layers_compute_what_pytorch_computes(case):
    import numpy as np

    spec, oracle = SAME_NUMBERS[case]
    net = cnncalc.load(spec)
    namespace: dict[str, object] = {}
    exec(compile(to_keras(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    model = namespace["build"]()
    x = np.random.default_rng(3).standard_normal((2, *net.shape("input"))).astype(np.float32) - 0.5
    theirs = keras.ops.convert_to_numpy(model(x))
    if oracle is not None:
        expected = oracle(torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))).numpy()
        np.testing.assert_allclose(theirs, np.moveaxis(expected, 1, -1), rtol=1e-5, atol=1e-6)
    ours = net.run(data=x).outputs[net.graph.spec.outputs[0]]
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "spec,message",
    [
        ("INPUT(10x10x3) → AVGPOOL(3, 2, ceil_mode=true)", "make the windows fit with ZEROPAD"),
        ("INPUT(9x9x3) → AVGPOOL(3, 2, p=1, count_include_pad=false)", "use count_include_pad=true, or padding=same"),
        ("INPUT(9x9x3) → POOL(3, 2, dilation=2)", "Keras pooling has no dilation"),
    ],
)
def test_what_cannot_be_exact_is_refused_with_how(run_cli, spec, message):
    code, _, err = run_cli("export", spec, "--to", "keras")
    assert code == 2 and message in err, err
