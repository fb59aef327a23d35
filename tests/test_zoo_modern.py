"""The twelve modern nets of issue 22 against torchvision itself.

Expected values come from tests/fixtures/torchvision/truth.json, recorded from torchvision 0.29.1 by
benchmarks/torchvision_truth.py (trainable parameters, batch-norm running statistics, weights-only
MACs by Conv/Linear forward hooks, output shape, fvcore's total on the same model), and from
torchvision's published num_params, typed here from docs.pytorch.org/vision/stable/models (each
model's page, "num_params"). None come from running cnncalc.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cnncalc
from cnncalc.errors import SpecError

TRUTH = Path(__file__).resolve().parent / "fixtures" / "torchvision" / "truth.json"
SIZES = (224, 97, 193, 257)

# docs.pytorch.org/vision/stable/models: num_params of each model's IMAGENET1K weights.
PUBLISHED = {
    "resnext50_32x4d": 25_028_904,
    "wide_resnet50_2": 68_883_240,
    "shufflenet_v2_x1_0": 2_278_604,
    "mnasnet1_0": 4_383_312,
    "efficientnet_b0": 5_288_548,
    "mobilenet_v3_small": 2_542_856,
    "mobilenet_v3_large": 5_483_032,
    "regnet_x_400mf": 5_495_976,
    "regnet_y_400mf": 4_344_144,
    "convnext_tiny": 28_589_128,
    "squeezenet1_1": 1_235_496,
    "densenet169": 14_149_480,
}


def recorded(name: str) -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))["models"][name]


def channels_last(shape: list[int]) -> tuple[int, ...]:
    """torch's (C, H, W) or (classes,) as cnncalc writes it: (H, W, C) or (classes,)."""
    return (*shape[1:], shape[0])


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_truth_records_the_published_parameter_count(name):
    entry = recorded(name)
    assert entry["published"]["num_params"] == PUBLISHED[name]
    assert all(entry[str(size)]["trainable"] == PUBLISHED[name] for size in SIZES)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_equals_torchvision(name, size):
    truth = recorded(name)[str(size)]
    if "error" in truth:  # torchvision refuses this size: cnncalc must refuse it too, not invent numbers
        with pytest.raises(SpecError):
            cnncalc.load(name, input=f"{size}x{size}x3").summary()
        return
    summary = cnncalc.load(name, input=f"{size}x{size}x3").summary()
    totals = summary.totals
    assert totals.trainable_params == truth["trainable"] == PUBLISHED[name]
    # cnncalc's non-trainable parameters are torchvision's running_mean and running_var buffers
    # (num_batches_tracked, one counter per batch norm, is not a parameter of the network).
    assert totals.non_trainable_params == truth["running_stats"]
    assert totals.macs == truth["macs"]
    assert summary.output_shapes == (channels_last(truth["output_shape"]),)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_fvcore_convention_equals_fvcore_on_torchvision(name, size):
    # fvcore 0.1.5's FlopCountAnalysis(model, x).total() on torchvision's model: its batch norm, layer
    # norm and adaptive pooling handles differ from the plain MACs, and it skips x.mean (MNASNet).
    truth = recorded(name)[str(size)]
    assert cnncalc.load(name, input=f"{size}x{size}x3").count("fvcore").total == truth["fvcore"]
