"""Renderers for comparisons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.compare import Comparison, Row, shown
from cnncalc.i18n import N_, _, number, written
from cnncalc.render.escape import markdown, markup

if TYPE_CHECKING:
    from rich.console import Console


def cells(row: Row) -> tuple[str, str, str, str, str]:
    difference = "" if row.difference is None else number(row.difference, "+,")
    ratio = "" if row.ratio is None else written(f"{row.ratio:.3g}") + "×"
    return _(row.quantity), shown(row.a), shown(row.b), difference, ratio


COLUMNS = (N_("quantity"), "A", "B", "B − A", "B / A")


def render_markdown(result: Comparison) -> str:
    lines = ["| " + " | ".join(map(_, COLUMNS)) + " |", "|---|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in cells(r)) + " |" for r in result.rows]
    lines += ["", f"A: {markdown(result.a_name)}", "", f"B: {markdown(result.b_name)}", ""]
    lines += [f"- {markdown(note)}" for note in result.notes]
    return "\n".join(lines) + "\n"


def render_table(result: Comparison, console: Console) -> None:
    from rich.table import Table

    table = Table(title_justify="left")
    for column in COLUMNS:
        table.add_column(_(column), justify="left" if column == "quantity" else "right", overflow="fold")
    for row in result.rows:
        table.add_row(*(markup(cell) for cell in cells(row)))
    console.print(f"A: {markup(result.a_name)}\nB: {markup(result.b_name)}", soft_wrap=True)
    console.print(table)
    for note in result.notes:
        console.print(f"• {markup(note)}")


CONVENTION_COLUMNS = (N_("convention"), N_("total"), N_("what it counts"))


def _convention_rows(totals) -> list[tuple[str, str, str]]:
    from cnncalc.render.numbers import grouped

    return [(t.convention, grouped(t.total), _(t.description)) for t in totals]


def _batch_note(totals) -> str:
    batch = totals[0].batch if totals else 1
    note = _("for a batch of {batch} (fvcore, thop and torchinfo count all of it)")
    return note.format(batch=number(batch)) if batch != 1 else ""


def conventions_markdown(totals) -> str:
    note = _batch_note(totals)
    lines = [_("Counted {note}:").format(note=note), ""] if note else []
    lines += ["| " + " | ".join(map(_, CONVENTION_COLUMNS)) + " |", "|---|---:|---|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in _convention_rows(totals)]
    return "\n".join(lines) + "\n"


def conventions_html(totals) -> str:
    from cnncalc.render.escape import xml
    from cnncalc.render.html import html_table

    note = _batch_note(totals)
    columns = list(map(_, CONVENTION_COLUMNS))
    table = html_table(columns, _convention_rows(totals), right=[columns[1]])
    return (f"<p>{xml(_('Counted {note}:').format(note=note))}</p>" if note else "") + table


def conventions_table(totals, console: Console) -> None:
    from cnncalc.render.table import Column, print_table

    convention, total, counts = map(_, CONVENTION_COLUMNS)
    columns = [Column(convention), Column(total, right=True), Column(counts, wrap=True)]
    title = _("the same network, counted as each tool counts")
    note = _batch_note(totals)
    print_table(console, f"{title} {note}" if note else title, columns, _convention_rows(totals))
