"""Diagrams: one box per layer, one arrow per input, labels with kind, shape and parameters."""

from __future__ import annotations

import re

import cnncalc


def test_mermaid_has_every_layer_and_connection(run_cli):
    code, out, _ = run_cli("diagram", "inception_3a")
    summary = cnncalc.load("inception_3a").summary()
    assert code == 0 and out.startswith("flowchart TD")
    boxes = re.findall(r"^\s+n\d+\[", out, re.M) + re.findall(r"^\s+n\d+\(\[", out, re.M)
    arrows = re.findall(r"^\s+n\d+ --> n\d+$", out, re.M)
    assert len(boxes) == len(summary.layers)
    assert len(arrows) == sum(len(r.inputs) for r in summary.layers)
    assert 'n1["b1<br/>conv · 28×28×64<br/>12,352 params"]' in out


def test_dot_output_and_file(run_cli, tmp_path):
    code, out, _ = run_cli("diagram", "mnist1d_cnn", "-f", "dot", "--layout", "chw")
    assert code == 0 and out.startswith('digraph "mnist1d_cnn" {') and out.rstrip().endswith("}")
    assert 'n1 [label="conv_1\\nconv · 15×19\\n60 params"];' in out
    assert "n0 -> n1;" in out
    target = tmp_path / "net.mmd"
    assert run_cli("diagram", "lenet5", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("flowchart TD")
