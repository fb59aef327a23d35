"""Every numeric example of the five lecture notes that cnncalc can compute, one test each.

The notes (Spanish, not in the repository) are cited by seed and section: each test's name starts
with its seed, and its first comment names the section and gives the notes' own numbers; the
expected values are worked by hand there, never taken from cnncalc. Where a note errs, the test
asserts the correct value and says so.

The examples, in the notes' order (tests below unless marked otherwise):
  000 "Capa convolucional – Salida": D = (W − F + 2P)/S + 1 (the cs231n examples below use it)
  000 "Capa de unión": LP pooling f(X) = (Σ x^p)^(1/p); typical F = 3, S = 2 and F = 2, S = 2
  000 "Entrenamiento": max pooling sends the gradient to the largest input only
  000 "Convolucional ↔ Completamente conectada": V filters of the input's size, P = 0, S = 1
  000 "CNNs famosas II": GoogLeNet's inception module (1×1, 3×3, 5×5 in parallel)
  001 "Operación de Convolución": the 4×4 image with the kernel (1 0; 0 2), nine steps
      (step 3 writes 70 for 1·10 + 0·0 + 0·30 + 2·20 = 50)
  001 "Operación de Convolución": a 5×5 matrix and a 3×3 filter give 3×3
  001 "Aplanamiento de Capas": 5×5×2 flattens to 50
  002 "¿Cuál es el problema de las redes fully connected?": 3D² + D for a 32×32×3 image
  002 "Convolución de imágenes": the 7×7 image u with the cross kernel h/5, the 7×7 result
  002 "Capa de Convolución": 5×5×3 filter, an inner product of dimension 75 (+ bias)
  002 "Capa de Convolución": 7×7 input, 3×3 filter, stride 1 → 5×5, stride 2 → 3×3, stride 3 → 2.33
  002 "Capa de Convolución": zero pad 1 keeps 7×7; pad (F − 1)/2 for F = 3, 5, 7
  002 "Capa de Convolución": 32 → 28 → 24 with repeated 5×5 filters
  002 "Capa de Convolución": 32×32×3, ten 5×5 filters, stride 1, pad 2 → 32×32×10, 760 parameters
  002 "ConvnetJS": (conv-relu-conv-relu-pool)x3-FC-softmax, "7000 parámetros" — not computable:
      the filter counts are not given (the demo it names has 16/20/20 5×5 filters, 22,466 parameters)
  002 "Arquitectura CNN típica en Keras": the Fashion-MNIST Sequential model, 1,413,834 parameters
  003 "VGG – Convoluciones apiladas": two 3×3 see 5×5, three see 7×7, with fewer parameters
  003 "Inception v2": a 3×3 factored into 1×3 and 3×1 is 33% cheaper; 5×5 into two 3×3
  003 "VGG": depth from 8 (AlexNet) to 19 layers with weights
  004 "Problemas de las MLPs para imágenes": 224×224 = 150528 (it is 224×224×3) and
      150528 × 150528 weights ≈ 22000 millones
  004 "Convolución en 1D": f = (3 4 5), g = (1 2 3 4 5) → 3 10 22 34 46 40 25, s = a + b − 1 = 7
  004 "Capa convolucional 1D": 3 weights and 1 bias; an MLP layer has D×D weights and D biases
  004 "¿Cuántos parámetros?" (1-D and 2-D): Ci·K + 1, Ci·Co·K + Co, Ci·K² + 1, Ci·Co·K² + Co
  004 "¿Tamaño de la salida?": D_o = floor((D_i − K + 2P)/S + 1)
  004 "Red convolucional para MNIST 1D": 2,050 parameters
  004 "MNIST 1D red Fully Connected": 150,185 parameters — not computable: the widths are not given
      (four equal hidden layers cannot give 150,185: 3h² + 54h + 10 has no whole root)
  004 "Backprop con capa convolucional 1D": z0 = T·x + β, dL/dx = Tᵀ·G, dL/dw = X·G
  004 "Convolución 2D como capa lineal": the convolution as a matrix product
  004 "Bajar la resolución": stride 2 keeps one pixel of two; max and mean pooling
  004 "Convolución con kernel 1x1": mixes channels, Ci·Co + Co parameters
  004 "AlexNet (2012)": 60M parameters, 650K neurons, the per-layer table 35K … 4M
  004 "VGG": "Versión de 19 capas, 144M de parámetros"; two 3×3 → 5×5, three → 7×7
  004 "ImageNet": 224×224 images, 1000 classes
"""

