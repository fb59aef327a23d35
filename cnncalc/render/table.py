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
    print_styled(console, *_drawn(title, columns, rows, widths))


def _drawn(
    title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], widths: list[int]
) -> tuple[str, list[tuple[int, int, str]]]:
    """The table as plain text, and the styled stretches of it as (start, end, style)."""
    from rich.cells import cell_len

    text = _Styled()
    add = text.add

    def padded(cell: str, index: int) -> str:
        gap = " " * (widths[index] - cell_len(cell))
        return gap + cell if columns[index].right else cell + gap

    def rule(left: str, line: str, middle: str, right: str) -> str:
        return left + middle.join(line * (w + 2) for w in widths) + right + "\n"

    add(title + "\n", "italic")
    add(rule("┏", "━", "┳", "┓") + "┃")
    for index, column in enumerate(columns):
        add(" " + padded(column.header, index) + " ", "bold")
        add("┃")
    add("\n" + rule("┡", "━", "╇", "┩"))
    for row in rows:
        add("│")
        for index, cell in enumerate(row):
            add(" " + padded(cell, index) + " ", columns[index].style)
            add("│")
        add("\n")
    add(rule("└", "─", "┴", "┘").rstrip("\n"))
    return text.plain(), text.spans


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
    """Label and value pairs under a table: labels bold, values right-aligned (rich's grid look)."""
    from rich.cells import cell_len

    label_width = max((cell_len(label) for label, _ in lines), default=0)
    value_width = max((cell_len(value) for _, value in lines), default=0)
    text = _Styled()
    for index, (label, value) in enumerate(lines):
        text.add(("\n" if index else "") + label, "bold")  # the newline styled too: it shows nothing
        text.add(" " * (label_width - cell_len(label) + 2) + " " * (value_width - cell_len(value)) + value)
    print_styled(console, text.plain(), text.spans)


class _Styled:
    """Text built piece by piece, remembering which stretches carry a style."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[int, int, str]] = []
        self.end = 0

    def add(self, text: str, style: str | None = None) -> None:
        if style:
            self.spans.append((self.end, self.end + len(text), style))
        self.parts.append(text)
        self.end += len(text)

    def plain(self) -> str:
        return "".join(self.parts)


def print_styled(console: object, plain: str, spans: Sequence[tuple[int, int, str]]) -> None:
    """Plain text with styled stretches: written as is where nothing is styled (pipes, files)."""
    if console.color_system is None:  # type: ignore[attr-defined]
        console.file.write(plain + "\n")  # type: ignore[attr-defined]
        return
    from rich.text import Span, Text

    console.print(Text(plain, spans=[Span(*span) for span in spans]), soft_wrap=True)  # type: ignore[attr-defined]
