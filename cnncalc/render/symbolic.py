"""Renderers for shapes and MACs as expressions in the input size (`summary --input HxWx3`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.symbolic import SymbolicSummary
from cnncalc.render.escape import markdown
from cnncalc.render.table import Column, print_styled, print_table

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = ("#", "name", "kind", "output shape", "MACs")


def _shape_text(shape: tuple[object, ...]) -> str:
    return " × ".join(f"({e})" if " " in str(e) else str(e) for e in shape)


def _rows(result: SymbolicSummary) -> list[tuple[str, ...]]:
    return [
        (str(i), layer.name, layer.kind, _shape_text(layer.shape), str(layer.macs))
        for i, layer in enumerate(result.layers)
    ]


def total_line(result: SymbolicSummary) -> str:
    kind = "a polynomial" if result.macs.is_polynomial else "exact, with floors"
    return f"total MACs ({kind}) = {result.macs}"


def render_table(result: SymbolicSummary, console: Console) -> None:
    columns = [Column("#", right=True), Column("name", wrap=True), Column("kind"), Column("output shape"),
               Column("MACs")]  # fmt: skip
    print_table(console, f"shapes in {', '.join(result.axes)}", columns, _rows(result))
    print_styled(console, total_line(result), ())


def render_markdown(result: SymbolicSummary) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---:|---|---|---|---|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in _rows(result)]
    return "\n".join([*lines, total_line(result)])
