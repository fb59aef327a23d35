"""Architecture diagrams as text that other tools draw: Mermaid (renders in GitHub Markdown) and DOT."""

from __future__ import annotations

from collections.abc import Callable

from cnncalc.analysis.summary import Summary
from cnncalc.i18n import ngettext
from cnncalc.render.escape import dot, json_text, mermaid
from cnncalc.render.graph import Graph, Node, build, resolve
from cnncalc.render.numbers import grouped, shape_text

# Mermaid's defaults (maxEdges, maxTextSize), which GitHub keeps: past either it draws only an error.
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000


def node_lines(node: Node, layout: str) -> list[str]:
    """A box's text, unescaped: its name, what it is and its output shape, and its parameters."""
    shape = shape_text(node.output_shape, layout)
    if node.kind is not None:
        what = f"{node.kind} · {shape}"
    elif node.count > 1:
        per_block = ngettext("{size} layer per block", "{size} layers per block", node.size)
        what = f"×{node.count} · {per_block.format(size=grouped(node.size))} · {shape}"
    else:
        layers = ngettext("{size} layer", "{size} layers", node.size)
        what = f"{layers.format(size=grouped(node.size))} · {shape}"
    lines = [node.title, what]
    if node.params:
        lines.append(ngettext("{count} param", "{count} params", node.params).format(count=grouped(node.params)))
    return lines


def _escaped(node: Node, layout: str, escape: Callable[[str], str]) -> list[str]:
    return [escape(line) for line in node_lines(node, layout)]


def fits_mermaid(text: str) -> bool:
    """True when Mermaid draws `text` with its default limits (edges counted as its arrows)."""
    return len(text) <= MERMAID_MAX_TEXT and text.count(" --> ") <= MERMAID_MAX_EDGES


def to_mermaid(summary: Summary, layout: str = "hwc", collapse: str = "auto") -> str:
    """A top-down flowchart: one box per layer (or collapsed block) with kind, shape and parameters.

    `auto` collapses further (blocks, then stages) while the text is past Mermaid's defaults."""
    modes = [collapse] if collapse != "auto" else [resolve("auto", len(summary.layers)), "blocks", "stages"]
    for mode in modes:
        text = _mermaid(build(summary, mode), layout)
        if fits_mermaid(text):
            break
    return text


def _mermaid(graph: Graph, layout: str) -> str:
    lines = ["flowchart TD"]
    for node in graph.nodes:
        label = "<br/>".join(_escaped(node, layout, mermaid))
        shape = ('(["', '"])') if not node.inputs else ('["', '"]')
        lines.append(f"    {node.id}{shape[0]}{label}{shape[1]}")
    for node in graph.nodes:
        for source in node.inputs:
            lines.append(f"    {source} --> {node.id}")
    return "\n".join(lines) + "\n"


def to_graph_json(summary: Summary, layout: str = "hwc") -> str:
    """The diagram as data: a node per layer (kind, shape in `layout`, parameters) and an edge per input."""

    from cnncalc.analysis.summary import to_layout

    nodes = [
        {"id": r.name, "kind": r.kind, "output_shape": to_layout(r.output_shape, layout), "params": r.params}
        for r in summary.layers
    ]
    edges = [{"from": source, "to": r.name} for r in summary.layers for source in r.inputs]
    document = {"schema": "cnncalc.diagram/1", "name": summary.name, "layout": layout, "nodes": nodes, "edges": edges}
    return json_text(document)


def to_dot(summary: Summary, layout: str = "hwc", collapse: str = "auto") -> str:
    """Graphviz DOT (`cnncalc diagram SPEC --format dot | dot -Tsvg > net.svg`), filled as the SVG is."""
    from cnncalc.render.svg import fill

    graph = build(summary, collapse)
    lines = [
        f'digraph "{dot(graph.name or "network")}" {{',
        "  rankdir=TB;",
        '  node [shape=box, style=filled, fontname="Helvetica"];',
    ]
    for node in graph.nodes:
        label = "\\n".join(_escaped(node, layout, dot))
        style = ', style="rounded,filled"' if not node.inputs else ""
        lines.append(f'  {node.id} [label="{label}", fillcolor="{fill(node)}"{style}];')
    for node in graph.nodes:
        for source in node.inputs:
            lines.append(f"  {source} -> {node.id};")
    lines.append("}")
    return "\n".join(lines) + "\n"