from __future__ import annotations

import numpy as np
import pytest

import cnncalc
from cnncalc.analysis.quick import out_size
from cnncalc.executor.worked import convolve, parse_matrix, pool


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


# -- seed 000 ------------------------------------------------------------------------------------


def test_000_lp_pooling_is_the_p_root_of_the_sum_of_powers():
    # 000 "Capa de unión": f(X) = (Σ x^p)^(1/p). Window (3, 4, 0, 0), p = 2: √(9 + 16) = 5;
    # p = 3 on (1, 2, 2, 0): ∛(1 + 8 + 8) = ∛17.
    assert pool(np.array([[3.0, 4], [0, 0]]), 2, kind="lp", power=2).output.tolist() == [[5.0]]
    assert pool(np.array([[1.0, 2], [2, 0]]), 2, kind="lp", power=3).output[0, 0] == pytest.approx(17 ** (1 / 3))


def test_000_typical_pooling_sizes():
    # 000 "Ejemplo": F = 3, S = 2 (overlapping) and F = 2, S = 2. On 224: (224 − 3)/2 + 1 = 111.5 → 111
    # (a column dropped); (224 − 2)/2 + 1 = 112.
    assert cnncalc.load("INPUT(224x224x64) → POOL(3, 2)").shape("max_pool_1") == (111, 111, 64)
    assert cnncalc.load("INPUT(224x224x64) → POOL(2, 2)").shape("max_pool_1") == (112, 112, 64)


def test_000_max_pooling_gradient_goes_to_the_max_only():
    # 000 "Entrenamiento": only the component that had the largest value gets the gradient.
    result = pool(np.array([[1.0, 3], [7, 2]]), 2, upstream=np.array([[5.0]]))
    assert result.grad_input.tolist() == [[0, 0], [5, 0]]


def test_000_fully_connected_as_convolution(run_cli):
    # 000 "Convolucional ↔ Completamente conectada": the FC layer on the 16×16×10 pooled volume is
    # V = 10 filters of 16×16, P = 0, S = 1: 16·16·10·10 + 10 = 25,610 parameters, as the FC layer.
    code, chain, _ = run_cli("convert", "cs231n_example", "--fc-to-conv", "--to", "chain")
    assert code == 0 and chain.strip().endswith("CONV(kernel=16x16, filters=10)")
    converted = cnncalc.load(chain.strip()).summary()
    assert converted.layers[-1].params == 16 * 16 * 10 * 10 + 10 == 25_610
    assert converted.output_shapes == ((1, 1, 10),)
    # on a larger image the same weights slide: (64/2 − 16)/1 + 1 = 17 positions per side
    _, out, err = run_cli("convert", "cs231n_example", "--fc-to-conv", "--to", "chain", "-i", "64x64x3")
    assert "17×17×10" in out + err


# -- seed 001 ------------------------------------------------------------------------------------

SEED_001_IMAGE = "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0"


def test_001_convolution_step_by_step():
    # 001 "Operación de Convolución", the nine steps: 1·a + 0·b + 0·c + 2·d for each 2×2 window.
    # The slide's third step writes 1*10 + 0*0 + 0*30 + 2*20 = 70; the sum is 10 + 40 = 50, which
    # the slide's own output grid then shows (60 70 50).
    result = convolve(parse_matrix(SEED_001_IMAGE, "x"), parse_matrix("1 0; 0 2", "k"), explain=True)
    steps = [
        "1*0 + 0*10 + 0*20 + 2*30 = 60",
        "1*10 + 0*10 + 0*30 + 2*30 = 70",
        "1*10 + 0*0 + 0*30 + 2*20 = 50",
        "1*20 + 0*30 + 0*10 + 2*20 = 60",
        "1*30 + 0*30 + 0*20 + 2*20 = 70",
        "1*30 + 0*20 + 0*20 + 2*10 = 50",
        "1*10 + 0*20 + 0*0 + 2*5 = 20",
        "1*20 + 0*20 + 0*5 + 2*5 = 30",
        "1*20 + 0*10 + 0*5 + 2*0 = 20",
    ]
    assert [cell.text.split(" = ", 1)[1] for cell in result.cells] == steps
    assert result.output.tolist() == [[60, 70, 50], [60, 70, 50], [20, 30, 20]]


