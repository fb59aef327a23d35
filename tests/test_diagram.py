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
    # Boxes are filled as the SVG fills them: convolutions light blue (svg.COLOURS).
    assert 'n1 [label="conv_1\\nconv · 15×19\\n60 params", fillcolor="#8ecae6"];' in out
    assert "n0 -> n1;" in out
    target = tmp_path / "net.mmd"
    assert run_cli("diagram", "lenet5", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("flowchart TD")


def _svg(text: str):
    import xml.etree.ElementTree as ET

    return ET.fromstring(text)


def test_svg_volumes_and_layered_graph(run_cli):
    namespace = "{http://www.w3.org/2000/svg}"
    _, out, _ = run_cli("diagram", "keras_fashion_mnist", "-f", "svg")
    root = _svg(out)
    summary = cnncalc.load("keras_fashion_mnist").summary()
    assert len(root.findall(f"{namespace}rect")) == 1 + len(summary.layers)  # background + one face per layer
    texts = [t.text for t in root.iter(f"{namespace}text")]
    assert "max_pool_3" in texts and "3×3×256" in texts
    _, out, _ = run_cli("diagram", "inception_3a", "-f", "svg")
    root = _svg(out)
    arrows = root.findall(f"{namespace}path[@marker-end]")
    assert len(arrows) == sum(len(r.inputs) for r in cnncalc.load("inception_3a").summary().layers)


def test_receptive_field_plot(run_cli, tmp_path):
    target = tmp_path / "rf.svg"
    chain = "INPUT(16x16x1) → CONV(1,3) → CONV(1,3,s=2,p=1) → CONV(1,3,p=1)"
    code, out, _ = run_cli("receptive-field", chain, "--at", "0,2", "--plot", str(target))
    assert code == 0 and "axis H: input -3..5 (clipped to the input: 0..5, 6 positions)" in out
    root = _svg(target.read_text(encoding="utf-8"))
    namespace = "{http://www.w3.org/2000/svg}"
    rects = root.findall(f"{namespace}rect")
    assert len(rects) == 1 + 16 * 16 + 2  # background, the grid, the full and the clipped field
    dashed, clipped = rects[-2], rects[-1]
    cell = float(rects[1].get("width"))
    assert float(dashed.get("height")) == 9 * cell and float(clipped.get("height")) == 6 * cell
    assert run_cli("receptive-field", chain, "--at", "0,2", "--plot", str(target))[0] == 2  # exists


def test_png_is_the_svg_rendered(run_cli, tmp_path):
    import pytest

    pytest.importorskip("cairosvg")
    target = tmp_path / "net.png"
    assert run_cli("diagram", "inception_3a", "-f", "png", "-o", str(target))[0] == 0
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 300 and height > 300
    code, _, err = run_cli("diagram", "inception_3a", "-f", "png")
    assert code == 2 and "give -o FILE.png" in err
