"""Tables for people: rich's look, drawn directly when the table fits the terminal.

rich measures and lays out every cell (about 0.1 ms each), which made the table of a 500-layer
network cost more than everything else in `cnncalc summary`. Our tables hold short, unstyled,
single-line cells, so when the widest row fits the terminal (or the output is a file or a pipe,
where folding cells helps no one) the same box (rich's default HEAVY_HEAD) is drawn from the
column widths in one pass; otherwise rich's Table takes over and wraps the name column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # right-justified (numbers)
    style: str | None = None
    wrap: bool = False  # may wrap when the table is too wide (rich fallback only)


def print_table(console: object, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    from rich.cells import cell_len

    widths = [cell_len(c.header) for c in columns]
    for row in rows:
        for index, cell in enumerate(row):
            length = cell_len(cell)
            if length > widths[index]:
                widths[index] = length
    too_wide = sum(widths) + 3 * len(widths) + 1 > console.width  # type: ignore[attr-defined]
    if too_wide and console.is_terminal:  # type: ignore[attr-defined]  # files and pipes get full lines
        _print_with_rich(console, title, columns, rows)
        return
    console.print(_drawn(title, columns, rows, widths), soft_wrap=True)  # type: ignore[attr-defined]


def _drawn(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], widths: list[int]) -> object:
    from rich.cells import cell_len
    from rich.text import Text

    def padded(cell: str, index: int) -> str:
        gap = " " * (widths[index] - cell_len(cell))
        return gap + cell if columns[index].right else cell + gap

    def rule(left: str, line: str, middle: str, right: str) -> str:
        return left + middle.join(line * (w + 2) for w in widths) + right + "\n"

    text = Text()
    text.append(title + "\n", style="italic")
    text.append(rule("┏", "━", "┳", "┓"))
    text.append("┃")
    for index, column in enumerate(columns):
        text.append(" " + padded(column.header, index) + " ", style="bold")
        text.append("┃")
    text.append("\n" + rule("┡", "━", "╇", "┩"))
    for row in rows:
        text.append("│")
        for index, cell in enumerate(row):
            text.append(" " + padded(cell, index) + " ", style=columns[index].style)
            text.append("│")
        text.append("\n")
    text.append(rule("└", "─", "┴", "┘").rstrip("\n"))
    return text


def _print_with_rich(console: object, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(
            column.header,
            justify="right" if column.right else "left",
            style=column.style,
            no_wrap=not column.wrap,
            overflow="fold",
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)  # type: ignore[attr-defined]


def print_totals(console: object, lines: Sequence[tuple[str, str]]) -> None:
    """Label and value pairs under a table: labels bold, values right-aligned."""
    from rich.table import Table

    totals = Table.grid(padding=(0, 2))
    totals.add_column(style="bold")
    totals.add_column(justify="right")
    for label, value in lines:
        totals.add_row(label, value)
    console.print(totals)  # type: ignore[attr-defined]
