"""Export to Keras 3 (run on its torch backend): count_params and every layer's shape equal cnncalc's."""

from __future__ import annotations

import os

import pytest

import cnncalc
from cnncalc.export.keras_model import layer_names, to_keras

pytest.importorskip("torch")
os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

NETWORKS = [("keras_fashion_mnist", None), ("mnist1d_cnn", None), ("resnet18", "64x64x3"), ("mobilenet_v2", "64x64x3"),
            ("mobilenet_v1", "64x64x3"), ("densenet121", "64x64x3"), ("inception_3a", "8x8x192"), ("unet", "188x188x1"),
            ("vgg11_bn", None), ("lenet5", None)]  # fmt: skip


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


def test_unsupported_is_named(run_cli):
    code, _, err = run_cli("export", "INPUT(9x9x3) → POOL(2, ceil_mode=true)", "--to", "keras")
    assert code == 2 and "Keras pooling has no ceil mode" in err
