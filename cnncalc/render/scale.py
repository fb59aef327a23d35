"""Renderers of `cnncalc scale`: table, Markdown, JSON and the SVG plot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.scale import Scaling, shapes_text
from cnncalc.render.escape import json_text, markdown, markup
from cnncalc.render.numbers import binary_bytes, grouped

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = ("input", "params", "MACs", "activations", "output", "clean")


def rows(result: Scaling) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for row in result.rows:
        size = "×".join(str(s) for s in row.input_shape)
        if row.params is None or row.macs is None or row.activation_bytes is None:  # the size fails: row.error
            out.append((size, "—", "—", "—", row.error or "", "✗"))
            continue
        out.append(
            (
                size,
                grouped(row.params),
                grouped(row.macs),
                binary_bytes(row.activation_bytes),
                shapes_text(row),
                "✓" if row.clean else "✗ drops pixels",
            )
        )
    return out


def valid_line(result: Scaling) -> str | None:
    if result.valid_sizes is None:
        return None
    low, high = min(r.size for r in result.rows), max(r.size for r in result.rows)
    if not result.valid_sizes:
        return f"no size from {low} to {high} is taken without dropping pixels"
    listed = ", ".join(str(s) for s in result.valid_sizes[:24])
    more = f", … ({len(result.valid_sizes)} in all)" if len(result.valid_sizes) > 24 else ""
    return f"sizes from {low} to {high} taken without dropping a pixel: {listed}{more}"


def render_table(result: Scaling, console: Console) -> None:
    from cnncalc.render.table import Column, print_table

    columns = [Column(c, right=c in ("params", "MACs", "activations")) for c in COLUMNS]
    print_table(console, f"{result.name or 'network'} at several input sizes", columns, rows(result))
    line = valid_line(result)
    if line:
        console.print(markup(line))


def render_markdown(result: Scaling) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|---:|---:|---:|---|---|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in rows(result)]
    line = valid_line(result)
    return "\n".join(lines + (["", markdown(line)] if line else [])) + "\n"


def render_json(result: Scaling) -> str:
    return json_text(result.to_dict())


def render_plot(result: Scaling) -> str:
    from cnncalc.render.svg import scale_plot

    points = [
        (
            str(row.size),
            None if row.macs is None else row.macs / 1e9,
            None if row.activation_bytes is None else row.activation_bytes / 2**20,
        )
        for row in result.rows
    ]
    return scale_plot(points, f"{result.name or 'network'}: cost against input size")
