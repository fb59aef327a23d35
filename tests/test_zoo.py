"""The architecture zoo against published figures (torchvision num_params and GFLOPS, Keras totals).

Expected values are the published numbers, typed here; none come from running cnncalc.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import cnncalc
from cnncalc.spec import bundled_names

SPECS = Path(__file__).resolve().parent.parent / "specs"

# name: (trainable parameters as published, torchvision GFLOPS or None)
PUBLISHED = {
    "lenet5": (61_706, None),
    "alexnet": (61_100_840, 0.71),
    "alexnet_original": (60_965_224, None),  # Caffe bvlc_alexnet
    "vgg11": (132_863_336, 7.61),
    "vgg13": (133_047_848, 11.31),
    "vgg16": (138_357_544, 15.47),
    "vgg19": (143_667_240, 19.63),
    "vgg11_bn": (132_868_840, 7.61),
    "vgg13_bn": (133_053_736, 11.31),
    "vgg16_bn": (138_365_992, 15.47),
    "vgg19_bn": (143_678_248, 19.63),
    "googlenet": (6_624_904, 1.50),
    "inception_v3": (23_834_568, 5.71),
    "inception_resnet_v2": (55_813_192, None),  # Keras model.summary(): trainable params
    "resnet18": (11_689_512, 1.81),
    "resnet34": (21_797_672, 3.66),
    "resnet50": (25_557_032, 4.09),
    "resnet101": (44_549_160, 7.80),
    "resnet152": (60_192_808, 11.51),
    "densenet121": (7_978_856, 2.83),
    "mobilenet_v2": (3_504_872, 0.30),
    "squeezenet1_0": (1_248_424, 0.82),
    # Issue 22's modern nets (tests/test_zoo_modern.py compares them with torchvision at four sizes)
    "resnext50_32x4d": (25_028_904, 4.23),
    "wide_resnet50_2": (68_883_240, 11.40),
    "squeezenet1_1": (1_235_496, 0.35),
    "densenet169": (14_149_480, 3.36),
    "shufflenet_v2_x1_0": (2_278_604, 0.14),
    "mnasnet1_0": (4_383_312, 0.31),
    "efficientnet_b0": (5_288_548, 0.39),
    "mobilenet_v3_small": (2_542_856, 0.06),
    "mobilenet_v3_large": (5_483_032, 0.22),
    "regnet_x_400mf": (5_495_976, 0.41),
    "regnet_y_400mf": (4_344_144, 0.40),
    "convnext_tiny": (28_589_128, 4.46),
    "keras_fashion_mnist": (1_413_834, None),
    "mnist1d_cnn": (2_050, None),
}
REQUIRED = {
    *PUBLISHED, "zfnet", "mobilenet_v1", "unet", "hourglass", "deconvnet", "convnetjs_cifar10", "cs231n_example",
}  # fmt: skip
# A small input at which each network still works, for the executor.
SMALL_INPUT = {
    "alexnet": "64x64x3", "alexnet_original": "67x67x3", "zfnet": "64x64x3", "inception_v3": "75x75x3",
    "inception_resnet_v2": "75x75x3",
    "unet": "188x188x1", "hourglass": "64x64x3", "deconvnet": None, "inception_3a": "8x8x192",
}  # fmt: skip


def totals(name: str, **kwargs):
    return cnncalc.load(name, **kwargs).summary().totals


def test_every_required_network_is_bundled():
    assert set(bundled_names()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_parameters_and_gflops(name):
    trainable, gflops = PUBLISHED[name]
    t = totals(name)
    assert t.trainable_params == trainable
    if gflops is not None:
        assert round(t.macs / 1e9, 2) == gflops


def test_totals_with_batch_norm_statistics_match_keras():
    assert totals("mobilenet_v2").params == 3_538_984  # Keras MobileNetV2: total params
    mobilenet_v1 = totals("mobilenet_v1")  # Keras MobileNet(alpha=1.0): 4,253,864 = 4,231,976 + 21,888
    assert (mobilenet_v1.params, mobilenet_v1.trainable_params) == (4_253_864, 4_231_976)
    # Keras InceptionResNetV2: 55,873,736 = 55,813,192 + 60,544 (batch norms without γ: β trained, 2 statistics)
    irv2 = totals("inception_resnet_v2")
    assert (irv2.params, irv2.non_trainable_params) == (55_873_736, 60_544)


def test_auxiliary_heads():
    assert totals("googlenet", params={"aux_logits": True}).trainable_params == 13_004_888
    assert totals("inception_v3", params={"aux_logits": True}).trainable_params == 27_161_264
    outputs = cnncalc.load("googlenet", params={"aux_logits": True}).summary().output_shapes
    assert outputs.count((1000,)) == 3


def test_unet_as_in_the_paper():
    net = cnncalc.load("unet")
    assert net.summary().output_shapes == ((388, 388, 2),)
    # Hand count: 3×3 convolutions (in, out) with biases, 2×2 up-convolutions, the 1×1 classifier.
    convs = [(1, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 512), (512, 512),
             (512, 1024), (1024, 1024), (1024, 512), (512, 512), (512, 256), (256, 256), (256, 128),
             (128, 128), (128, 64), (64, 64)]  # fmt: skip
    ups = [(1024, 512), (512, 256), (256, 128), (128, 64)]
    expected = sum(a * b * 9 + b for a, b in convs) + sum(a * b * 4 + b for a, b in ups) + 64 * 2 + 2
    assert net.summary().totals.params == expected
    # The paper's figure: 568 → 392 crop for the first skip, 64 → 56 for the deepest one.
    assert net.shape("up1.crop") == (392, 392, 64) and net.shape("up4.crop") == (56, 56, 512)


def test_segmentation_and_pose_outputs():
    assert cnncalc.load("hourglass").summary().output_shapes == ((64, 64, 16),)
    assert cnncalc.load("deconvnet").summary().output_shapes == ((224, 224, 21),)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_spec_documents_itself_and_takes_overrides(name):
    spec = cnncalc.load(name).spec
    assert spec.description and spec.source and spec.name == name
    assert len((SPECS / f"{name}.yaml").read_text(encoding="utf-8").splitlines()) < 150  # short, readable
    if "num_classes" in spec.params:
        out = cnncalc.load(name, params={"num_classes": 7}).summary().output_shapes[0]
        assert out[-1] == 7


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(bundled_names())))
def test_every_spec_runs_through_the_executor(name):
    size = SMALL_INPUT.get(name, "64x64x3")
    net = cnncalc.load(name)
    if size and len(net.shape("input")) != 3:
        size = None
    result = cnncalc.load(name, input=size).run()
    assert result.ok, [c for c in result.checks if not c.ok][:3]


def test_zoo_command_lists_everything_and_docs_are_generated(run_cli):
    code, out, _ = run_cli("zoo", "--format", "markdown")
    assert code == 0
    for name in REQUIRED:
        assert f"| {name} |" in out
    docs = (SPECS.parent / "docs" / "zoo.md").read_text(encoding="utf-8")
    assert docs.rstrip("\n") == out.rstrip("\n"), "regenerate: cnncalc zoo --format markdown > docs/zoo.md"


def test_zoo_json_keeps_whole_descriptions_and_whole_numbers(run_cli):
    import json

    networks = {n["name"]: n for n in json.loads(run_cli("zoo", "--format", "json")[1])["networks"]}
    alexnet = networks["alexnet"]
    assert not alexnet["description"].endswith("…") and "three fully connected layers" in alexnet["description"]
    assert alexnet["final_receptive_field"] == [195, 195] and all(
        type(v) is int for v in alexnet["final_receptive_field"]
    )


def test_neurons_are_the_outputs_of_convolutions_and_dense_layers():
    # Krizhevsky et al. 2012: "650,000 neurons". Their net by hand: 96·55² + 256·27² + 384·13² + 384·13²
    # + 256·13² + 4096 + 4096 + 1000 = 290,400 + 186,624 + 64,896 + 64,896 + 43,264 + 9,192 = 659,272
    assert cnncalc.load("alexnet_original").summary().totals.neurons == 659_272
    # MNIST-1D CNN: 19·15 + 9·15 + 4·15 + 10 = 490; activations, pools and flatten are not neurons
    assert cnncalc.load("mnist1d_cnn").summary().totals.neurons == 490


def test_the_seed_002_convnetjs_summary_with_ten_filters():
    # (conv-relu-conv-relu-pool)×3, FC, softmax with 3×3 filters: 3·10·9 + 10 = 280, five more
    # 10·10·9 + 10 = 910 each, and FC (4·4·10)·10 + 10 = 1,610: 6,440, the seed's "about 7,000"
    chain = "INPUT(32x32x3) → [[CONV(10, 3, p=1) → RELU] x 2 → POOL(2)] x 3 → FC(10) → SOFTMAX"
    assert totals(chain).params == 280 + 5 * 910 + 1_610 == 6_440
