"""The lecture notes' worked examples, with the expected numbers worked by hand in each test."""

from __future__ import annotations

import cnncalc
from cnncalc.analysis.quick import out_size


def test_cs231n_conv_layer_32x32x3_ten_5x5_filters():
    # Seed 002: each filter has 5*5*3 + 1 = 76 parameters; ten filters → 760.
    net = cnncalc.load("INPUT(32x32x3) → CONV(10, k=5, s=1, p=2) → RELU → POOL(2) → FC(10)")
    conv = net.summary().layers[1]
    assert conv.output_shape == (32, 32, 10)  # (32 - 5 + 2*2)/1 + 1 = 32
    assert conv.params == 10 * (5 * 5 * 3 + 1) == 760


def test_seven_by_seven_with_three_by_three():
    # Seed 002 (cs231n): 7×7 input, 3×3 filter; stride 1 → 5×5, stride 2 → 3×3.
    assert cnncalc.load("INPUT(7x7x1) → CONV(1, k=3, s=1)").shape("conv_1") == (5, 5, 1)
    assert cnncalc.load("INPUT(7x7x1) → CONV(1, k=3, s=2)").shape("conv_1") == (3, 3, 1)


def test_stride_three_does_not_fit():
    # (7 - 3)/3 + 1 = 2.33: the layer produces 2 and drops one column.
    result = out_size(7, 3, S=3)
    assert result.size == 2
    assert round(result.exact, 2) == 2.33
    assert not result.fits and result.dropped == 1


def test_keras_fashion_mnist_summary():
    # Seed 002's Sequential model; Keras model.summary() shapes and counts, worked by hand:
    # conv 7×7×1×64+64, 3×3×64×128+128, 3×3×128×128+128, 3×3×128×256+256, 3×3×256×256+256,
    # dense 2304×128+128, 128×64+64, 64×10+10.
    summary = cnncalc.load("keras_fashion_mnist").summary()
    convs = [r for r in summary.layers if r.kind in ("conv", "dense", "max_pool", "flatten")]
    shapes = [r.output_shape for r in convs]
    assert shapes == [
        (28, 28, 64), (14, 14, 64), (14, 14, 128), (14, 14, 128), (7, 7, 128),
        (7, 7, 256), (7, 7, 256), (3, 3, 256), (2304,), (128,), (64,), (10,),
    ]  # fmt: skip
    params = [r.params for r in convs if r.params]
    assert params == [3200, 73856, 147584, 295168, 590080, 295040, 8256, 650]
    assert summary.totals.params == 1_413_834


def test_mnist1d_cnn_from_file_and_inline():
    # Seed 004: 40 → (40-3)//2+1 = 19 → 9 → 4 positions × 15 channels = 60 → 10.
    # params: (1·3·15+15) + 2·(15·3·15+15) + (60·10+10) = 60 + 690 + 690 + 610 = 2,050.
    from_file = cnncalc.load("mnist1d_cnn").summary()
    chain = "INPUT(40x1) → [CONV(15, k=3, s=2) → RELU] x 3 → FLATTEN → FC(10)"
    inline = cnncalc.load(chain).summary()
    for summary in (from_file, inline):
        assert summary.totals.params == 2050
        assert [r.output_shape for r in summary.layers if r.kind == "conv"] == [
            (19, 15), (9, 15), (4, 15)
        ]  # fmt: skip


def test_vgg16_matches_torchvision():
    # torchvision.models.vgg16: 138,357,544 parameters, 15.47 GFLOPS (weights-only MACs).
    summary = cnncalc.load("specs/vgg16.yaml").summary()
    assert summary.totals.params == 138_357_544
    assert round(summary.totals.macs / 1e9, 2) == 15.47
    assert summary.output_shapes == ((1000,),)


def test_inception_module_branches():
    # Szegedy et al. table 1, inception (3a) on 28×28×192, weights + biases by hand:
    # 192·64+64 + 192·96+96 + 96·128·9+128 + 192·16+16 + 16·32·25+32 + 192·32+32 = 163,696.
    summary = cnncalc.load("inception_3a").summary()
    assert summary.output_shapes == ((28, 28, 64 + 128 + 32 + 32),)
    assert summary.totals.params == 163_696
