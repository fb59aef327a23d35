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
from typing import TYPE_CHECKING

from cnncalc.render.escape import encodable, terminal

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class Column:
    """A table column: its header and how its cells are laid out."""

    header: str
    right: bool = False  # right-justified (numbers)
    style: str | None = None
    wrap: bool = False  # may wrap when the table is too wide (rich fallback only)


def print_table(console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    """A titled table; every cell is terminal text (names may hold anything: see render.escape)."""
    title, columns, rows = _shown(console, title, columns, rows)
    lengths = [[cell_width(cell) for cell in row] for row in ([c.header for c in columns], *rows)]  # headers first
    widths = [max(column) for column in zip(*lengths, strict=False)]
    too_wide = sum(widths) + 3 * len(widths) + 1 > console.width
    if too_wide and console.is_terminal:  # files and pipes get full lines
        _print_with_rich(console, title, columns, rows)
        return
    print_styled(console, *_drawn(title, columns, rows, lengths, widths))


def _shown(
    console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]
) -> tuple[str, list[Column], list[list[str]]]:
    """Title, headers and cells as the console will print them: controls shown, not sent, and in
    ASCII look-alikes where its encoding lacks a character, so the box is measured as drawn."""
    from dataclasses import replace

    encoding = getattr(console, "encoding", None)

    def shown(text: str) -> str:
        return encodable(terminal(text), encoding)

    headers = [replace(column, header=shown(column.header)) for column in columns]
    return shown(title), headers, [[shown(cell) for cell in row] for row in rows]


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: its length when printable ASCII (nearly every cell), else rich's measure."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _drawn(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    lengths: Sequence[Sequence[int]],
    widths: Sequence[int],
) -> tuple[str, list[tuple[int, int, str]]]:
    """The table as plain text, and the styled stretches of it as (start, end, style).

    `lengths` holds the cell widths of the header row, then of every row."""
    right = [column.right for column in columns]
    styles = [column.style for column in columns]

    def cells(row: Sequence[str], row_lengths: Sequence[int]) -> list[str]:
        """Each cell padded to its column, with one space either side."""
        out = []
        for cell, length, width, to_right in zip(row, row_lengths, widths, right, strict=False):
            gap = " " * (width - length)
            out.append(f" {gap}{cell} " if to_right else f" {cell}{gap} ")
        return out

    def rule(left: str, line: str, middle: str, end: str) -> str:
        return left + middle.join(line * (w + 2) for w in widths) + end + "\n"

    text = _Styled()
    text.add(title + "\n", "italic")
    text.add(rule("┏", "━", "┳", "┓") + "┃")
    for header in cells([c.header for c in columns], lengths[0]):
        text.add(header, "bold")
        text.add("┃")
    text.add("\n" + rule("┡", "━", "╇", "┩"))
    styled = any(styles)
    for row, row_lengths in zip(rows, lengths[1:], strict=True):
        padded = cells(row, row_lengths)
        if styled:  # character offsets, not cell widths: a wide character is one character
            start = text.end + 1
            for piece, style in zip(padded, styles, strict=False):
                if style:
                    text.spans.append((start, start + len(piece), style))
                start += len(piece) + 1
        text.add("│" + "│".join(padded) + "│\n")
    text.add(rule("└", "─", "┴", "┘").rstrip("\n"))
    return text.plain(), text.spans


def _print_with_rich(console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
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
    console.print(table)


def print_totals(console: Console, lines: Sequence[tuple[str, str]]) -> None:
    """Label and value pairs under a table: labels bold, values right-aligned (rich's grid look)."""
    encoding = getattr(console, "encoding", None)
    lines = [(encodable(terminal(label), encoding), encodable(terminal(value), encoding)) for label, value in lines]
    label_width = max((cell_width(label) for label, _ in lines), default=0)
    value_width = max((cell_width(value) for _, value in lines), default=0)
    text = _Styled()
    for index, (label, value) in enumerate(lines):
        text.add(("\n" if index else "") + label, "bold")  # the newline styled too: it shows nothing
        text.add(" " * (label_width - cell_width(label) + 2) + " " * (value_width - cell_width(value)) + value)
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


def print_styled(console: Console, plain: str, spans: Sequence[tuple[int, int, str]]) -> None:
    """Plain text with styled stretches: written as is where nothing is styled (pipes, files)."""
    if console.color_system is None:
        console.file.write(plain + "\n")
        return
    from rich.text import Span, Text

    console.print(Text(plain, spans=[Span(*span) for span in spans]), soft_wrap=True)
