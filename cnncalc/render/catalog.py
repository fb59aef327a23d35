"""Renderers for the catalogue of layer kinds (`cnncalc layers`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnncalc.analysis.catalog import KindInfo
from cnncalc.i18n import N_, _
from cnncalc.render.escape import json_text

if TYPE_CHECKING:
    from rich.console import Console


def _arguments(info: KindInfo) -> str:
    """Positional arguments first, then the keyword-only ones: `filters, kernel | stride, …`."""
    keywords = ", ".join(a for a in info.arguments if a not in info.positional)
    return (", ".join(info.positional) + (" | " if info.positional else "") + keywords).strip(" |")


COLUMNS = (N_("kind"), N_("example"), N_("arguments"), N_("also written"), N_("what it does"))


def render_table(catalog: Sequence[KindInfo], console: Console) -> None:
    from rich.table import Table

    table = Table(title=_("layer kinds (names are case-insensitive; _ and - are ignored)"), title_justify="left")
    for column in COLUMNS:
        table.add_column(_(column), no_wrap=column == "kind")
    for info in catalog:  # the kinds' own descriptions are marked (N_) where each kind is defined
        table.add_row(info.kind, info.example, _arguments(info), ", ".join(info.aliases), _(info.description))
    console.print(table)


def render_json(catalog: Sequence[KindInfo]) -> str:
    return json_text({"schema": "cnncalc.layers/1", "kinds": [k.to_dict() for k in catalog]})
