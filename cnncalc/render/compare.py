"""Renderers for comparisons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.compare import Comparison, Row, shown
from cnncalc.render.escape import markdown, markup

if TYPE_CHECKING:
    from rich.console import Console


def cells(row: Row) -> tuple[str, str, str, str, str]:
    difference = "" if row.difference is None else f"{row.difference:+,}"
    ratio = "" if row.ratio is None else f"{row.ratio:.3g}×"
    return row.quantity, shown(row.a), shown(row.b), difference, ratio


def render_markdown(result: Comparison) -> str:
    lines = ["| quantity | A | B | B − A | B / A |", "|---|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in cells(r)) + " |" for r in result.rows]
    lines += ["", f"A: {markdown(result.a_name)}", "", f"B: {markdown(result.b_name)}", ""]
    lines += [f"- {markdown(note)}" for note in result.notes]
    return "\n".join(lines) + "\n"


def render_table(result: Comparison, console: Console) -> None:
    from rich.table import Table

    table = Table(title_justify="left")
    for column in ("quantity", "A", "B", "B − A", "B / A"):
        table.add_column(column, justify="left" if column == "quantity" else "right", overflow="fold")
    for row in result.rows:
        table.add_row(*(markup(cell) for cell in cells(row)))
    console.print(f"A: {markup(result.a_name)}\nB: {markup(result.b_name)}", soft_wrap=True)
    console.print(table)
    for note in result.notes:
        console.print(f"• {markup(note)}")


CONVENTION_COLUMNS = ("convention", "total", "what it counts")


def _convention_rows(totals) -> list[tuple[str, str, str]]:
    from cnncalc.render.numbers import grouped

    return [(t.convention, grouped(t.total), t.description) for t in totals]


def _batch_note(totals) -> str:
    batch = totals[0].batch if totals else 1
    return f"for a batch of {batch} (fvcore, thop and torchinfo count all of it)" if batch != 1 else ""


def conventions_markdown(totals) -> str:
    note = _batch_note(totals)
    lines = [f"Counted {note}:", ""] if note else []
    lines += ["| " + " | ".join(CONVENTION_COLUMNS) + " |", "|---|---:|---|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in _convention_rows(totals)]
    return "\n".join(lines) + "\n"


def conventions_table(totals, console: Console) -> None:
    from cnncalc.render.table import Column, print_table

    columns = [Column("convention"), Column("total", right=True), Column("what it counts", wrap=True)]
    title = "the same network, counted as each tool counts"
    note = _batch_note(totals)
    print_table(console, f"{title} {note}" if note else title, columns, _convention_rows(totals))
