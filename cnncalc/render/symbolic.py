"""Renderers for shapes and MACs as expressions in the input size (`summary --input HxWx3`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.symbolic import SymbolicSummary
from cnncalc.i18n import N_, _
from cnncalc.render.escape import markdown, xml
from cnncalc.render.html import html_table
from cnncalc.render.table import Column, print_styled, print_table

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = ("#", N_("name"), N_("kind"), N_("output shape"), N_("MACs"))


def _shape_text(shape: tuple[object, ...]) -> str:
    return " × ".join(f"({e})" if " " in str(e) else str(e) for e in shape)


def _rows(result: SymbolicSummary) -> list[tuple[str, ...]]:
    return [
        (str(i), layer.name, layer.kind, _shape_text(layer.shape), str(layer.macs))
        for i, layer in enumerate(result.layers)
    ]


def total_line(result: SymbolicSummary) -> str:
    if result.macs.is_polynomial:
        return _("total MACs (a polynomial) = {macs}").format(macs=result.macs)
    return _("total MACs (exact, with floors) = {macs}").format(macs=result.macs)


def render_table(result: SymbolicSummary, console: Console) -> None:
    number, name, kind, shape, macs = (_(c) for c in COLUMNS)
    columns = [Column(number, right=True), Column(name, wrap=True), Column(kind), Column(shape), Column(macs)]
    print_table(console, _("shapes in {axes}").format(axes=", ".join(result.axes)), columns, _rows(result))
    print_styled(console, total_line(result), ())


def render_markdown(result: SymbolicSummary) -> str:
    lines = ["| " + " | ".join(_(c) for c in COLUMNS) + " |", "|---:|---|---|---|---|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in _rows(result)]
    return "\n".join([*lines, "", markdown(total_line(result))]) + "\n"


def render_html(result: SymbolicSummary) -> str:
    columns = [_(c) for c in COLUMNS]
    table = html_table(columns, _rows(result), right=[columns[0]])
    title = _("shapes in {axes}").format(axes=", ".join(result.axes))
    return f"<h4>{xml(title)}</h4>{table}<p>{xml(total_line(result))}</p>"
