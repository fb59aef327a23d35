"""Architecture diagrams as text that other tools draw: Mermaid (renders in GitHub Markdown) and DOT."""

from __future__ import annotations

from collections.abc import Callable

from cnncalc.analysis.summary import Summary
from cnncalc.render.escape import dot, json_text, mermaid
from cnncalc.render.numbers import grouped, shape_text


def _node_id(index: int) -> str:
    return f"n{index}"


def _label_lines(record, layout: str, escape: Callable[[str], str]) -> list[str]:
    """Name, kind and shape, and parameters when there are some: each line escaped for the language."""
    lines = [record.name, f"{record.kind} · {shape_text(record.output_shape, layout)}"]
    return [escape(line) for line in lines] + ([f"{grouped(record.params)} params"] if record.params else [])


def to_mermaid(summary: Summary, layout: str = "hwc") -> str:
    """A top-down flowchart: one box per layer with its kind, output shape and parameters."""
    ids = {r.name: _node_id(r.index) for r in summary.layers}
    lines = ["flowchart TD"]
    for record in summary.layers:
        label = "<br/>".join(_label_lines(record, layout, mermaid))
        shape = ('(["', '"])') if not record.inputs else ('["', '"]')
        lines.append(f"    {ids[record.name]}{shape[0]}{label}{shape[1]}")
    for record in summary.layers:
        for source in record.inputs:
            lines.append(f"    {ids[source]} --> {ids[record.name]}")
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


def to_dot(summary: Summary, layout: str = "hwc") -> str:
    """Graphviz DOT: `cnncalc diagram SPEC --format dot | dot -Tsvg > net.svg`."""
    ids = {r.name: _node_id(r.index) for r in summary.layers}
    lines = [
        f'digraph "{dot(summary.name or "network")}" {{',
        "  rankdir=TB;",
        '  node [shape=box, fontname="Helvetica"];',
    ]
    for record in summary.layers:
        label = "\\n".join(_label_lines(record, layout, dot))
        style = ", style=rounded" if not record.inputs else ""
        lines.append(f'  {ids[record.name]} [label="{label}"{style}];')
    for record in summary.layers:
        for source in record.inputs:
            lines.append(f"  {ids[source]} -> {ids[record.name]};")
    lines.append("}")
    return "\n".join(lines) + "\n"
