"""Symbolic shapes and MACs: the expressions, evaluated at many sizes, equal the numeric analysis."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.errors import SpecError

SPECS = {
    "lenet5": 1,
    "resnet18": 3,
    "INPUT(32x32x3) → CONV(8, 3, p=same, s=2) → RELU → DECONV(4, 2, s=2) → UPSAMPLE(2) → ZEROPAD(1)": 3,
    "INPUT(32x32x3) → CONV(8, 5, s=3) → POOL(3, s=2, ceil=true) → CONV(4, 3, d=2) → FLATTEN → FC(10)": 3,
}


@pytest.mark.parametrize("spec", sorted(SPECS))
@settings(max_examples=25, deadline=None)
@given(height=st.integers(1, 260), width=st.integers(1, 260))
def test_expressions_equal_the_numbers_at_every_size(spec, height, width):
    try:
        numeric = cnncalc.load(spec, input=f"{height}x{width}x{SPECS[spec]}").summary()
    except SpecError:
        assume(False)
    expressions = cnncalc.load(spec).symbolic()
    values = expressions.evaluate({"H": height, "W": width})
    assert [shape for shape, _ in values] == [record.output_shape for record in numeric.layers]
    assert [macs for _, macs in values] == [record.macs for record in numeric.layers]
    assert expressions.macs.evaluate({"H": height, "W": width}) == numeric.totals.macs


@settings(max_examples=25, deadline=None)
@given(height=st.integers(188, 700), width=st.integers(188, 700))
def test_unet_expressions_equal_the_numbers_at_every_size(height, width):
    """U-Net's crop-and-copy merges paths of different sizes; valid from 188 (4 poolings, 18 convs)."""
    numeric = cnncalc.load("unet", input=f"{height}x{width}x1").summary()
    values = cnncalc.load("unet").symbolic().evaluate({"H": height, "W": width})
    assert [shape for shape, _ in values] == [record.output_shape for record in numeric.layers]
    assert [macs for _, macs in values] == [record.macs for record in numeric.layers]


def test_what_a_student_writes():
    layers = {layer.name: layer for layer in cnncalc.load("lenet5").symbolic().layers}
    assert [str(e) for e in layers["conv_1"].shape] == ["H − 4", "W − 4", "6"]
    assert [str(e) for e in layers["max_pool_1"].shape] == ["⌊(H − 6)/2⌋ + 1", "⌊(W − 6)/2⌋ + 1", "6"]
    assert str(layers["conv_1"].macs) == "150·H·W − 600·H − 600·W + 2400"  # 1·6·5² per position, (H−4)(W−4)
    resnet = cnncalc.load("resnet18").symbolic()
    assert str(resnet.macs).startswith("9408·(⌊(H − 1)/2⌋ + 1)·(⌊(W − 1)/2⌋ + 1)")  # the 7×7/2 stem: 3·64·7²
    same = cnncalc.load("INPUT(32x32x3) → [CONV(8, 3, p=1) → RELU] x 2").symbolic()
    assert same.macs.is_polynomial and str(same.macs) == "792·H·W"  # (3·8 + 8·8)·3² per position


def test_unets_crop_takes_the_decoders_size():
    layers = {layer.name: layer for layer in cnncalc.load("unet").symbolic().layers}
    crop, upconv = layers["up4.crop"], layers["up4.upconv"]
    assert [str(e) for e in crop.shape[:-1]] == [str(e) for e in upconv.shape[:-1]]
    assert str(layers["classes"].shape[0]) == "16·⌊(H − 76)/16⌋ − 108"  # 572 → 388: four poolings and up-convs


def test_merges_of_differently_sized_paths_are_refused_clearly():
    residual = {
        "input": "16x16x4",
        "layers": [{"conv": {"filters": 4, "kernel": 3, "stride": 2, "padding": 1}, "name": "a"},
                   {"conv": {"filters": 4, "kernel": 2, "stride": 2}, "name": "b", "inputs": "input"},
                   {"add": None, "inputs": ["a", "b"]}],
    }  # fmt: skip
    with pytest.raises(SpecError, match=r"no symbolic shape for layer 'add_1' \(add\): its inputs have different"):
        cnncalc.load(residual).symbolic()


def test_command_line(run_cli):
    code, out, _ = run_cli("summary", "INPUT(32x32x3) → CONV(8, 3) → POOL(2)", "--input", "AxBx3", "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["axes"] == ["A", "B"]
    assert result["layers"][-1]["output_shape"] == ["⌊(A − 4)/2⌋ + 1", "⌊(B − 4)/2⌋ + 1", "8"]
    code, out, _ = run_cli("summary", "INPUT(32x32x3) → CONV(8, 3)", "--symbolic")
    assert code == 0 and "total MACs (a polynomial) = 216·H·W − 432·H − 432·W + 864" in out
    code, out, _ = run_cli("summary", "INPUT(32x32x3) → CONV(8, 3)", "--input", "HxWx5", "--symbolic")
    assert code == 0 and "360·H·W" in out  # 5·8·3² per position with five input channels
