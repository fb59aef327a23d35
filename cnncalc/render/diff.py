"""Renderers of `cnncalc diff`: table, Markdown for a pull-request comment, JSON, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Mapping

from cnncalc.analysis.diff import Diff, LayerChange, TotalChange
from cnncalc.errors import Location
from cnncalc.render.numbers import grouped

TOTAL_COLUMNS = ("quantity", "old", "new", "change")
LAYER_COLUMNS = ("layer", "change", "output shape", "params", "MACs")


def _shape(shape: tuple[int, ...] | None) -> str:
    return "—" if shape is None else "×".join(map(str, shape))


def _change_text(old: int, new: int) -> str:
    if old == new:
        return "="
    sign = "+" if new > old else "−"
    percent = f" ({(new - old) / old:+.1%})" if old else ""
    return f"{sign}{grouped(abs(new - old))}{percent}"


def total_row(total: TotalChange) -> tuple[str, ...]:
    return (total.label, grouped(total.old), grouped(total.new), _change_text(total.old, total.new))


def layer_row(change: LayerChange) -> tuple[str, ...]:
    shape = _shape(change.new_shape) if change.old_shape == change.new_shape else (
        f"{_shape(change.old_shape)} → {_shape(change.new_shape)}"
    )  # fmt: skip
    return (
        change.name,
        change.change,
        shape,
        f"{grouped(change.old_params)} → {grouped(change.new_params)}",
        f"{grouped(change.old_macs)} → {grouped(change.new_macs)}",
    )


def render_markdown(result: Diff) -> str:
    lines = [f"### cnncalc diff: `{result.old_name}` → `{result.new_name}`", ""]
    lines += ["| " + " | ".join(TOTAL_COLUMNS) + " |", "|---|---:|---:|---:|"]
    lines += ["| " + " | ".join(total_row(t)) + " |" for t in result.totals]
    if result.layers:
        lines += ["", f"{len(result.layers)} layer(s) changed:", ""]
        lines += ["| " + " | ".join(LAYER_COLUMNS) + " |", "|---|---|---|---:|---:|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in layer_row(c)) + " |" for c in result.layers]
    else:
        lines += ["", "no layer changed"]
    if result.failed:
        lines += ["", "**Over the limits:**", *(f"- {line}" for line in result.failed)]
    return "\n".join(lines) + "\n"


def render_json(result: Diff) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def render_github(result: Diff, locations: Mapping[str, Location]) -> str:
    """Workflow commands: a notice on each changed layer, an error per exceeded threshold."""
    lines = []
    for change in result.layers:
        where = locations.get(change.name)
        place = ""
        if where is not None and where.file:
            place = f" file={where.file}" + (f",line={where.line}" if where.line else "")
        row = layer_row(change)
        message = f"{change.name} {change.change}: shape {row[2]}, params {row[3]}, MACs {row[4]}"
        lines.append(f"::notice{place}::{message}")
    lines += [f"::error::cnncalc diff: {line}" for line in result.failed]
    return "\n".join(lines)


def render_table(result: Diff, console: object) -> None:
    from cnncalc.render.table import Column, print_table

    columns = [Column(c, right=c != "quantity") for c in TOTAL_COLUMNS]
    print_table(console, f"{result.old_name} → {result.new_name}", columns, [total_row(t) for t in result.totals])
    if result.layers:
        layer_columns = [Column(c, right=c in ("params", "MACs")) for c in LAYER_COLUMNS]
        print_table(console, "changed layers", layer_columns, [layer_row(c) for c in result.layers])
    else:
        console.print("no layer changed")  # type: ignore[attr-defined]
    for line in result.failed:
        console.print(f"[bold red]over the limit[/] {line}")  # type: ignore[attr-defined]
