"""Every class of bad input ends in one clear message and exit code 2 — never a traceback."""

from __future__ import annotations

import json

import pytest

HEADER = "input: 8x8x3\nlayers:\n"
CASES = {
    "malformed_yaml": (
        HEADER + "  - conv: {filters: 4, kernel: 3\n",
        ["bad.yaml:4:1", "invalid YAML"],
    ),
    "unknown_layer": (
        HEADER + "  - convv: {filters: 4, kernel: 3}\n",
        ["bad.yaml:3:5", "unknown layer 'convv'", "did you mean CONV?"],
    ),
    "unknown_argument": (
        HEADER + "  - conv: {filters: 4, kernal: 3}\n",
        ["no argument 'kernal'", "did you mean 'kernel'?"],
    ),
    "wrong_type": (
        HEADER + "  - conv: {filters: four, kernel: 3}\n",
        ["bad.yaml:3:5", "filters", "valid integer", "'four'"],
    ),
    "missing_argument": (HEADER + "  - conv: {kernel: 3}\n", ["conv needs 'filters'"]),
    "non_positive_size": (
        "input: 8x0x3\nlayers:\n  - relu\n",
        ["bad.yaml:1:1", "input shape must be positive sizes", "'8x0x3'"],
    ),
    "negative_stride": (
        HEADER + "  - conv: {filters: 4, kernel: 3, stride: -1}\n",
        ["stride must be a positive integer", "got -1"],
    ),
    "float_kernel": (
        HEADER + "  - conv: {filters: 4, kernel: 2.5}\n",
        ["kernel must be a positive integer", "2.5"],
    ),
    "kernel_larger_than_input": (
        "input: 4x4x3\nlayers:\n  - conv: {filters: 4, kernel: 5}\n",
        ["layer 'conv_1'", "kernel span 5 is larger than the padded input 4"],
    ),
    "shape_reaches_zero": (
        HEADER + "  - POOL(2) -> POOL(2) -> POOL(2) -> POOL(2)\n",
        ["layer 'max_pool_4'", "output collapses to 0", "input 1×1×3"],
    ),
    "channel_mismatch_add": (
        HEADER + "  - {name: a, conv: {filters: 4, kernel: 1}}\n  - {name: s, add: null, inputs: [input, a]}\n",
        ["layer 's'", "channel mismatch at add", "8×8×3, 8×8×4"],
    ),
    "spatial_mismatch_concat": (
        HEADER + "  - {name: a, conv: {filters: 4, kernel: 3}}\n  - {name: s, concat: null, inputs: [input, a]}\n",
        ["spatial mismatch at concat", "8×8×3, 6×6×4"],
    ),
    "unknown_reference": (
        HEADER + "  - {name: a, inputs: [nothere], relu: null}\n",
        ["bad.yaml:3:15", "unknown input 'nothere'"],
    ),
    "later_reference": (
        HEADER + "  - {name: a, inputs: [c], relu: null}\n  - {name: c, relu: null}\n",
        ["input 'c' is defined later (line 4)"],
    ),
    "cycle": (
        HEADER + "  - {name: a, inputs: [b], relu: null}\n  - {name: b, inputs: [a], relu: null}\n",
        ["cycle: a → b → a"],
    ),
    "self_reference": (
        HEADER + "  - {name: a, inputs: [a], relu: null}\n",
        ["lists itself as an input (a cycle)"],
    ),
    "duplicate_name": (
        HEADER + "  - {name: a, relu: null}\n  - {name: a, relu: null}\n",
        ["bad.yaml:4:5", "duplicate layer name 'a' (first defined at line 3)"],
    ),
    "groups_not_dividing": (
        HEADER + "  - conv: {filters: 4, kernel: 1, groups: 2}\n",
        ["groups=2", "divisible by 2", "3 and 4"],
    ),
    "unknown_top_level_key": (
        "input: 8x8x3\nlayer:\n  - relu\n",
        ["unknown top-level key 'layer'", "did you mean 'layers'?"],
    ),
    "duplicate_key": (
        "input: 8x8x3\ninput: 4x4x3\nlayers: [relu]\n",
        ["bad.yaml:2:1", "duplicate key 'input'"],
    ),
    "yaml11_boolean": (
        HEADER + "  - conv: {filters: 4, kernel: 3, bias: no}\n",
        ["'no' is ambiguous"],
    ),
    "python_tag": (
        "input: !!python/object/apply:os.system ['echo hi']\nlayers: [relu]\n",
        ["bad.yaml:1:8", "unsupported YAML tag"],
    ),
    "unknown_block": (HEADER + "  - {block: nope}\n", ["unknown block 'nope'"]),
    "empty_file": ("", ["bad.yaml is empty"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_spec_file(name, tmp_path, run_cli):
    text, expected = CASES[name]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("summary", str(path))
    assert code == 2, (out, err)
    assert out == ""
    message = " ".join(err.split())
    for fragment in expected:
        assert fragment in message, message
    assert "Traceback" not in err


CHAIN_CASES = {
    "INPUT(8x8x3) → CONV(4, 3": ["column 25", "expected ')'"],
    "INPUT(8x8x3) → FOO(3)": ["column 16", "unknown layer 'FOO'"],
    "CONV(4, 3) → RELU": ["does not start with INPUT", "--input"],
    "INPUT(8x8x3) → [CONV(4,3) → RELU] x 0": ["repeat count 0 is outside"],
    "INPUT(8x8x3) → CONV(4, 3, 1, 1, 1)": ["takes 4 positional argument(s)", "but 5 were given"],
    "INPUT(8x8x3) → CONV(4, k=3, k=5)": ["gets 'kernel' twice"],
    "INPUT(8x8x3) → CONV(k=3, 4)": ["positional argument after keyword"],
    "INPUT(8x8x3) # CONV(4, 3)": ["unexpected character '#'"],
}


@pytest.mark.parametrize("chain", sorted(CHAIN_CASES))
def test_bad_chain(chain, run_cli):
    code, _out, err = run_cli("summary", chain)
    assert code == 2
    message = " ".join(err.split())
    for fragment in CHAIN_CASES[chain]:
        assert fragment in message, message


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


def test_directory_binary_and_non_utf8(tmp_path, run_cli):
    assert "is a directory" in run_cli("summary", str(tmp_path))[2]
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    assert "binary file" in run_cli("summary", str(binary))[2]
    latin = tmp_path / "y.yaml"
    latin.write_bytes("input: 8x8x3\nname: caf\xe9\n".encode("latin-1"))
    code, _, err = run_cli("summary", str(latin))
    assert code == 2 and "not valid UTF-8" in err and "y.yaml:2" in err


def test_bad_set_and_input_options(run_cli):
    code, _, err = run_cli("summary", "vgg16", "--set", "num_clases=10")
    assert code == 2 and "no parameter 'num_clases'" in err and "did you mean 'num_classes'?" in err
    code, _, err = run_cli("summary", "vgg16", "--input", "0x3")
    assert code == 2 and "positive sizes" in err


def test_json_errors_are_machine_readable(tmp_path, run_cli):
    path = tmp_path / "bad.yaml"
    path.write_text(CASES["unknown_layer"][0], encoding="utf-8")
    code, out, err = run_cli("summary", str(path), "--format", "json")
    assert code == 2 and out == ""
    error = json.loads(err)
    assert error["error"] == "validation"
    assert error["line"] == 3 and error["file"].endswith("bad.yaml")
    assert error["hint"] == "did you mean CONV?"