def test_001_five_by_five_with_three_by_three_gives_three_by_three():
    # 001 "Operación de Convolución": "la matriz 5*5 se reduce a 3*3": (5 − 3)/1 + 1 = 3.
    assert cnncalc.load("INPUT(5x5x1) → CONV(1, 3)").shape("conv_1") == (3, 3, 1)


def test_001_flatten_five_by_five_by_two():
    # 001 "Aplanamiento de Capas": a 5×5×2 tensor becomes a vector of 5·5·2 = 50.
    assert cnncalc.load("INPUT(5x5x2) → FLATTEN").summary().output_shapes == ((50,),)


# -- seed 002 ------------------------------------------------------------------------------------


def test_002_fully_connected_on_a_32x32_image():
    # 002 "¿Cuál es el problema de las redes fully connected?": 3D² + D with D = 32² = 1024 units:
    # 3·1024² + 1024 = 3,146,752 ≈ 3×10⁶.
    dense = cnncalc.load("INPUT(32x32x3) → FLATTEN → FC(1024)").summary().layers[-1]
    assert dense.params == 3 * 1024**2 + 1024 == 3_146_752


SEED_002_IMAGE = (
    "130 136 53 44 231 67 108; 130 89 77 58 250 154 130; 208 239 120 111 112 181 22;"
    "203 223 59 79 28 57 67; 164 140 215 235 66 30 204; 97 159 50 110 104 76 7; 207 150 58 47 152 81 237"
)
SEED_002_RESULT = [
    [79.2, 81.6, 62.0, 77.2, 118.4, 112.0, 61.0],
    [111.4, 134.2, 79.4, 108.0, 161.0, 156.4, 82.8],
    [156.0, 175.8, 121.2, 96.0, 136.4, 105.2, 80.0],
    [159.6, 172.8, 139.2, 102.4, 68.4, 72.6, 70.0],
    [120.8, 180.2, 139.8, 141.0, 92.6, 86.6, 61.6],
    [125.4, 119.2, 118.4, 109.2, 101.6, 59.6, 104.8],
    [90.8, 114.8, 61.0, 73.4, 76.8, 109.2, 65.0],
]


def test_002_image_convolution_with_the_cross_kernel():
    # 002 "Convolución de imágenes": u * h with h = (1/5)(0 1 0; 1 1 1; 0 1 0), zero padding, all
    # 49 values as the slide prints them; the corner by hand: (130 + 136 + 130)/5 = 79.2.
    kernel = parse_matrix("0 1/5 0; 1/5 1/5 1/5; 0 1/5 0", "h")
    result = convolve(parse_matrix(SEED_002_IMAGE, "u"), kernel, padding="same")
    assert np.round(result.output, 1).tolist() == SEED_002_RESULT


def test_002_filter_inner_product_has_dimension_75():
    # 002 "Capa de Convolución": a 5×5×3 filter is an inner product of 5·5·3 = 75 values, + bias.
    conv = cnncalc.load("INPUT(32x32x3) → CONV(1, 5)").summary().layers[1]
    assert conv.params == 75 + 1
    assert conv.macs == 28 * 28 * 75  # one 75-term inner product per output position


