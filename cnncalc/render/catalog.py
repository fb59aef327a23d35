"""Renderers for the catalogue of layer kinds (`cnncalc layers`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnncalc.analysis.catalog import KindInfo
from cnncalc.render.escape import json_text

if TYPE_CHECKING:
    from rich.console import Console


def _arguments(info: KindInfo) -> str:
    """Positional arguments first, then the keyword-only ones: `filters, kernel | stride, …`."""
    keywords = ", ".join(a for a in info.arguments if a not in info.positional)
    return (", ".join(info.positional) + (" | " if info.positional else "") + keywords).strip(" |")


def render_table(catalog: Sequence[KindInfo], console: Console) -> None:
    from rich.table import Table

    table = Table(title="layer kinds (names are case-insensitive; _ and - are ignored)", title_justify="left")
    for column in ("kind", "example", "arguments", "also written", "what it does"):
        table.add_column(column, no_wrap=column == "kind")
    for info in catalog:
        table.add_row(info.kind, info.example, _arguments(info), ", ".join(info.aliases), info.description)
    console.print(table)


def render_json(catalog: Sequence[KindInfo]) -> str:
    return json_text({"schema": "cnncalc.layers/1", "kinds": [k.to_dict() for k in catalog]})
