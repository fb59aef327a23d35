"""Renderers for receptive fields: rich table, Markdown, JSON, and the --at unit windows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.receptive_field import FieldRecord, ReceptiveFields, UnitWindow
from cnncalc.i18n import N_, _, ngettext, written
from cnncalc.layers.base import Exact
from cnncalc.render.escape import json_text, markdown, markup, xml

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = ("#", N_("name"), N_("kind"), N_("RF size"), N_("jump"), N_("start"), N_("eff. padding"))


def headers() -> tuple[str, ...]:
    return tuple(map(_, COLUMNS))


def number(value: Exact) -> str:
    """The value as machines read it (CSV): 2.5 in every language."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4g}"


def shown_number(value: Exact) -> str:
    """The value as people read it: 2,5 in Spanish."""
    return written(number(value))


def per_axis_text(values: list[Exact]) -> str:
    """'5' when every axis agrees, '1×7' otherwise."""
    return shown_number(values[0]) if len(set(values)) == 1 else "×".join(shown_number(v) for v in values)


def record_cells(record: FieldRecord) -> tuple[str, ...]:
    head = (str(record.index), record.name, record.kind)
    if record.axes is None:
        return (*head, "—", "—", "—", "—")
    return (
        *head,
        per_axis_text([a.size for a in record.axes]),
        per_axis_text([a.jump for a in record.axes]),
        per_axis_text([a.start for a in record.axes]),
        per_axis_text([a.padding for a in record.axes]),
    )


def coverage_line(fields: ReceptiveFields, record: FieldRecord) -> str:
    """How much of the input one unit of `record` sees."""
    size = "×".join(str(s) for s in fields.input_size)
    if record.axes is None:
        return _("{name}: no single receptive field ({note})").format(name=record.name, note=record.note)
    if record.whole_input:
        return _("{name}: every unit sees the whole {size} input").format(name=record.name, size=size)
    field = "×".join(shown_number(a.size) for a in record.axes)
    ratios = [float(a.size) / s for a, s in zip(record.axes, fields.input_size, strict=True)]
    percent = ", ".join(written(f"{100 * r:.0f}") + "%" for r in ratios)
    return _("{name}: one unit sees {field} of the {size} input ({percent} per axis)").format(
        name=record.name, field=field, size=size, percent=percent
    )


def render_json(fields: ReceptiveFields, records: tuple[FieldRecord, ...]) -> str:
    data = fields.to_dict()
    data["layers"] = [r.to_dict() for r in records]
    return json_text(data)


def _markdown_table(records: tuple[FieldRecord, ...]) -> list[str]:
    lines = ["| " + " | ".join(headers()) + " |", "|---:|---|---|---:|---:|---:|---:|"]
    return lines + ["| " + " | ".join(markdown(cell) for cell in record_cells(r)) + " |" for r in records]


def _html_table(records: tuple[FieldRecord, ...]) -> str:
    from cnncalc.render.html import html_table

    shown = headers()
    return html_table(shown, (record_cells(r) for r in records), right=(*shown[3:], "#"))


def render_markdown(fields: ReceptiveFields, records: tuple[FieldRecord, ...]) -> str:
    lines = [*_markdown_table(records), "", markdown(coverage_line(fields, records[-1]))]
    notes = [f"- {markdown(f'{r.name}: {r.note}')}" for r in records if r.note]
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"


def render_html(fields: ReceptiveFields, records: tuple[FieldRecord, ...]) -> str:
    return f"{_html_table(records)}<p>{xml(coverage_line(fields, records[-1]))}</p>"


def record_markdown(record: FieldRecord) -> str:
    """One layer's field (Network.receptive_field(layer)): its row of the table, and its note."""
    lines = _markdown_table((record,))
    return "\n".join(lines + (["", markdown(record.note)] if record.note else [])) + "\n"


def record_html(record: FieldRecord) -> str:
    return _html_table((record,)) + (f"<p>{xml(record.note)}</p>" if record.note else "")


def render_table(fields: ReceptiveFields, records: tuple[FieldRecord, ...], console: Console) -> None:
    from cnncalc.render.table import Column, print_table

    input_text = "×".join(str(s) for s in fields.input_size)
    columns = [Column(_(c), right=c not in ("name", "kind"), wrap=c == "name") for c in COLUMNS]
    rows = [record_cells(record) for record in records]
    print_table(console, _("receptive fields over the {size} input").format(size=input_text), columns, rows)
    console.print(markup(coverage_line(fields, records[-1])))
    note = markup(_("note"))
    for record in records:
        if record.note:
            console.print(f"[yellow]{note}[/] {markup(f'{record.name}: {record.note}')}")


def window_lines(layer: str, windows: tuple[UnitWindow, ...]) -> list[str]:
    unit = ", ".join(str(w.unit) for w in windows)
    lines = [_("unit ({unit}) of {layer} sees:").format(unit=unit, layer=layer)]
    for w in windows:
        count = w.clipped_last - w.clipped_first + 1
        clipped = ngettext(
            "  axis {axis}: input {first}..{last} (clipped to the input: {clipped_first}..{clipped_last}, "
            "{count} position)",
            "  axis {axis}: input {first}..{last} (clipped to the input: {clipped_first}..{clipped_last}, "
            "{count} positions)",
            count,
        )
        lines.append(
            clipped.format(
                axis=w.axis,
                first=shown_number(w.first),
                last=shown_number(w.last),
                clipped_first=w.clipped_first,
                clipped_last=w.clipped_last,
                count=count,
            )
        )
    return lines