def test_002_zero_pad_one_keeps_seven_by_seven(run_cli):
    # 002 "Capa de Convolución": 7×7 input, 3×3 filter, stride 1, pad 1 → (7 − 3 + 2)/1 + 1 = 7;
    # padding (F − 1)/2 keeps the size: F = 3 → 1, F = 5 → 2, F = 7 → 3.
    assert cnncalc.load("INPUT(7x7x1) → CONV(1, k=3, p=1)").shape("conv_1") == (7, 7, 1)
    for kernel, padding in ((3, 1), (5, 2), (7, 3)):
        code, out, _ = run_cli("solve", "padding", "-W", "7", "-F", str(kernel))
        assert code == 0 and f"P = {padding} on each side → output 7" in out


def test_002_repeated_5x5_filters_shrink_32_to_28_to_24():
    # 002 "Capa de Convolución": 32 − 5 + 1 = 28, 28 − 5 + 1 = 24.
    net = cnncalc.load("INPUT(32x32x3) → CONV(6, 5) → CONV(6, 5)")
    assert [net.shape(name)[0] for name in ("conv_1", "conv_2")] == [28, 24]


# -- seed 003 ------------------------------------------------------------------------------------


def test_003_stacked_3x3_fewer_parameters_than_5x5_and_7x7():
    # 003 "VGG – Convoluciones apiladas": two 3×3 see 5×5, three see 7×7, with fewer parameters:
    # C channels in and out, no bias: 2·9C² = 18C² < 25C², 3·9C² = 27C² < 49C². C = 64.
    c = 64
    two = cnncalc.load(f"INPUT(32x32x{c}) → CONV({c}, 3, p=1, bias=false) → CONV({c}, 3, p=1, bias=false)")
    one = cnncalc.load(f"INPUT(32x32x{c}) → CONV({c}, 5, p=2, bias=false)")
    assert two.receptive_field().final().axes[0].size == 5
    assert two.summary().totals.params == 18 * c * c < one.summary().totals.params == 25 * c * c
    three = cnncalc.load(f"INPUT(32x32x{c}) → " + " → ".join([f"CONV({c}, 3, p=1, bias=false)"] * 3))
    seven = cnncalc.load(f"INPUT(32x32x{c}) → CONV({c}, 7, p=3, bias=false)")
    assert three.receptive_field().final().axes[0].size == 7
    assert three.summary().totals.params == 27 * c * c < seven.summary().totals.params == 49 * c * c


def test_003_factoring_3x3_into_1x3_and_3x1_is_33_percent_cheaper():
    # 003 "Inception v2": 1×3 then 3×1 costs 3 + 3 = 6 multiplications per channel pair against 9:
    # 1 − 6/9 = 33%. And 5×5 as two 3×3: 18 against 25 (28% cheaper).
    c = 32
    factored = cnncalc.load(f"INPUT(17x17x{c}) → CONV({c}, 1x3, p=0x1) → CONV({c}, 3x1, p=1x0)").summary()
    full = cnncalc.load(f"INPUT(17x17x{c}) → CONV({c}, 3, p=1)").summary()
    assert factored.output_shapes == full.output_shapes == ((17, 17, c),)
    assert round(1 - factored.totals.macs / full.totals.macs, 2) == 0.33


def test_003_vgg19_has_19_weight_layers():
    # 003 "VGG": from 8 (AlexNet) to 19 layers with weights: 16 convolutions + 3 fully connected.
    kinds = [r.kind for r in cnncalc.load("vgg19").summary().layers if r.params]
    assert kinds.count("conv") == 16 and kinds.count("dense") == 3
    alexnet = [r.kind for r in cnncalc.load("alexnet_original").summary().layers if r.params]
    assert len(alexnet) == 8


# -- seed 004 ------------------------------------------------------------------------------------


def test_004_image_dimensions_and_a_hidden_layer_of_them():
    # 004 "Problemas de las MLPs para imágenes" writes 224×224 = 150528; 224·224 = 50,176, and
    # 150,528 = 224·224·3 (the three colour channels). One hidden layer as wide as the input:
    # 150,528² = 22,658,678,784 weights ≈ 22,000 millones (the slide writes 150520 × 150528).
    assert 224 * 224 == 50_176
    flat = cnncalc.load("INPUT(224x224x3) → FLATTEN → FC(150528)").summary()
    assert flat.layers[1].output_shape == (150_528,)
    assert flat.layers[2].params == 150_528**2 + 150_528 == 22_658_829_312
    assert round(flat.layers[2].macs / 1e9) == 23  # weights alone: 22.66·10⁹


