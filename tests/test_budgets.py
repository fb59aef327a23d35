"""CI budgets in lint (B001–B005): quantities, depth as the networks' names count it, exit codes."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnncalc
from cnncalc.analysis.lint.budgets import parse_bytes, parse_count
from cnncalc.analysis.lint.model import LintContext
from cnncalc.analysis.lint.walk import weighted_depth
from cnncalc.errors import SpecError


def test_quantities_as_written_by_hand():
    assert parse_count("5M", "x") == 5_000_000
    assert parse_count("2.5G", "x") == 2_500_000_000
    assert parse_count("224", "x") == 224
    assert parse_bytes("100MB", "x") == 100_000_000
    assert parse_bytes("1GiB", "x") == 1_073_741_824
    assert parse_bytes("512 KiB", "x") == 524_288
    with pytest.raises(SpecError, match="unknown suffix 'X'"):
        parse_count("5X", "x")
    with pytest.raises(SpecError, match="is not a quantity"):
        parse_count("five", "x")


@given(st.integers(0, 10**6), st.sampled_from([("k", 10**3), ("M", 10**6), ("G", 10**9), ("T", 10**12)]))
def test_suffixes_multiply(number, suffix):
    letter, factor = suffix
    assert parse_count(f"{number}{letter}", "x") == number * factor


@pytest.mark.parametrize(
    ("name", "depth"),
    [
        ("lenet5", 5),
        ("alexnet", 8),
        ("vgg16", 16),
        ("vgg19", 19),
        ("resnet18", 18),
        ("resnet50", 50),
        ("resnet152", 152),
    ],
)
def test_depth_is_the_number_in_the_networks_name(name, depth):
    assert weighted_depth(LintContext(cnncalc.load(name).graph)) == depth


def test_budgets_on_the_command_line(run_cli):
    code, out, _ = run_cli("lint", "vgg16", "--max-params", "100M", "--format", "json")
    findings = json.loads(out)["results"][0]["findings"]
    assert code == 1 and [f["code"] for f in findings] == ["B001"]
    assert findings[0]["message"] == "138,357,544 parameters, over the budget of 100,000,000"
    assert run_cli("lint", "vgg16", "--max-params", "140M", "--max-depth", "16")[0] == 0
    code, out, _ = run_cli("lint", "vgg16", "--max-depth", "13")
    assert code == 1 and "B005 depth 16 (weighted layers on the longest path), over the budget of 13" in out
    code, out, _ = run_cli("lint", "INPUT(224x224x3) → CONV(8, 3) → CONV(8, 3)", "--min-rf", "64")
    assert code == 1 and "B004 the receptive field of the last feature map is 5, under the required 64" in out
    code, _, err = run_cli("lint", "vgg16", "--max-activations", "lots")
    assert code == 2 and "max-activations: 'lots' is not a quantity" in err


def test_budgets_from_pyproject_and_from_the_spec(tmp_path, run_cli):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.cnncalc]\nmax-macs = "2G"\n', encoding="utf-8")
    code, out, _ = run_cli("lint", "resnet50", "--config", str(config))
    macs = re.search(r"B002 ([\d,]+) MACs, over the budget of 2,000,000,000", out)
    assert code == 1 and round(int(macs.group(1).replace(",", "")) / 1e9, 2) == 4.09  # torchvision: 4.09 GFLOPS
    spec = tmp_path / "small.yaml"
    spec.write_text("input: 8x8x3\nlint: {max-params: 100}\nlayers:\n  - CONV(4, 3)\n", encoding="utf-8")
    code, out, _ = run_cli("lint", str(spec))
    assert code == 1 and "B001 112 parameters, over the budget of 100" in out  # 3·4·3² + 4 = 112
