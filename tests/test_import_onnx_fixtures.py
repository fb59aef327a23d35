"""Committed ONNX files from torch.onnx.export, weights stripped (tests/onnx_fixtures.py writes them and
facts.json, torch's numbers for each): the importer is tested without torch. Their weight data is
marked as external in NAME.onnx.data, which does not exist: cnncalc reads dims only."""

from __future__ import annotations

import json

import pytest
from test_import_onnx import opened_during
from tests_support import ROOT

import cnncalc

onnx = pytest.importorskip("onnx")
FOLDER = ROOT / "tests" / "fixtures" / "onnx"
FACTS = json.loads((FOLDER / "facts.json").read_text())
IMPORTED = sorted(name for name in FACTS if not name.startswith("convnext"))


@pytest.mark.parametrize("name", IMPORTED)
def test_fixture_counts_what_torch_and_the_graph_hold(name):
    path = FOLDER / f"{name}.onnx"
    net = cnncalc.load(path)
    opened, error = opened_during(lambda: cnncalc.load(path).summary())
    assert error is None and opened == [str(path)]  # the .onnx.data file is never looked for
    assert net.summary().totals.trainable_params == FACTS[name]["graph_params"]
    assert net.shape(net.layer_names[-1]) == tuple(FACTS[name]["output_shape"])


def test_the_facts_agree_with_hand_arithmetic():
    # BasicBlockNet: convs 3·8·9 + 2·(8·8·9) + 8·8 = 1432, four BNs 4·(8+8) = 64, fc 8·10 + 10 = 90
    assert FACTS["basic_legacy_dynamic_batch"]["torch_params"] == 1432 + 64 + 90
    # folded: the BNs' 64 are gone; each of the four convs holds a bias of 8
    assert FACTS["basic_legacy_folded"]["graph_params"] == 1432 + 4 * 8 + 90


@pytest.mark.parametrize(("name", "folded"), [("basic_legacy_folded", 4), ("mobilenetv3_dynamo", 1)])
def test_a_batch_norm_folded_by_the_exporter_is_said(name, folded):
    description = cnncalc.load(FOLDER / f"{name}.onnx").spec.description or ""
    assert f"folded batch normalization into {folded} convolution(s)" in description


def test_unfolded_exports_say_nothing_of_folding():
    assert cnncalc.load(FOLDER / "basic_legacy_dynamic_batch.onnx").spec.description is None


def test_convnext_is_refused_naming_the_per_position_linear(run_cli):
    code, _, err = run_cli("summary", str(FOLDER / "convnext_dynamo.onnx"))
    assert code == 2 and "MatMul on the last axis of a 4-axis tensor (a per-position linear layer)" in err