def test_004_full_one_dimensional_convolution():
    # 004 "Convolución en 1D": f = (3 4 5) flipped and passed over g = (1 2 3 4 5) extended with
    # zeros: s(0) = 3·1 = 3, s(1) = 4·1 + 3·2 = 10, 5 + 8 + 9 = 22, 34, 46, 5·4 + 4·5 = 40, 25;
    # s = a + b − 1 = 3 + 5 − 1 = 7 values.
    result = convolve(parse_matrix("1 2 3 4 5", "g"), parse_matrix("3 4 5", "f"), flip=True, padding="full")
    assert result.output.tolist() == [3, 10, 22, 34, 46, 40, 25]


def test_004_conv1d_layer_against_an_mlp_layer():
    # 004 "Capa convolucional 1D": kernel 3 → 3 weights and 1 bias; an MLP layer of D = 8 inputs
    # and outputs has D×D weights and D biases: 64 + 8 = 72.
    assert cnncalc.load("INPUT(8x1) → CONV(1, 3, p=1)").summary().layers[1].params == 3 + 1
    assert cnncalc.load("INPUT(8) → FC(8)").summary().layers[1].params == 8 * 8 + 8


def test_004_parameter_counts_with_channels():
    # 004 "¿Cuántos parámetros?": 1-D Ci·K + 1 and Ci·Co·K + Co; 2-D Ci·K² + 1 and Ci·Co·K² + Co.
    # Ci = 4, Co = 6, K = 3: 13, 78, 37, 222.
    layer = lambda chain: cnncalc.load(chain).summary().layers[1].params  # noqa: E731
    assert layer("INPUT(10x4) → CONV(1, 3)") == 4 * 3 + 1 == 13
    assert layer("INPUT(10x4) → CONV(6, 3)") == 4 * 6 * 3 + 6 == 78
    assert layer("INPUT(10x10x4) → CONV(1, 3)") == 4 * 9 + 1 == 37
    assert layer("INPUT(10x10x4) → CONV(6, 3)") == 4 * 6 * 9 + 6 == 222


def test_004_output_length_floor():
    # 004 "¿Tamaño de la salida?": D_o = floor((D_i − K + 2P)/S + 1); D_i = 40, K = 3, P = 0, S = 2:
    # floor(37/2 + 1) = floor(19.5) = 19, as the MNIST-1D network's first layer.
    result = out_size(40, 3, S=2)
    assert result.size == 19 and result.exact == 19.5


def test_004_backprop_through_a_1d_convolution():
    # 004 "Backprop con capa convolucional 1D": z0 = T·x + β with T the band of (w1 w2 w3) on 6
    # inputs; dL/dx = Tᵀ·(a b c d)ᵀ and dL/dw = [x1 x2 x3 x4; x2 x3 x4 x5; x3 x4 x5 x6]·(a b c d)ᵀ.
    # w = (2, 3, 5), x = (1 … 6), G = (1, 10, 100, 1000):
    # dL/dx = (2·1, 3·1 + 2·10, 5·1 + 3·10 + 2·100, 5·10 + 3·100 + 2·1000, 5·100 + 3·1000, 5·1000)
    # dL/dw = (1 + 20 + 300 + 4000, 2 + 30 + 400 + 5000, 3 + 40 + 500 + 6000); dL/dβ = 1111.
    result = convolve(np.arange(1.0, 7), np.array([2.0, 3, 5]), upstream=np.array([1.0, 10, 100, 1000]))
    assert result.grad_input.tolist() == [2, 23, 235, 2350, 3500, 5000]
    assert result.grad_kernel.tolist() == [4321, 5432, 6543]
    assert result.grad_bias == 1111


