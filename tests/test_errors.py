"""Bad options and API-level errors; the corpus of bad specs is in test_bad_specs.py."""

from __future__ import annotations

import json


def test_bare_chain_names_what_each_layer_needs(run_cli):
    code, _, err = run_cli("summary", "INPUT→CONV→RELU→POOL→FC")
    assert code == 2
    assert "4 layers are incomplete" in err
    assert "INPUT needs 'shape' — e.g. INPUT(32x32x3)" in err
    assert "CONV needs 'filters' and 'kernel'" in err
    assert "POOL needs 'kernel' — e.g. POOL(2)" in err
    assert "FC needs 'units' — e.g. FC(10)" in err
    assert "RELU" not in err  # RELU needs nothing


def test_missing_file_and_bundled_name_suggestion(run_cli):
    code, _, err = run_cli("summary", "vgg17")
    assert code == 2 and "no such file or bundled spec: 'vgg17'" in err and "'vgg16'" in err


def test_bad_set_and_input_options(run_cli):
    code, _, err = run_cli("summary", "vgg16", "--set", "num_clases=10")
    assert code == 2 and "no parameter 'num_clases'" in err and "did you mean 'num_classes'?" in err
    code, _, err = run_cli("summary", "vgg16", "--input", "0x3")
    assert code == 2 and "positive sizes" in err


def test_json_errors_are_machine_readable(tmp_path, run_cli):
    path = tmp_path / "bad.yaml"
    path.write_text("input: 8x8x3\nlayers:\n  - convv: {filters: 4, kernel: 3}\n", encoding="utf-8")
    code, out, err = run_cli("summary", str(path), "--format", "json")
    assert code == 2 and out == ""
    error = json.loads(err)
    assert error["error"] == "validation"
    assert error["line"] == 3 and error["file"].endswith("bad.yaml")
    assert error["hint"] == "did you mean CONV?"


def test_input_override_keeps_the_spec_rank(run_cli):
    # 64x64 for VGG-16 would silently make every convolution 1-D (length 64, 64 channels)
    code, _, err = run_cli("summary", "vgg16", "--input", "64x64")
    assert code == 2 and "64x64 has 2 axes, but the spec's input 224x224x3 has 3" in err and "64x64x3" in err
    code, _, err = run_cli("summary", "INPUT(32x32x3) → CONV(4, 3)", "--input", "16x16x1x2")
    assert code == 2 and "has 4 axes" in err
    assert run_cli("summary", "vgg16", "--input", "64x64x3")[0] == 0


def test_reflect_and_circular_padding_stay_within_the_input():
    import pytest

    import cnncalc

    # PyTorch: reflect needs padding < size ("Padding size should be less than the corresponding input
    # dimension"); circular allows up to the size ("wrapping around more than once" beyond it)
    with pytest.raises(cnncalc.SpecError, match="reflect padding of 3 on axis L must be smaller than the input's 3"):
        cnncalc.load("INPUT(3x2) → CONV(1, k=3, p=3, padding_mode=reflect)")
    with pytest.raises(cnncalc.SpecError, match="circular padding of 4 on axis L must be at most the input's 3"):
        cnncalc.load("INPUT(3x2) → CONV(1, k=3, p=4, padding_mode=circular)")
    assert cnncalc.load("INPUT(3x2) → CONV(1, k=3, p=2, padding_mode=reflect)").shape("conv_1") == (5, 1)
    assert cnncalc.load("INPUT(3x2) → CONV(1, k=3, p=3, padding_mode=circular)").shape("conv_1") == (7, 1)


def test_a_mistyped_layer_name_gets_the_closest_names(run_cli):
    code, _, err = run_cli("receptive-field", "vgg16", "--layer", "stage1.conv1")
    assert code == 2 and "did you mean 'stage1.conv_1'" in err
    code, _, err = run_cli("explain", "lenet5", "--layer", "conv1")
    assert code == 2 and "did you mean 'conv_1'" in err


def test_a_trailing_comma_in_json_gets_a_hint(tmp_path, run_cli):
    spec = tmp_path / "bad.json"
    spec.write_text('{"input": "8x8x3", "layers": ["RELU",]}')
    code, _, err = run_cli("summary", str(spec))
    assert code == 2 and "invalid JSON" in err and "no comma after the last item" in err


def test_dilation_zero_says_one_means_none():
    import pytest

    import cnncalc

    with pytest.raises(cnncalc.SpecError, match="1 = no dilation"):
        cnncalc.load("INPUT(8x8x3) → CONV(4, 3, d=0)")
