"""Collapsed diagrams, Mermaid's limits, the format an output file names, and escaped names."""

from __future__ import annotations

import re

import pytest
from tests_support import imported_after

import cnncalc
from cnncalc.render.diagram import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, to_dot, to_mermaid
from cnncalc.render.graph import build
from cnncalc.spec.load import bundled_names


@pytest.mark.parametrize("name", bundled_names())
def test_default_mermaid_is_within_mermaids_default_limits(name):
    # Mermaid 11's defaults, which GitHub keeps: maxEdges 500 and maxTextSize 50,000 characters.
    assert (MERMAID_MAX_EDGES, MERMAID_MAX_TEXT) == (500, 50_000)
    text = to_mermaid(cnncalc.load(name).summary())
    assert len(text) <= 50_000 and text.count(" --> ") <= 500, name


def test_resnet152_blocks_collapse_into_counted_runs():
    # ResNet-152 stacks 3, 8, 36 and 3 bottleneck blocks (He et al. 2015, table 1); each stage's
    # first block has the projection shortcut, the rest are identical: 2, 7, 35 and 2 repeats.
    graph = build(cnncalc.load("resnet152").summary(), "blocks")
    runs = {node.title: node.count for node in graph.nodes if node.count > 1}
    assert runs == {
        "layer1.1 … layer1.2": 2,
        "layer2.1 … layer2.7": 7,
        "layer3.1 … layer3.35": 35,
        "layer4.1 … layer4.2": 2,
    }
    # A bottleneck without projection is conv, bn, relu ×2, conv, bn, add, relu: 10 layers.
    assert {node.size for node in graph.nodes if node.count > 1} == {10}
    # Nothing is lost: the boxes' parameters add up to the network's, whose trainable part is
    # torchvision's published 60,192,808 (the rest: batch norms' running mean and variance).
    summary = cnncalc.load("resnet152").summary()
    assert summary.totals.trainable_params == 60_192_808
    assert sum(node.params for node in graph.nodes) == summary.totals.params
    assert len(graph.nodes) == 16 and all(len(node.inputs) <= 1 for node in graph.nodes)


def test_stages_draw_one_box_per_stage():
    graph = build(cnncalc.load("resnet50").summary(), "stages")
    assert [n.title for n in graph.nodes if n.grouped] == ["layer1", "layer2", "layer3", "layer4"]
    # ResNet-50: 3, 4, 6 and 3 bottlenecks of 10 layers, the first of each with 2 more (projection).
    assert [n.size for n in graph.nodes if n.grouped] == [32, 42, 62, 32]


def test_unnamed_repeats_are_found_layer_by_layer():
    summary = cnncalc.load("INPUT(8x8x3) → [CONV(3,3,p=1) → RELU] x 5000").summary()
    (first, run) = build(summary).nodes
    assert first.kind == "input" and run.count == 5000 and run.size == 2
    assert run.title == "conv_1 … relu_5000" and run.inputs == ("n0",)
    # Each convolution: 3·3·3 weights per filter + 1 bias, 3 filters = 84 parameters; 5000 of them.
    assert run.params == 5000 * 84
    assert "×5000" in to_mermaid(summary)


def test_small_networks_keep_every_layer():
    summary = cnncalc.load("unet").summary()
    assert to_mermaid(summary).count("[") == len(summary.layers)
    assert not build(summary).collapsed


def test_output_format_follows_the_file_name(run_cli, tmp_path):
    for suffix, start in ((".svg", "<svg"), (".dot", "digraph"), (".mmd", "flowchart TD"), (".json", "{")):
        target = tmp_path / f"vgg16{suffix}"
        code, _, err = run_cli("diagram", "vgg16", "-o", str(target))
        assert code == 0, err
        assert target.read_text(encoding="utf-8").startswith(start), suffix
    page = tmp_path / "vgg16.html"
    assert run_cli("diagram", "vgg16", "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'name="viewport"' in html and "<svg" in html
    # --format wins over an extension that names no format.
    assert run_cli("diagram", "vgg16", "-f", "dot", "-o", str(tmp_path / "net.txt"))[0] == 0
    assert (tmp_path / "net.txt").read_text(encoding="utf-8").startswith("digraph")


def test_a_format_conflicting_with_the_file_name_is_refused(run_cli, tmp_path):
    target = tmp_path / "v.svg"
    code, _, err = run_cli("diagram", "vgg16", "-o", str(target), "-f", "mermaid")
    assert code == 2 and not target.exists()
    assert "--format mermaid" in err and "v.svg" in err and "svg" in err and "Traceback" not in err


def test_mermaid_past_its_limits_warns_and_says_how(run_cli):
    code, out, err = run_cli("diagram", "resnet152", "--collapse", "none")
    assert code == 0 and out.count(" --> ") > 500  # what was asked for, drawn as asked
    assert "Mermaid" in err and "--collapse stages" in err
    code, out, err = run_cli("diagram", "resnet152")
    assert code == 0 and err == ""


DOT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _dot_lines(text: str) -> list[str]:
    """A quoted DOT string as Graphviz reads it: `\\n` ends a line, `\\x` is x, `&amp;` is &."""
    lines, current, index = [], "", 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 1
            if text[index] == "n":
                lines.append(current)
                current = ""
            else:
                current += text[index]
        else:
            current += char
        index += 1
    return [line.replace("&amp;", "&") for line in [*lines, current]]


@pytest.mark.parametrize("name", ['weird "net" <1>', "x<y>&z"])
def test_names_round_trip_through_dot_and_mermaid(name, tmp_path):
    path = tmp_path / "net.yaml"
    quoted = name.replace('"', '\\"')
    path.write_text(f'name: "{quoted}"\ninput: [8, 8, 3]\nlayers:\n  - relu: {{}}\n    name: "{quoted}"\n')
    summary = cnncalc.load(path).summary()
    dot = to_dot(summary)
    # Every quote in the DOT text opens or closes a string: strip the strings and none is left.
    assert '"' not in DOT_STRING.sub("", dot)
    strings = [_dot_lines(s) for s in DOT_STRING.findall(dot)]
    assert strings[0] == [name]  # the graph's name
    assert [name, "relu · 8×8×3"] in strings
    mermaid = to_mermaid(summary)
    labels = re.findall(r'\["([^"]*)"\]', mermaid)
    decoded = [re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label).split("<br/>") for label in labels]
    assert [name, "relu · 8×8×3"] in decoded


def test_grandalf_is_imported_only_to_lay_out_a_graph():
    code = (
        "import cnncalc; from cnncalc.cli import app; import cnncalc.cli.diagram; "
        "from cnncalc.render.diagram import to_mermaid; to_mermaid(cnncalc.load('resnet50').summary())"
    )
    assert imported_after(code, ["grandalf"]) == []