def test_004_convolution_as_a_linear_layer():
    # 004 "Convolución 2D como capa lineal": a 3×3 input, 2×2 kernel (1 2; 3 4): T is 4×9, each
    # row the kernel placed at its window: row 0 = (1 2 0 3 4 0 0 0 0), row 3 = (0 0 0 0 1 2 0 3 4).
    result = convolve(np.arange(1.0, 10).reshape(3, 3), np.array([[1.0, 2], [3, 4]]), as_matrix=True)
    assert result.matrix[0].tolist() == [1, 2, 0, 3, 4, 0, 0, 0, 0]
    assert result.matrix[3].tolist() == [0, 0, 0, 0, 1, 2, 0, 3, 4]
    # out[0,0] = 1·1 + 2·2 + 3·4 + 4·5 = 37
    assert result.output[0, 0] == 37


def test_004_downsampling_by_stride_and_pooling():
    # 004 "Bajar la resolución": keep one pixel of two (a 1×1 window, stride 2), max and mean pooling.
    x = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]])
    assert convolve(x, np.array([[1.0]]), stride=2).output.tolist() == [[1, 3], [9, 11]]
    assert pool(x, 2).output.tolist() == [[6, 8], [14, 16]]
    assert pool(x, 2, kind="avg").output.tolist() == [[3.5, 5.5], [11.5, 13.5]]  # (1 + 2 + 5 + 6)/4


def test_004_one_by_one_convolution_mixes_channels():
    # 004 "Convolución con kernel 1x1": a linear mix of channels; 64 → 16 channels: 64·16 + 16.
    record = cnncalc.load("INPUT(28x28x64) → CONV(16, 1)").summary().layers[1]
    assert record.output_shape == (28, 28, 16) and record.params == 64 * 16 + 16 == 1040


def test_004_alexnet_table_parameters_and_neurons():
    # 004 "AlexNet (2012)": 60M parameters, 650K neurons; the table's weights per layer
    # 35K, 307K, 884K, 1.3M, 442K, 37M, 16M, 4M. By hand (two GPU groups in conv2, conv4, conv5):
    # 11·11·3·96 = 34,848; 5·5·48·256 = 307,200; 3·3·256·384 = 884,736; 3·3·192·384 = 663,552;
    # 3·3·192·256 = 442,368; 6·6·256·4096 = 37,748,736; 4096² = 16,777,216; 4096·1000 = 4,096,000.
    # The table's 1.3M for conv4 is 3·3·384·384 = 1,327,104, the count without groups, while its
    # conv2 and conv5 rows count them: with groups, as the network was trained, it is 663,552.
    # Neurons: 55²·96 + 27²·256 + 2·13²·384 + 13²·256 + 4096 + 4096 + 1000 = 659,272 ≈ 650K.
    summary = cnncalc.load("alexnet_original").summary()
    weights = [r.macs // (r.output_shape[0] * r.output_shape[1] if len(r.output_shape) == 3 else 1)
               for r in summary.layers if r.params]  # fmt: skip
    assert weights == [34_848, 307_200, 884_736, 663_552, 442_368, 37_748_736, 16_777_216, 4_096_000]
    assert 3 * 3 * 384 * 384 == 1_327_104
    assert summary.totals.params == 60_965_224  # "60M"
    assert summary.totals.neurons == 659_272  # "650K neuronas"


def test_004_vgg19_parameters_and_stacked_receptive_fields():
    # 004 "Visual Geometry Group (VGG) Net": "Versión de 19 capas, 144M de parámetros" —
    # torchvision's vgg19 has 143,667,240 ≈ 144M. Two 3×3 → 5×5, three → 7×7 (as seed 003).
    assert cnncalc.load("vgg19").summary().totals.params == 143_667_240
    assert cnncalc.load("INPUT(9x9x1) → CONV(1, 3) → CONV(1, 3)").receptive_field().final().axes[0].size == 5


def test_004_imagenet_input_and_classes():
    # 004 "ImageNet data set": 224×224 images, 1000 classes: every ImageNet network in the zoo
    # (VGG, AlexNet as torchvision) takes 224×224×3 and ends in 1000 scores.
    for name in ("vgg16", "vgg19", "alexnet"):
        summary = cnncalc.load(name).summary()
        assert summary.layers[0].output_shape == (224, 224, 3) and summary.output_shapes == ((1000,),)
