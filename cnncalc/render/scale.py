"""Renderers of `cnncalc scale`: table, Markdown, JSON and the SVG plot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.scale import Scaling, shapes_text
from cnncalc.i18n import N_, _
from cnncalc.render.escape import json_text, markdown, markup
from cnncalc.render.numbers import binary_bytes, grouped

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = (N_("input"), N_("params"), N_("MACs"), N_("activations"), N_("output"), N_("clean"))


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
                "✓" if row.clean else "✗ " + _("drops pixels"),
            )
        )
    return out


def valid_line(result: Scaling) -> str | None:
    if result.valid_sizes is None:
        return None
    low, high = min(r.size for r in result.rows), max(r.size for r in result.rows)
    if not result.valid_sizes:
        return _("no size from {low} to {high} is taken without dropping pixels").format(low=low, high=high)
    listed = ", ".join(str(s) for s in result.valid_sizes[:24])
    if len(result.valid_sizes) > 24:
        listed += ", " + _("… ({count} in all)").format(count=len(result.valid_sizes))
    return _("sizes from {low} to {high} taken without dropping a pixel: {listed}").format(
        low=low, high=high, listed=listed
    )


def render_table(result: Scaling, console: Console) -> None:
    from cnncalc.render.table import Column, print_table

    columns = [Column(_(c), right=c in ("params", "MACs", "activations")) for c in COLUMNS]
    title = _("{name} at several input sizes").format(name=result.name or _("network"))
    print_table(console, title, columns, rows(result))
    line = valid_line(result)
    if line:
        console.print(markup(line))


def render_markdown(result: Scaling) -> str:
    lines = ["| " + " | ".join(map(_, COLUMNS)) + " |", "|---|---:|---:|---:|---|---|"]
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
    return scale_plot(points, _("{name}: cost against input size").format(name=result.name or _("network")))
