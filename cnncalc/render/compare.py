"""Renderers for comparisons."""

from __future__ import annotations

from cnncalc.analysis.compare import Comparison, Row


def cells(row: Row) -> tuple[str, str, str, str, str]:
    def show(value: int | str) -> str:
        return f"{value:,}" if isinstance(value, int) else value

    difference = "" if row.difference is None else f"{row.difference:+,}"
    ratio = "" if row.ratio is None else f"{row.ratio:.3g}×"
    return row.quantity, show(row.a), show(row.b), difference, ratio


def render_markdown(result: Comparison) -> str:
    lines = ["| quantity | A | B | B − A | B / A |", "|---|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(cells(r)) + " |" for r in result.rows]
    lines += ["", f"A: `{result.a_name}`", "", f"B: `{result.b_name}`", ""]
    lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def render_table(result: Comparison, console: object) -> None:
    from rich.table import Table

    table = Table(title_justify="left")
    for column in ("quantity", "A", "B", "B − A", "B / A"):
        table.add_column(column, justify="left" if column == "quantity" else "right", overflow="fold")
    for row in result.rows:
        table.add_row(*cells(row))
    console.print(f"A: {result.a_name}\nB: {result.b_name}", soft_wrap=True)  # type: ignore[attr-defined]
    console.print(table)  # type: ignore[attr-defined]
    for note in result.notes:
        console.print(f"• {note}")  # type: ignore[attr-defined]
