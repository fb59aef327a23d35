"""Renderers for `Summary`: rich table, JSON, Markdown, CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.summary import Summary, Totals
from cnncalc.i18n import N_, _, ngettext
from cnncalc.render.escape import csv_cell, json_text, markdown, xml
from cnncalc.render.numbers import binary_bytes, grouped, shape_text, si

if TYPE_CHECKING:
    from rich.console import Console

    from cnncalc.analysis.receptive_field import FieldRecord, ReceptiveFields

# Headers in English (N_: translated where shown; CSV's machine headers are its own).
COLUMNS = ("#", N_("name"), N_("kind"), N_("output shape"), N_("params"), N_("MACs"))
INPUTS, FIELD = N_("inputs"), N_("RF size / jump")
NUMERIC = frozenset({"#", "params", "MACs", FIELD})


def is_branching(summary: Summary) -> bool:
    """True unless every layer reads exactly the layer listed before it."""
    previous = None
    for record in summary.layers:
        if record.inputs not in ((), (previous,)):
            return True
        previous = record.name
    return False


def summary_columns(summary: Summary, fields: ReceptiveFields | None = None) -> tuple[str, ...]:
    columns = (*COLUMNS[:3], INPUTS, *COLUMNS[3:]) if is_branching(summary) else COLUMNS
    return (*columns, FIELD) if fields else columns


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
    """The totals under a summary. The parameter lines say which published figure each one is: BN
    statistics are parameters in Keras' "Total params" but buffers in PyTorch, so the total is never
    torchvision's num_params, and the trainable count always is (labels short enough for 80 columns)."""
    return [*totals_rows(summary.totals), (_("dtype"), summary.dtype)]


def totals_rows(t: Totals) -> list[tuple[str, str]]:
    """The totals' lines but the dtype, which `Totals` does not hold (a notebook shows a Totals alone)."""
    return [
        (
            _("total params (= Keras Total params)"),
            grouped(t.params) + (f" ({si(t.params)})" if t.params >= 1000 else ""),
        ),
        (_("trainable (= torchvision num_params)"), grouped(t.trainable_params)),
        (_("non-trainable (BN statistics: buffers)"), grouped(t.non_trainable_params)),
        (_("MACs (weights only)"), f"{grouped(t.macs)} ({si(t.macs, 'MAC')}, {si(t.flops, 'FLOP')})"),
        (
            _("activations"),
            ngettext("{n} value, {size}", "{n} values, {size}", t.activations).format(
                n=grouped(t.activations), size=binary_bytes(t.activation_bytes)
            ),
        ),
        (_("neurons (conv, dense)"), grouped(t.neurons)),
        (_("parameter memory"), binary_bytes(t.param_bytes)),
        (_("input memory"), binary_bytes(t.input_bytes)),
    ]


def notes(summary: Summary) -> list[str]:
    """What the reader must know to compare the totals with another tool's (below the totals)."""
    folded = [folded_note(summary.folded_batch_norms)] if summary.folded_batch_norms else []
    return folded + ([removed_note(summary.removed_zero_biases)] if summary.removed_zero_biases else [])


def removed_note(count: int) -> str:
    """Why an untrained model exported by an optimising exporter has fewer parameters than it should."""
    return ngettext(
        "the exporter's optimiser removed an all-zero bias from {count} layer (an untrained model's "
        "zero-initialised biases are all zero; the graph does not say whether the framework had it): that layer "
        "is counted without a bias, as the graph holds it; export trained weights to keep the biases",
        "the exporter's optimiser removed all-zero biases from {count} layers (an untrained model's "
        "zero-initialised biases among them; the graph does not say which ones the framework had): those layers "
        "are counted without a bias, as the graph holds them; export trained weights to keep their biases",
        count,
    ).format(count=grouped(count))


def folded_note(count: int) -> str:
    """Why an exported model's parameters differ from the framework's: the exporter, not cnncalc, removed them."""
    return ngettext(
        "{count} batch norm was folded into the convolutions by the exporter: parameters are counted as the "
        "graph holds them. The framework also counts the folded norm's γ and β (trainable) and running mean and "
        "variance (buffers), which the graph no longer has (their shift is in the folded convolution's bias, "
        "where the graph keeps one)",
        "{count} batch norms were folded into the convolutions by the exporter: parameters are counted as the "
        "graph holds them. The framework also counts each folded norm's γ and β (trainable) and running mean and "
        "variance (buffers), which the graph no longer has (their shift is in the folded convolution's bias, "
        "where the graph keeps one)",
        count,
    ).format(count=grouped(count))


def render_json(summary: Summary, layout: str, fields: ReceptiveFields | None = None) -> str:
    data = summary.to_dict(layout)
    if fields:
        data["layers"] = [
            {**layer.to_dict(layout), "receptive_field": field.to_dict()["axes"]}
            for layer, field in zip(summary.layers, fields.layers, strict=True)
        ]

    return json_text(data)


def render_markdown(summary: Summary, layout: str, fields: ReceptiveFields | None = None) -> str:
    lines = [f"## {markdown(summary.name)}" if summary.name else "## " + _("Summary"), ""]
    columns = summary_columns(summary, fields)
    lines.append("| " + " | ".join(_(column) for column in columns) + " |")
    lines.append("|" + "|".join("---:" if c in NUMERIC else "---" for c in columns) + "|")
    for row in summary_rows(summary, layout, fields):
        lines.append("| " + " | ".join(markdown(cell) for cell in row) + " |")
    lines.append("")
    lines.extend(f"- **{label}**: {markdown(value)}" for label, value in totals_lines(summary))
    label = _("Note")
    lines.extend(f"\n**{label}:** {markdown(note)}" for note in notes(summary))
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

    title = summary.name or _("network")
    columns = [
        Column(_(c), right=c in NUMERIC, style="cyan" if c == "output shape" else None, wrap=c == "name")
        for c in summary_columns(summary, fields)
    ]
    rows = summary_rows(summary, layout, fields)
    heading = _("{network} — input {shape}").format(network=title, shape=shape_text(summary.input_shape, layout))
    print_table(console, heading, columns, rows)
    print_totals(console, totals_lines(summary))
    label = _("note")
    for note in notes(summary):
        console.print(f"{label}: {note}", markup=False, highlight=False)


def render_html(summary: Summary, layout: str) -> str:
    """An HTML table (for notebooks and reports) with the CLI table's columns and the totals."""
    from cnncalc.render.html import html_table

    columns = summary_columns(summary)
    table = html_table([_(c) for c in columns], summary_rows(summary, layout), right={_(c) for c in NUMERIC})
    totals = "".join(f"<tr><th>{xml(k)}</th><td>{xml(v)}</td></tr>" for k, v in totals_lines(summary))
    title = xml(summary.name or _("network"))
    remarks = "".join(f"<p>{xml(note)}</p>" for note in notes(summary))
    return f"<h4>{title}</h4>{table}<table>{totals}</table>{remarks}"
