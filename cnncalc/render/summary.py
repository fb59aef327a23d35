"""Renderers for `Summary`: rich table, JSON, Markdown, CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.summary import Summary
from cnncalc.render.escape import csv_cell, json_text, markdown, xml
from cnncalc.render.numbers import binary_bytes, grouped, shape_text, si

if TYPE_CHECKING:
    from rich.console import Console

    from cnncalc.analysis.receptive_field import FieldRecord, ReceptiveFields

COLUMNS = ("#", "name", "kind", "output shape", "params", "MACs")
NUMERIC = frozenset({"#", "params", "MACs", "RF size / jump"})


def is_branching(summary: Summary) -> bool:
    """True unless every layer reads exactly the layer listed before it."""
    previous = None
    for record in summary.layers:
        if record.inputs not in ((), (previous,)):
            return True
        previous = record.name
    return False


def summary_columns(summary: Summary, fields: ReceptiveFields | None = None) -> tuple[str, ...]:
    columns = (*COLUMNS[:3], "inputs", *COLUMNS[3:]) if is_branching(summary) else COLUMNS
    return (*columns, "RF size / jump") if fields else columns


def rf_cell(record: FieldRecord) -> str:
    if record.axes is None:
        return "—"
    from cnncalc.render.receptive_field import per_axis_text

    sizes = per_axis_text([a.size for a in record.axes])
    return f"{sizes} / {per_axis_text([a.jump for a in record.axes])}"


def summary_rows(summary: Summary, layout: str, fields: ReceptiveFields | None = None) -> list[tuple[str, ...]]:
    branching = is_branching(summary)
    rows = []
    for r in summary.layers:
        cells = [str(r.index), r.name, r.kind]
        if branching:
            cells.append(", ".join(r.inputs))
        cells += [shape_text(r.output_shape, layout), grouped(r.params), grouped(r.macs)]
        if fields:
            cells.append(rf_cell(fields.layers[r.index]))
        rows.append(tuple(cells))
    return rows


def totals_lines(summary: Summary) -> list[tuple[str, str]]:
    t = summary.totals
    return [
        ("total parameters", grouped(t.params) + (f" ({si(t.params)})" if t.params >= 1000 else "")),
        ("trainable parameters", grouped(t.trainable_params)),
        ("non-trainable parameters", grouped(t.non_trainable_params)),
        ("MACs (weights only)", f"{grouped(t.macs)} ({si(t.macs, 'MAC')}, {si(t.flops, 'FLOP')})"),
        ("activations", f"{grouped(t.activations)} values, {binary_bytes(t.activation_bytes)}"),
        ("neurons (conv, dense)", grouped(t.neurons)),
        ("parameter memory", binary_bytes(t.param_bytes)),
        ("input memory", binary_bytes(t.input_bytes)),
        ("dtype", summary.dtype),
    ]


def notes(summary: Summary) -> list[str]:
    """What the reader must know to compare the totals with another tool's (below the totals)."""
    return [folded_note(summary.folded_batch_norms)] if summary.folded_batch_norms else []


def folded_note(count: int) -> str:
    """Why an exported model's parameters differ from the framework's: the exporter, not cnncalc, removed them."""
    norms = "1 batch norm was" if count == 1 else f"{grouped(count)} batch norms were"
    return (
        f"{norms} folded into the convolutions by the exporter: parameters are counted as the graph holds them. "
        "The framework also counts each folded norm's γ and β (trainable) and running mean and variance "
        "(buffers), which the graph no longer has; their shift lives on in each folded convolution's bias"
    )


def render_json(summary: Summary, layout: str, fields: ReceptiveFields | None = None) -> str:
    data = summary.to_dict(layout)
    if fields:
        data["layers"] = [
            {**layer.to_dict(layout), "receptive_field": field.to_dict()["axes"]}
            for layer, field in zip(summary.layers, fields.layers, strict=True)
        ]

    return json_text(data)


def render_markdown(summary: Summary, layout: str, fields: ReceptiveFields | None = None) -> str:
    lines = [f"## {markdown(summary.name)}" if summary.name else "## Summary", ""]
    columns = summary_columns(summary, fields)
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---:" if c in NUMERIC else "---" for c in columns) + "|")
    for row in summary_rows(summary, layout, fields):
        lines.append("| " + " | ".join(markdown(cell) for cell in row) + " |")
    lines.append("")
    lines.extend(f"- **{label}**: {markdown(value)}" for label, value in totals_lines(summary))
    lines.extend(f"\n**Note:** {markdown(note)}" for note in notes(summary))
    return "\n".join(lines) + "\n"


def render_csv(summary: Summary, layout: str, fields: ReceptiveFields | None = None) -> str:
    """One row per layer; names through `csv_cell`, shapes as 64x64x3 (ASCII, read alike everywhere)."""
    import csv
    import io

    from cnncalc.analysis.summary import to_layout

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "index",
            "name",
            "kind",
            "inputs",
            "output_shape",
            "params",
            "trainable_params",
            "non_trainable_params",
            "macs",
            "activations",
            *(["rf_size", "rf_jump"] if fields else []),
        ]
    )
    for r in summary.layers:
        writer.writerow(
            [
                r.index,
                csv_cell(r.name),
                csv_cell(r.kind),
                csv_cell(" ".join(r.inputs)),
                "x".join(map(str, to_layout(r.output_shape, layout))),  # ASCII: Excel reads CSV as ANSI
                r.params,
                r.trainable_params,
                r.non_trainable_params,
                r.macs,
                r.activations,
                *(_rf_csv(fields.layer(r.name)) if fields else []),
            ]
        )
    return out.getvalue()


def _rf_csv(record: FieldRecord) -> list[str]:
    """Size and jump per axis joined by 'x' (one column each), empty when the field is undefined."""
    if record.axes is None:
        return ["", ""]
    from cnncalc.render.receptive_field import number

    return ["x".join(number(a.size) for a in record.axes), "x".join(number(a.jump) for a in record.axes)]


def render_table(summary: Summary, layout: str, console: Console, fields: ReceptiveFields | None = None) -> None:
    from cnncalc.render.table import Column, print_table, print_totals

    title = summary.name or "network"
    columns = [
        Column(c, right=c in NUMERIC, style="cyan" if c == "output shape" else None, wrap=c == "name")
        for c in summary_columns(summary, fields)
    ]
    rows = summary_rows(summary, layout, fields)
    print_table(console, f"{title} — input {shape_text(summary.input_shape, layout)}", columns, rows)
    print_totals(console, totals_lines(summary))
    for note in notes(summary):
        console.print(f"note: {note}", markup=False, highlight=False)


def render_html(summary: Summary, layout: str) -> str:
    """An HTML table (for notebooks and reports) with the CLI table's columns and the totals."""
    from cnncalc.render.html import html_table

    table = html_table(summary_columns(summary), summary_rows(summary, layout), right=NUMERIC)
    totals = "".join(f"<tr><th>{xml(k)}</th><td>{xml(v)}</td></tr>" for k, v in totals_lines(summary))
    title = xml(summary.name or "network")
    remarks = "".join(f"<p>{xml(note)}</p>" for note in notes(summary))
    return f"<h4>{title}</h4>{table}<table>{totals}</table>{remarks}"
