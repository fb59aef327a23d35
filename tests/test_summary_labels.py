"""The summary's parameter lines say which published figure each one is (issue 22): the total holds BN
statistics, which PyTorch keeps as buffers, so only the trainable count is torchvision's num_params,
while the total is what Keras' model.summary() calls "Total params". Expected figures are published."""

from __future__ import annotations

import re

import pytest

TOTAL, TRAINABLE, NON_TRAINABLE = (
    "total params (= Keras Total params)",
    "trainable (= torchvision num_params)",
    "non-trainable (BN statistics: buffers)",
)


def value(text: str, label: str) -> int:
    line = next(line for line in text.splitlines() if label in line)
    return int(re.search(r"([\d,]+)(?: \(|\*?$|$)", line.split(label, 1)[1].strip()).group(1).replace(",", ""))


@pytest.mark.parametrize(
    ("spec", "trainable", "total"),
    [
        # torchvision num_params; BN channels 64 + 4·64 + 5·128 + 5·256 + 5·512 = 4,800, 2 statistics each
        ("resnet18", 11_689_512, 11_689_512 + 2 * 4_800),
        ("inception_resnet_v2", 55_813_192, 55_873_736),  # Keras: Trainable params, Total params
    ],
)
@pytest.mark.parametrize("form", ["table", "markdown"])
def test_each_parameter_line_names_the_published_figure_it_equals(run_cli, spec, trainable, total, form):
    code, out, _ = run_cli("summary", spec, "--format", form)
    assert code == 0
    assert value(out, TOTAL) == total
    assert value(out, TRAINABLE) == trainable
    assert value(out, NON_TRAINABLE) == total - trainable


def test_the_totals_still_fit_80_columns(run_cli):
    code, out, _ = run_cli("summary", "vgg16")  # 15,470,264,320 MACs: the widest value of the zoo's nets
    assert code == 0
    totals = out[out.index(TOTAL) :].splitlines()[:9]
    assert max(len(line.rstrip()) for line in totals) <= 80, totals
